import type { Message } from "@prisma/client";
import { decodeSmsLinkCode, encodeSmsLinkCode, findSmsUrls, replaceSmsUrls, smsLinkMacInput } from "~/domain/sms/short-links";
import { appBaseUrl } from "../../config.server";
import { db } from "../../db/client.server";
import { shortMac, shortMacMatches } from "../../security/signed-token.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Outbox ids are UUIDs: 36 characters as text, 22 as base64url (after a "~"). Other ids go as they are. */
export function messageRef(id: string): string {
  return UUID.test(id) ? `~${Buffer.from(id.replaceAll("-", ""), "hex").toString("base64url")}` : id;
}

export function messageIdFromRef(ref: string): string | null {
  if (!ref.startsWith("~")) return ref;
  const hex = Buffer.from(ref.slice(1), "base64url").toString("hex");
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The text as sent: each link replaced by `<app>/s/<code>` (links into the app itself stay). */
export function shortenSmsLinks(body: string, messageId: string): string {
  const base = appBaseUrl();
  return replaceSmsUrls(body, (url, index) =>
    url.startsWith(`${base}/`)
      ? url
      : `${base}/s/${encodeSmsLinkCode(messageRef(messageId), index, shortMac("sms_link", smsLinkMacInput(messageId, index)))}`,
  );
}

export interface ResolvedSmsLink {
  message: Pick<Message, "id" | "shopId" | "customerId" | "templateKey" | "payload">;
  destination: string;
}

/**
 * The destination of a short link: the index-th link of the stored text of the
 * message the code names. Looked up by message id alone because the code carries no
 * shop; the MAC proves we issued it, and the message row says whose it is.
 */
export async function resolveSmsLink(code: string): Promise<ResolvedSmsLink | null> {
  const decoded = decodeSmsLinkCode(code);
  const messageId = decoded && messageIdFromRef(decoded.messageRef);
  if (!decoded || !messageId || !shortMacMatches("sms_link", smsLinkMacInput(messageId, decoded.index), decoded.mac)) return null;
  const message = await db().message.findFirst({
    where: { id: messageId, channel: "sms" },
    select: { id: true, shopId: true, customerId: true, templateKey: true, payload: true },
  });
  const body = (message?.payload as { body?: unknown } | null)?.body;
  if (!message || typeof body !== "string") return null;
  const destination = findSmsUrls(body)[decoded.index];
  return destination ? { message, destination } : null;
}
