import type { Channel } from "~/domain/consent/consent";
import { appBaseUrl } from "../config.server";
import { claimSigner, signToken, tokenSecret, verifyToken, type TokenClaims, type TokenPurpose } from "./signed-token.server";

// Every link a message carries back into the app, signed (signed-token.server.ts); each
// token purpose has its own key, so a click token can never unsubscribe anyone. The
// channels build them when composing a message; the compliance pages (routes u.*,
// preferences.*, confirm.*) and the tracking routes (t.c, t.o) read them back.
// Unsubscribe and preference links never expire (a shopper may act on a months-old
// email, and the law expects that to work); the double opt-in confirmation does.

const CONFIRM_TTL_S = 14 * 24 * 3600;

/**
 * The base URL and signing secret, read from the environment. An email carries half a
 * dozen signed links, and reading process.env for each of them was a measurable share
 * of composing it: a composer reads them once and passes them to every link.
 */
export interface LinkEnv {
  base: string;
  secret: string;
}

export function linkEnv(): LinkEnv {
  return { base: appBaseUrl(), secret: tokenSecret() };
}

export interface RecipientRef {
  shopId: string;
  /** "" for a message without a profile (a merchant's test email). */
  customerId: string;
  messageId?: string;
  channel?: Channel;
}

/** `${appUrl}/u/${token}`: the List-Unsubscribe (RFC 8058 one-click) target and the footer link. */
export function unsubscribeUrl(ref: RecipientRef, env: LinkEnv = linkEnv()): string {
  return `${env.base}/u/${signToken("unsubscribe", { shopId: ref.shopId, customerId: ref.customerId, messageId: ref.messageId, channel: ref.channel ?? "email" }, env.secret)}`;
}

export function preferencesToken(ref: Pick<RecipientRef, "shopId" | "customerId">, secret?: string): string {
  return signToken("preferences", { shopId: ref.shopId, customerId: ref.customerId }, secret);
}

export function preferencesPath(ref: Pick<RecipientRef, "shopId" | "customerId">, secret?: string): string {
  return `/preferences/${preferencesToken(ref, secret)}`;
}

/** `${appUrl}/preferences/${token}`. */
export function preferencesUrl(ref: Pick<RecipientRef, "shopId" | "customerId">, env: LinkEnv = linkEnv()): string {
  return `${env.base}${preferencesPath(ref, env.secret)}`;
}

/** `${appUrl}/confirm/${token}`, valid for 14 days. */
export function confirmOptInUrl(ref: Pick<RecipientRef, "shopId" | "customerId">, nowMs: number, env: LinkEnv = linkEnv()): string {
  const exp = Math.floor(nowMs / 1000) + CONFIRM_TTL_S;
  return `${env.base}/confirm/${signToken("confirm_optin", { shopId: ref.shopId, customerId: ref.customerId, channel: "email", exp }, env.secret)}`;
}

/**
 * `${base}/t/c/${token}` for the destinations of one message, with the base URL and
 * signing key resolved once: the destination (UTM included) is signed into the token,
 * never read from the query.
 */
export function clickTracker(ref: RecipientRef, env: LinkEnv = linkEnv()): (destination: string) => string {
  const prefix = `${env.base}/t/c/`;
  const sign = claimSigner("click", trackingClaims(ref), "url", env.secret);
  return (destination) => `${prefix}${sign(destination)}`;
}

/** `${appUrl}/t/o/${token}`: the open pixel. */
export function openPixelUrl(ref: RecipientRef, env: LinkEnv = linkEnv()): string {
  return `${env.base}/t/o/${signToken("open", trackingClaims(ref), env.secret)}`;
}

function trackingClaims(ref: RecipientRef) {
  return { shopId: ref.shopId, customerId: ref.customerId, ...(ref.messageId ? { messageId: ref.messageId } : {}) };
}

export type ClaimsResult = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

/** Verifies a token taken from a URL path segment. */
export function readLinkToken(purpose: TokenPurpose, token: string | undefined, nowMs: number): ClaimsResult {
  if (!token) return { ok: false, reason: "missing_token" };
  const v = verifyToken(purpose, token, nowMs);
  return v.ok ? { ok: true, claims: v.claims } : { ok: false, reason: v.reason };
}
