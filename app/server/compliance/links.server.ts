import type { Channel } from "~/domain/consent/consent";
import { appBaseUrl as appUrl } from "../config.server";
import { signToken, verifyToken, type TokenClaims, type TokenPurpose } from "../security/signed-token.server";

// Absolute links for messages. Unsubscribe and preference links never expire (a
// shopper may act on a months-old email, and the law expects that to work); the
// double opt-in confirmation does.

const CONFIRM_TTL_S = 14 * 24 * 3600;

export interface LinkSubject {
  shopId: string;
  customerId: string;
  messageId?: string;
  channel?: Channel;
}

/** For the List-Unsubscribe header (RFC 8058) and the footer link. */
export function unsubscribeUrl(s: LinkSubject): string {
  return `${appUrl()}/u/${signToken("unsubscribe", { shopId: s.shopId, customerId: s.customerId, messageId: s.messageId, channel: s.channel ?? "email" })}`;
}

export function preferencesToken(s: Pick<LinkSubject, "shopId" | "customerId">): string {
  return signToken("preferences", { shopId: s.shopId, customerId: s.customerId });
}

export function preferencesPath(s: Pick<LinkSubject, "shopId" | "customerId">): string {
  return `/preferences/${preferencesToken(s)}`;
}

export function preferencesUrl(s: Pick<LinkSubject, "shopId" | "customerId">): string {
  return `${appUrl()}${preferencesPath(s)}`;
}

export function confirmOptInUrl(s: Pick<LinkSubject, "shopId" | "customerId">, nowMs: number): string {
  const exp = Math.floor(nowMs / 1000) + CONFIRM_TTL_S;
  return `${appUrl()}/confirm/${signToken("confirm_optin", { shopId: s.shopId, customerId: s.customerId, channel: "email", exp })}`;
}

export type ClaimsResult = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

/** Verifies a token taken from a URL path segment. */
export function readLinkToken(purpose: TokenPurpose, token: string | undefined, nowMs: number): ClaimsResult {
  if (!token) return { ok: false, reason: "missing_token" };
  const v = verifyToken(purpose, token, nowMs);
  return v.ok ? { ok: true, claims: v.claims } : { ok: false, reason: v.reason };
}
