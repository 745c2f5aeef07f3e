import crypto from "node:crypto";
import { envDerived, shopifyCredentials } from "../config.server";

// Compact signed tokens for links in messages (unsubscribe, preference center, click
// tracking, double opt-in). HMAC-SHA256 with a key derived from the app secret and
// the token's purpose, so a click-tracking token can never act as an unsubscribe one.
// Format: base64url(JSON payload) "." base64url(mac).

export type TokenPurpose =
  | "unsubscribe"
  | "preferences"
  | "click"
  | "open"
  | "confirm_optin"
  | "sms_link"
  // The X-Flowmate-Message header of every email (names the message a bounce or complaint is about)
  | "feedback_message"
  // The /feedback/<token> address a shop's (or the app's) mail system posts reports to
  | "feedback_inbox";

export interface TokenClaims {
  shopId: string;
  customerId: string;
  messageId?: string;
  /** For click tokens: the destination URL (never taken from the query string). */
  url?: string;
  channel?: "email" | "sms";
  /** Expiry, unix seconds. */
  exp?: number;
  /** For a shop's feedback address: its generation (absent: the first, 0). */
  gen?: number;
}

// Derived keys are cached as KeyObjects: every email signs several links, and both
// deriving the key and handing Node a raw Buffer key (which it re-imports on every
// createHmac, ~6x slower) were most of the signing cost.
const derived = new Map<string, crypto.KeyObject>();

/** The secret tokens are signed with now: TOKEN_SECRET, else the app's API secret. */
export function tokenSecret(): string {
  return process.env.TOKEN_SECRET ?? appSecret();
}

function key(purpose: TokenPurpose, secret?: string): crypto.KeyObject {
  const base = secret ?? tokenSecret();
  const cacheKey = `${purpose}\u0000${base}`;
  let k = derived.get(cacheKey);
  if (!k) {
    k = crypto.createSecretKey(crypto.createHmac("sha256", base).update(`flowmate-token:${purpose}`).digest());
    if (derived.size > 64) derived.clear();
    derived.set(cacheKey, k);
  }
  return k;
}

/** The app secret (validating the whole environment per signature was measurable). */
const appSecret = envDerived(["NODE_ENV", "SHOPIFY_API_SECRET"], (env) => shopifyCredentials(env).apiSecretKey);

export function signToken(purpose: TokenPurpose, claims: TokenClaims, secret?: string): string {
  return signJson(key(purpose, secret), JSON.stringify(claims));
}

/**
 * Signs many tokens of one purpose whose claims share everything but the last field,
 * such as the click links of one email: the key is resolved once (reading the secret
 * from the environment per link was a measurable share of composing an email) and the
 * shared claims are serialised once. Tokens are byte-identical to `signToken` with
 * `{ ...claims, [field]: value }`.
 */
export function claimSigner<F extends keyof TokenClaims>(
  purpose: TokenPurpose,
  claims: Omit<TokenClaims, F>,
  field: F,
  secret?: string,
): (value: NonNullable<TokenClaims[F]>) => string {
  const k = key(purpose, secret);
  const shared = JSON.stringify(claims);
  const prefix = `${shared.slice(0, -1)}${shared.length > 2 ? "," : ""}${JSON.stringify(field)}:`;
  return (value) => signJson(k, `${prefix}${JSON.stringify(value)}}`);
}

function signJson(k: crypto.KeyObject, json: string): string {
  const body = Buffer.from(json).toString("base64url");
  return `${body}.${crypto.createHmac("sha256", k).update(body).digest("base64url")}`;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

/**
 * Longer than any token we issue (a click token carries its destination URL, at most a
 * few KB): a longer one is refused before it is split, hashed or decoded.
 */
export const MAX_TOKEN_LENGTH = 8192;

export function verifyToken(purpose: TokenPurpose, token: string, nowMs = Date.now(), secret?: string): VerifyResult {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: "malformed" };
  const [body, mac] = parts as [string, string];
  // Compare the text, not decoded bytes: base64url decoding ignores the spare low bits
  // of the last character, so several spellings decode to one MAC. Only the canonical
  // spelling we issued is a valid token.
  const expected = Buffer.from(crypto.createHmac("sha256", key(purpose, secret)).update(body).digest("base64url"));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as TokenClaims;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof claims.shopId !== "string" || typeof claims.customerId !== "string") return { ok: false, reason: "malformed" };
  if (claims.exp !== undefined && claims.exp * 1000 < nowMs) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

/**
 * A short MAC (base64url, 8 characters = 48 bits) for codes that must stay short, such
 * as SMS links: enough that guessing one is hopeless, and the code only points at a
 * stored destination, so a forgery could not redirect anywhere new.
 */
export function shortMac(purpose: TokenPurpose, data: string, secret?: string): string {
  return crypto.createHmac("sha256", key(purpose, secret)).update(data).digest("base64url").slice(0, 8);
}

export function shortMacMatches(purpose: TokenPurpose, data: string, mac: string, secret?: string): boolean {
  const expected = Buffer.from(shortMac(purpose, data, secret));
  const given = Buffer.from(mac);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
