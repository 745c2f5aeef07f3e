import * as compliance from "../compliance/links.server";
import { linkEnv, type LinkEnv } from "../compliance/links.server";
import { claimSigner, signToken } from "../security/signed-token.server";

// Every link a message carries back into the app, signed (security/signed-token.server.ts);
// each token purpose has its own key, so a click token can never unsubscribe anyone.
// Unsubscribe, preferences and opt-in links come from the compliance feature, which
// owns the routes that read them; tracking links are ours (routes t.c/t.o).

// Re-exported so that channels build every link through this one module.
export { linkEnv, type LinkEnv };

export interface RecipientRef {
  shopId: string;
  /** "" for a message without a profile (a merchant's test email). */
  customerId: string;
  messageId?: string;
  channel?: "email" | "sms";
}

/** `${appUrl}/u/${token}`: the List-Unsubscribe (RFC 8058 one-click) target and the footer link. */
export function unsubscribeUrl(ref: RecipientRef, env?: LinkEnv): string {
  return compliance.unsubscribeUrl(ref, env);
}

/** `${appUrl}/preferences/${token}`. */
export function preferencesUrl(ref: RecipientRef, env?: LinkEnv): string {
  return compliance.preferencesUrl(ref, env);
}

/** `${appUrl}/confirm/${token}`, valid for 14 days. */
export function confirmOptInUrl(ref: RecipientRef, nowMs: number, env?: LinkEnv): string {
  return compliance.confirmOptInUrl(ref, nowMs, env);
}

/**
 * `${base}/t/c/${token}` for the destinations of one message, with the base URL and
 * signing key resolved once: the destination (UTM included) is signed into the token,
 * never read from the query.
 */
export function clickTracker(ref: RecipientRef, env: LinkEnv = linkEnv()): (destination: string) => string {
  const prefix = `${env.base}/t/c/`;
  const sign = claimSigner("click", claims(ref), "url", env.secret);
  return (destination) => `${prefix}${sign(destination)}`;
}

/** `${appUrl}/t/o/${token}`: the open pixel. */
export function openPixelUrl(ref: RecipientRef, env: LinkEnv = linkEnv()): string {
  return `${env.base}/t/o/${signToken("open", claims(ref), env.secret)}`;
}

function claims(ref: RecipientRef) {
  return { shopId: ref.shopId, customerId: ref.customerId, ...(ref.messageId ? { messageId: ref.messageId } : {}) };
}
