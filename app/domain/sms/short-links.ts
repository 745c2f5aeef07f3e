// Links in SMS are short tracked links: `<app>/s/<code>`. A storefront's checkout
// recovery URL is about 150 characters, which alone turns a one-segment text into
// two or three (and a Polish one into four): every segment is billed. The code names
// the message and which link of its text, with a short MAC; the destination is read
// from the stored message, never from the link, so it cannot be an open redirect.

/**
 * Characters after `/s/`: 1 (link index) + 8 (MAC) + 23 (the outbox row's UUID as
 * "~" and 22 base64url characters; see short-links.server.ts).
 */
export const SMS_LINK_CODE_LENGTH = 32;
const MAC_LENGTH = 8;
const URL_IN_TEXT = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)]/g;

export function findSmsUrls(text: string): string[] {
  return text.match(URL_IN_TEXT) ?? [];
}

/** Replaces each link with make(url, index), index counting every link of the text. */
export function replaceSmsUrls(text: string, make: (url: string, index: number) => string): string {
  let index = 0;
  return text.replace(URL_IN_TEXT, (url) => make(url, index++));
}

/** `messageRef`: the message id as it goes into a link (URL-safe: letters, digits, - _ ~). */
export function encodeSmsLinkCode(messageRef: string, index: number, mac: string): string {
  if (index < 0 || index > 35) throw new Error("An SMS carries at most 36 links");
  return `${index.toString(36)}${mac.slice(0, MAC_LENGTH)}${messageRef}`;
}

export function decodeSmsLinkCode(code: string): { messageRef: string; index: number; mac: string } | null {
  const m = /^([0-9a-z])([A-Za-z0-9_-]{8})([A-Za-z0-9_~-]{1,64})$/.exec(code);
  if (!m) return null;
  return { index: parseInt(m[1]!, 36), mac: m[2]!, messageRef: m[3]! };
}

export function smsLinkMacInput(messageId: string, index: number): string {
  return `${messageId}:${index}`;
}
