import { now } from "../clock.server";
import { envDerived } from "../config.server";
import { RateLimiter } from "./rate-limit.server";

// Abuse limits for the public endpoints anyone can call without a session: the links
// in messages, the SMS short links, Twilio's inbound webhook and the feedback reports. Two buckets per
// request: the client's address (one script hammering many links) and the token or
// code (many addresses hammering one link). A person clicking, reloading or opening a
// preference page a few times never gets near either.

export type PublicEndpoint = "unsubscribe" | "preferences" | "click" | "open" | "sms_link" | "confirm" | "sms_inbound" | "feedback";

interface Limits {
  ip: RateLimiter;
  token: RateLimiter;
}

// burst, then per second. Twilio posts every inbound text from a few addresses, so its
// per-address bucket is wide, and it has no token bucket: a sender's STOP is never
// refused for having texted too often.
const SETTINGS: Record<PublicEndpoint, { ip: [number, number]; token: [number, number] }> = {
  unsubscribe: { ip: [60, 1], token: [20, 0.2] },
  preferences: { ip: [60, 1], token: [30, 0.5] },
  click: { ip: [120, 2], token: [30, 0.5] },
  open: { ip: [240, 4], token: [30, 0.5] },
  sms_link: { ip: [120, 2], token: [30, 0.5] },
  confirm: { ip: [60, 1], token: [20, 0.2] },
  sms_inbound: { ip: [600, 50], token: [1, 1] },
  // Bounce and complaint reports: a provider posts them from a few addresses, in bursts
  // after a campaign; the token is the shop's (or the app's) feedback address.
  feedback: { ip: [600, 20], token: [600, 20] },
};

const limits = new Map<PublicEndpoint, Limits>();

function limitsFor(endpoint: PublicEndpoint): Limits {
  let l = limits.get(endpoint);
  if (!l) {
    const s = SETTINGS[endpoint];
    limits.set(endpoint, (l = { ip: new RateLimiter(...s.ip), token: new RateLimiter(...s.token) }));
  }
  return l;
}

/** Forgets every bucket (tests that need a fresh budget). */
export function resetPublicLimits(): void {
  limits.clear();
}

/** What the Remix handler is given by server.ts (getLoadContext): the socket's peer address. */
export interface PublicRequestContext {
  remoteAddress?: string;
}

const trustedProxies = envDerived(["TRUST_PROXY"], (env) => env.TRUST_PROXY);

/**
 * The client's address. X-Forwarded-For is read only when TRUST_PROXY says how many
 * proxies of ours stand in front of the app: then the address that many hops from the
 * right of [...X-Forwarded-For, peer] is the client's (entries further left are the
 * client's own words, spoofable). Without TRUST_PROXY the header is ignored.
 */
export function clientIp(request: Request, context: unknown): string {
  const peer = (context as PublicRequestContext | null | undefined)?.remoteAddress ?? "unknown";
  const hops = trustedProxies();
  if (hops === 0) return peer;
  const forwarded = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - hops)]!;
}

/**
 * The storefront visitor behind Shopify's app proxy. The proxy is one more hop than
 * ours: it appends the address it saw to X-Forwarded-For, so the visitor is one entry
 * left of the address our own proxies (TRUST_PROXY) or the socket report. Anything
 * further left is the visitor's own words: a script writing a new address per request
 * must stay in one bucket.
 */
export function proxiedVisitorIp(request: Request, context: unknown): string | null {
  const peer = (context as PublicRequestContext | null | undefined)?.remoteAddress ?? "unknown";
  const forwarded = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  const at = chain.length - 2 - trustedProxies();
  return at >= 0 ? chain[at]! : null;
}

/**
 * Takes one request from the client's and the token's buckets; a 429 with Retry-After
 * when either is empty, else null. The address is checked first, so a flood of
 * made-up tokens from one address never fills the token table.
 */
export function limitPublicRequest(
  endpoint: PublicEndpoint,
  request: Request,
  context: unknown,
  token: string | undefined,
): Response | null {
  const l = limitsFor(endpoint);
  const at = now().getTime();
  const wait = l.ip.take(clientIp(request, context), 1, at) || (token === undefined ? 0 : l.token.take(token, 1, at));
  if (wait === 0) return null;
  return new Response("Too many requests. Please try again shortly.\n", {
    status: 429,
    headers: { "retry-after": String(wait), "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
