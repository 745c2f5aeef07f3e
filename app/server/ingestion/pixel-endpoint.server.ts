import { MAX_PIXEL_BODY_BYTES, MAX_PIXEL_EVENTS, PIXEL_JSON_BOUNDS, PixelBatch } from "~/domain/capture/pixel-wire";
import { now } from "../clock.server";
import { corsHeaders, corsPreflightHeaders, judgeShopOrigin } from "../http/cors.server";
import {
  afterPendingIo,
  fromFetchRequest,
  jsonResponse,
  toFetchResponse,
  type PlainRequest,
  type PlainResponse,
} from "../http/plain-http.server";
import { RateLimiter } from "../http/rate-limit.server";
import { decodeJson } from "../http/read-json.server";
import { log } from "../log.server";
import { cachedShopByDomain, shopByDomain } from "../shops/shop-cache.server";
import { acceptPixelBatch } from "./pixel-inbox.server";
import { countPixelRequest } from "../metrics/ingest-counters.server";

// Requests per second. A busy storefront sends a batch every few seconds per visitor;
// one visitor above 10/s is a bug or an attack.
const shopLimiter = new RateLimiter(Number(process.env.PIXEL_SHOP_BURST ?? 2000), Number(process.env.PIXEL_SHOP_RPS ?? 1000));
const clientLimiter = new RateLimiter(Number(process.env.PIXEL_CLIENT_BURST ?? 30), Number(process.env.PIXEL_CLIENT_RPS ?? 10));

const ORIGIN_ERRORS = {
  missing_origin: "No Origin header: storefront events come from the shop's storefront pages",
  opaque_origin: 'Origin "null" is not a storefront of this shop',
  foreign_origin: "Origin is not a storefront of this shop",
} as const;

function json(status: number, body: unknown, origin: string | null, extra: Record<string, string> = {}): PlainResponse {
  // No cache-control: answers to POST are not cached unless they say so.
  return jsonResponse(status, body, { ...corsHeaders(origin), ...extra });
}

function tooMany(raw: unknown) {
  const events = (raw as { events?: unknown } | null)?.events;
  return Array.isArray(events) && events.length > MAX_PIXEL_EVENTS
    ? { status: 413, error: `Too many events: ${events.length} (at most ${MAX_PIXEL_EVENTS} per request)` }
    : null;
}

/** POST /api/pixel/events: public, so every check happens before anything is written. */
export async function pixelEndpoint(request: PlainRequest): Promise<PlainResponse> {
  const origin = request.header("origin");
  if (request.method === "OPTIONS") {
    countPixelRequest("preflight");
    return { status: 204, headers: corsPreflightHeaders(origin), body: null };
  }
  if (request.method !== "POST") {
    countPixelRequest("method_not_allowed");
    return json(405, { error: "Use POST" }, origin, { allow: "POST, OPTIONS" });
  }

  const body = await request.readBody(MAX_PIXEL_BODY_BYTES);
  if (body === null) {
    countPixelRequest("body_too_large");
    return json(413, { error: `Body larger than ${MAX_PIXEL_BODY_BYTES} bytes` }, origin);
  }
  await afterPendingIo();
  const parsed = decodeJson(body.toString("utf8"), PixelBatch, tooMany, PIXEL_JSON_BOUNDS);
  if (!parsed.ok) {
    countPixelRequest(parsed.status === 413 ? "too_many_events" : "invalid");
    return json(parsed.status, { error: parsed.error, ...(parsed.details ? { details: parsed.details } : {}) }, origin);
  }
  const batch = parsed.data;

  // null is a cached "unknown shop": only undefined (not cached) goes to the database.
  const cached = cachedShopByDomain(batch.shop);
  const shop = cached !== undefined ? cached : await shopByDomain(batch.shop);
  if (!shop) {
    countPixelRequest("unknown_shop");
    return json(404, { error: `Unknown shop: ${batch.shop}` }, origin);
  }
  if (shop.installState !== "installed") {
    countPixelRequest("not_installed");
    return json(403, { error: "The app is not installed on this shop" }, origin);
  }
  const verdict = judgeShopOrigin(origin, shop);
  if (!verdict.ok) {
    countPixelRequest(verdict.reason);
    return json(403, { error: ORIGIN_ERRORS[verdict.reason], reason: verdict.reason }, null);
  }

  const wait = shopLimiter.take(shop.id) || clientLimiter.take(`${shop.id}:${batch.events[0]!.clientId}`);
  if (wait) {
    countPixelRequest("rate_limited");
    return json(429, { error: "Too many requests" }, origin, { "retry-after": String(wait) });
  }

  // Only these outlive the commit: the parsed batch is garbage before the 202, so the
  // requests waiting for a commit keep their bodies alive, not their object trees.
  const events = batch.events.length;
  const shopId = shop.id;
  try {
    // Durable before the 202; deduplication and stitching happen when the worker expands it.
    const result = await acceptPixelBatch(shopId, body, events, now());
    countPixelRequest("accepted");
    return json(202, result, origin);
  } catch (err) {
    countPixelRequest("unavailable");
    log.error("pixel ingest failed", { shopId, events, err: String(err) });
    return json(503, { error: "Temporarily unavailable, retry" }, origin, { "retry-after": "1" });
  }
}

/** The Remix route's entry (app/routes/api.pixel.events.ts). */
export async function handlePixelRequest(request: Request): Promise<Response> {
  return toFetchResponse(await pixelEndpoint(fromFetchRequest(request)));
}
