import { fromFetchRequest, jsonResponse, toFetchResponse, type PlainRequest, type PlainResponse } from "../http/plain-http.server";
import { shopifyApiClient } from "../shopify/api.server";
import { database } from "../db/client.server";
import { GroupCommitter } from "../db/group-commit.server";
import { insertDeliveries, type NewDelivery } from "../db/sql/webhooks.server";
import { now } from "../clock.server";
import { log } from "../log.server";
import { forgetShop, shopByDomain } from "../shops/shop-cache.server";
import { keepsDeliveries, normalizeTopic } from "./webhook-topics";
import { scanShopifyJson } from "~/domain/capture/shopify-json";
import { countWebhookRequest } from "../metrics/ingest-counters.server";

// Shopify's largest payloads (orders with hundreds of lines) stay well below this.
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export type WebhookOutcome =
  | { status: 200; result: "accepted" | "duplicate" | "ignored"; deliveryId?: string }
  | { status: 400 | 401 | 405 | 413; result: "rejected"; reason: string };

/**
 * The whole synchronous part of a webhook: verify the HMAC (through the Shopify
 * library), dedupe on X-Shopify-Webhook-Id and X-Shopify-Event-Id, and store the
 * delivery. The stored row with status "received" is the processing queue, so the
 * delivery and its queued work commit together and the answer comes in milliseconds.
 */
export async function receiveWebhook(request: PlainRequest, expectedTopic: string): Promise<WebhookOutcome> {
  if (request.method !== "POST") return { status: 405, result: "rejected", reason: "method_not_allowed" };
  // Capped while reading: a lying Content-Length cannot make us buffer more.
  const body = await request.readBody(MAX_WEBHOOK_BYTES);
  if (body === null) return { status: 413, result: "rejected", reason: "payload_too_large" };
  const rawBody = body.toString("utf8");

  const check = await shopifyApiClient().webhooks.validate({ rawBody, rawRequest: shopifyHeadersOnly(request) });
  if (!check.valid) {
    const status = check.reason === "invalid_hmac" || check.reason === "missing_hmac" ? 401 : 400;
    return { status, result: "rejected", reason: check.reason };
  }

  const topic = normalizeTopic(check.topic);
  const shopDomain = check.domain.toLowerCase();
  const eventId = "eventId" in check ? (check.eventId ?? null) : null;
  const shop = await currentShop(shopDomain);
  if (!keepsDeliveries(topic, shop)) {
    // The app is gone from this shop (or never was): Shopify gets its 200, and nothing
    // of the payload, which may name customers, is kept, not even a dedupe record.
    log.info("webhook for a shop without the app: acknowledged, not stored", { topic, webhookId: check.webhookId });
    return { status: 200, result: "ignored" };
  }
  let rejectReason: string | null = bodyRejectReason(rawBody);
  if (!rejectReason && topic !== expectedTopic) rejectReason = `topic_mismatch:${topic}`;

  const inserted = await deliveryWriter.submit({
    shopId: shop?.id ?? null,
    shopDomain,
    topic,
    webhookId: check.webhookId,
    eventId,
    apiVersion: check.apiVersion,
    triggeredAt: check.triggeredAt ? safeDate(check.triggeredAt) : null,
    receivedAt: now(),
    status: rejectReason ? "rejected" : "received",
    rejectReason,
    payload: rejectReason ? null : rawBody,
  });

  if (!inserted) {
    log.debug("webhook duplicate", { topic, webhookId: check.webhookId });
    return { status: 200, result: "duplicate" };
  }
  if (rejectReason) {
    // Signed by Shopify but unusable: recorded for the developer, answered with a 4xx
    // and a reason. A redelivery hits the dedupe above, so it never loops into work.
    log.warn("webhook rejected", { topic, webhookId: check.webhookId, reason: rejectReason });
    return { status: 400, result: "rejected", reason: rejectReason };
  }
  return { status: 200, result: "accepted", deliveryId: inserted };
}

// Concurrent deliveries are stored together (one statement, one commit); each
// request learns whether its row was new (its id) or a duplicate (undefined).
const deliveryWriter = new GroupCommitter<NewDelivery, string | undefined>(
  async (rows) => {
    const inserted = await insertDeliveries(database().query, rows);
    const ids = new Map(inserted.map((r) => [r.webhookId, r.id]));
    // Two copies of one delivery in the same group: only the first learns the id.
    return rows.map((r) => {
      const id = ids.get(r.webhookId);
      ids.delete(r.webhookId);
      return id;
    });
  },
  500,
  2,
);

/**
 * The request as the library's validation needs it: Shopify's own headers only. The
 * library canonicalises every header it is given, twice per validation, and re-walks
 * all of them for each one it adds (quadratic in their number): on a delivery with
 * the usual proxy and tracing headers that was most of the CPU of an acknowledgement.
 */
function shopifyHeadersOnly(request: PlainRequest): Pick<Request, "method" | "url" | "headers"> {
  const headers = new Headers();
  for (const [name, value] of request.headerEntries())
    if (name.startsWith("x-shopify-") || name.startsWith("shopify-")) headers.set(name, value);
  // What the web-api adapter reads of a request; a whole fetch Request costs more to build than the check.
  return { method: request.method, url: request.url, headers };
}

/**
 * The shop as it is now. The cache may be up to 30 s old in other processes; a shop it
 * shows as uninstalled or unknown is read again, so a reinstall is seen at once (only
 * deliveries for shops without the app pay for the extra read).
 */
async function currentShop(domain: string) {
  const shop = await shopByDomain(domain);
  if (shop?.installState === "installed") return shop;
  forgetShop(domain);
  return shopByDomain(domain);
}

/**
 * Why a signed body cannot be stored and processed, or null. Nesting and the escapes
 * jsonb refuses are found by a scan that does not recurse (a deeply nested body made
 * the insert fail with a 500, and Shopify redelivered it into the same 500); the
 * syntax by the native parser, whose numbers are thrown away: jsonb keeps the body's
 * own digits and the processor reads them with parseShopifyJson.
 */
function bodyRejectReason(rawBody: string): string | null {
  const refused = scanShopifyJson(rawBody);
  if (refused) return refused;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return "malformed_json";
  }
  return parsed === null || typeof parsed !== "object" || Array.isArray(parsed) ? "payload_not_an_object" : null;
}

function safeDate(value: string): Date | null {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The HTTP answer for an outcome: JSON with the reason, never a 500 for bad input. */
export function webhookAnswer(outcome: WebhookOutcome): PlainResponse {
  return jsonResponse(outcome.status, outcome.result === "rejected" ? { error: outcome.reason } : { result: outcome.result });
}

/** The fast path's entry (app/server/http/fast-ingest.server.ts). */
export async function webhookEndpoint(request: PlainRequest, topic: string): Promise<PlainResponse> {
  const outcome = await receiveWebhook(request, topic);
  countWebhookRequest(outcome.result === "rejected" ? outcome.reason : outcome.result);
  return webhookAnswer(outcome);
}

/** The Remix routes' entry (app/routes/webhooks.*.ts). */
export async function handleWebhookRoute(request: Request, topic: string): Promise<Response> {
  return toFetchResponse(await webhookEndpoint(fromFetchRequest(request), topic));
}
