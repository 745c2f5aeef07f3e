import { Prisma } from "@prisma/client";
import { shopifyApiClient } from "../shopify/api.server";
import { db } from "../db/client.server";
import { now } from "../clock.server";
import { log } from "../log.server";
import { normalizeTopic } from "./webhook-topics";

// Shopify's largest payloads (orders with hundreds of lines) stay well below this.
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export type WebhookOutcome =
  | { status: 200; result: "accepted" | "duplicate"; deliveryId?: string }
  | { status: 400 | 401 | 405 | 413; result: "rejected"; reason: string };

/**
 * The whole synchronous part of a webhook: verify the HMAC (through the Shopify
 * library), dedupe on X-Shopify-Webhook-Id and X-Shopify-Event-Id, and store the
 * delivery. The stored row with status "received" is the processing queue, so the
 * delivery and its queued work commit together and the answer comes in milliseconds.
 */
export async function receiveWebhook(request: Request, expectedTopic: string): Promise<WebhookOutcome> {
  if (request.method !== "POST") return { status: 405, result: "rejected", reason: "method_not_allowed" };
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_WEBHOOK_BYTES) return { status: 413, result: "rejected", reason: "payload_too_large" };
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_WEBHOOK_BYTES) {
    return { status: 413, result: "rejected", reason: "payload_too_large" };
  }

  const check = await shopifyApiClient().webhooks.validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    const status = check.reason === "invalid_hmac" || check.reason === "missing_hmac" ? 401 : 400;
    return { status, result: "rejected", reason: check.reason };
  }

  const topic = normalizeTopic(check.topic);
  const shopDomain = check.domain.toLowerCase();
  const eventId = "eventId" in check ? (check.eventId ?? null) : null;
  let payload: Prisma.InputJsonValue | undefined;
  let rejectReason: string | null = null;
  try {
    payload = JSON.parse(rawBody) as Prisma.InputJsonValue;
    if (payload === null || typeof payload !== "object") rejectReason = "payload_not_an_object";
  } catch {
    rejectReason = "malformed_json";
  }
  if (!rejectReason && topic !== expectedTopic) rejectReason = `topic_mismatch:${topic}`;

  const shop = await db().shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  const inserted = await db().webhookDelivery.createManyAndReturn({
    data: [
      {
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
        payload: rejectReason ? Prisma.DbNull : payload,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });

  if (inserted.length === 0) {
    log.debug("webhook duplicate", { topic, webhookId: check.webhookId });
    return { status: 200, result: "duplicate" };
  }
  if (rejectReason) {
    // Signed by Shopify but unusable: recorded for the developer, answered with a 4xx
    // and a reason. A redelivery hits the dedupe above, so it never loops into work.
    log.warn("webhook rejected", { topic, webhookId: check.webhookId, reason: rejectReason });
    return { status: 400, result: "rejected", reason: rejectReason };
  }
  return { status: 200, result: "accepted", deliveryId: inserted[0]?.id };
}

function safeDate(value: string): Date | null {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The HTTP answer for an outcome: JSON with the reason, never a 500 for bad input. */
export function webhookResponse(outcome: WebhookOutcome): Response {
  return Response.json(outcome.result === "rejected" ? { error: outcome.reason } : { result: outcome.result }, {
    status: outcome.status,
  });
}

export async function handleWebhookRoute(request: Request, topic: string): Promise<Response> {
  return webhookResponse(await receiveWebhook(request, topic));
}
