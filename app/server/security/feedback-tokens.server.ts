import { appBaseUrl } from "../config.server";
import { signToken, verifyToken } from "./signed-token.server";

// The two secrets of the feedback loop (bounces and spam complaints coming back by mail):
//  - X-Flowmate-Message, on every email we send: a signed token naming the shop,
//    customer and message. A report is believed only for the message its header names,
//    so nobody can complain about (or bounce) a message they never received: the raw
//    database id is in the Message-ID, which anyone can guess, so that is never trusted.
//  - the feedback address, /feedback/<token>: one per shop (its mail system may post
//    reports about that shop's messages only) or one for the app ("*", for the app's own
//    SMTP, shared by every shop: the signed header then says which shop a report is for).

export const FEEDBACK_HEADER = "X-Flowmate-Message";
/** The shop id an app-wide feedback address carries. */
export const ANY_SHOP = "*";

export interface FeedbackMessageRef {
  shopId: string;
  /** "" for a message without a profile (a merchant's test email). */
  customerId: string;
  messageId: string;
}

export function feedbackHeaderToken(ref: FeedbackMessageRef, secret?: string): string {
  return signToken("feedback_message", { shopId: ref.shopId, customerId: ref.customerId, messageId: ref.messageId }, secret);
}

/** The message a header names, or null for anything we did not sign. */
export function readFeedbackHeader(token: string): FeedbackMessageRef | null {
  const v = verifyToken("feedback_message", token.trim());
  if (!v.ok || typeof v.claims.messageId !== "string") return null;
  return { shopId: v.claims.shopId, customerId: v.claims.customerId, messageId: v.claims.messageId };
}

/**
 * The path token of a shop's feedback address (of the given generation), or the app's
 * (ANY_SHOP, which has none). Never expires: providers keep it for years. Generation 0
 * signs the claims addresses had before addresses could be replaced, so those still work.
 */
export function feedbackInboxToken(shopId: string, generation = 0, secret?: string): string {
  return signToken("feedback_inbox", { shopId, customerId: "", ...(generation > 0 ? { gen: generation } : {}) }, secret);
}

/** `${appUrl}/feedback/<token>`: where a mail system posts the raw reports. */
export function feedbackInboxUrl(shopId: string, generation = 0, base: string = appBaseUrl()): string {
  return `${base}/feedback/${feedbackInboxToken(shopId, generation)}`;
}

export interface FeedbackInbox {
  /** A shop id, or ANY_SHOP. */
  shopId: string;
  generation: number;
}

/** Whose reports an address accepts (and which generation of the shop's address it is), or null when the token is not ours. */
export function readFeedbackInbox(token: string | undefined): FeedbackInbox | null {
  if (!token) return null;
  const v = verifyToken("feedback_inbox", token);
  if (!v.ok || v.claims.customerId !== "") return null;
  const gen = v.claims.gen ?? 0;
  return Number.isSafeInteger(gen) && gen >= 0 ? { shopId: v.claims.shopId, generation: gen } : null;
}
