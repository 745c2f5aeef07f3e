import type { Channel } from "~/domain/consent/consent";
import { appBaseUrl as appUrl } from "../config.server";
import { signToken, tokenSecret, verifyToken, type TokenClaims, type TokenPurpose } from "../security/signed-token.server";

// Absolute links for messages. Unsubscribe and preference links never expire (a
// shopper may act on a months-old email, and the law expects that to work); the
// double opt-in confirmation does.

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
  return { base: appUrl(), secret: tokenSecret() };
}

export interface LinkSubject {
  shopId: string;
  customerId: string;
  messageId?: string;
  channel?: Channel;
}

/** For the List-Unsubscribe header (RFC 8058) and the footer link. */
export function unsubscribeUrl(s: LinkSubject, env: LinkEnv = linkEnv()): string {
  return `${env.base}/u/${signToken("unsubscribe", { shopId: s.shopId, customerId: s.customerId, messageId: s.messageId, channel: s.channel ?? "email" }, env.secret)}`;
}

export function preferencesToken(s: Pick<LinkSubject, "shopId" | "customerId">, secret?: string): string {
  return signToken("preferences", { shopId: s.shopId, customerId: s.customerId }, secret);
}

export function preferencesPath(s: Pick<LinkSubject, "shopId" | "customerId">, secret?: string): string {
  return `/preferences/${preferencesToken(s, secret)}`;
}

export function preferencesUrl(s: Pick<LinkSubject, "shopId" | "customerId">, env: LinkEnv = linkEnv()): string {
  return `${env.base}${preferencesPath(s, env.secret)}`;
}

export function confirmOptInUrl(s: Pick<LinkSubject, "shopId" | "customerId">, nowMs: number, env: LinkEnv = linkEnv()): string {
  const exp = Math.floor(nowMs / 1000) + CONFIRM_TTL_S;
  return `${env.base}/confirm/${signToken("confirm_optin", { shopId: s.shopId, customerId: s.customerId, channel: "email", exp }, env.secret)}`;
}

export type ClaimsResult = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

/** Verifies a token taken from a URL path segment. */
export function readLinkToken(purpose: TokenPurpose, token: string | undefined, nowMs: number): ClaimsResult {
  if (!token) return { ok: false, reason: "missing_token" };
  const v = verifyToken(purpose, token, nowMs);
  return v.ok ? { ok: true, claims: v.claims } : { ok: false, reason: v.reason };
}
