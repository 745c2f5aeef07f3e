import crypto from "node:crypto";

// Twilio signs each webhook: X-Twilio-Signature = base64(HMAC-SHA1(auth token,
// full request URL + every POST parameter as name+value, sorted by name)). Repeated
// names contribute each value, values sorted, as Twilio's own helper libraries do.
// https://www.twilio.com/docs/usage/security#validating-requests

export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of params) byName.set(name, [...(byName.get(name) ?? []), value]);
  let data = url;
  for (const name of [...byName.keys()].sort()) {
    for (const value of byName.get(name)!.sort()) data += name + value;
  }
  return crypto.createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

/**
 * The URL as Twilio saw it is not always the URL the app sees (TLS ends at a proxy,
 * a default port is or is not written), so, like Twilio's libraries, we accept it with
 * and without the port, and as the configured public app URL.
 */
export function signatureUrlCandidates(requestUrl: string, publicOrigin?: string | null): string[] {
  const out = new Set<string>();
  const add = (u: URL) => {
    out.add(u.toString());
    const defaultPort = u.protocol === "https:" ? "443" : "80";
    if (u.port) {
      const noPort = new URL(u);
      noPort.port = "";
      out.add(noPort.toString());
    } else {
      // URL.toString() drops a default port, so it is spliced in by hand.
      out.add(u.toString().replace(u.host, `${u.hostname}:${defaultPort}`));
    }
  };
  const seen = new URL(requestUrl);
  add(seen);
  if (publicOrigin) {
    const pub = new URL(publicOrigin);
    add(new URL(`${seen.pathname}${seen.search}`, pub.origin));
  }
  return [...out];
}

export function verifyTwilioSignature(authToken: string, signature: string | null, urls: string[], params: URLSearchParams): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature);
  return urls.some((url) => {
    const expected = Buffer.from(twilioSignature(authToken, url, params));
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  });
}
