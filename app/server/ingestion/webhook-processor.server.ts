import { keepsDeliveries, type WebhookTopic } from "./webhook-topics";
import { database, db } from "../db/client.server";
import {
  claimDeliveries,
  deliveryPayloadText,
  dropDeliveryPayload,
  markDeliveryForRetry,
  type ClaimedDelivery,
} from "../db/sql/webhooks.server";
import { parseShopifyJson, ShopifyJsonError } from "~/domain/capture/shopify-json";
import { failureText, isInfrastructureFailure } from "../worker/failure-text.server";
import { quarantineNow } from "../worker/quarantine.server";
import { now } from "../clock.server";
import { log } from "../log.server";
import { forgetShop } from "../shops/shop-cache.server";
import { TOPIC_HANDLERS } from "./topics/registry.server";
import { RetryLater, UnusablePayload } from "./topics/types";

const LEASE_MS = 60_000;
/** A handler that asks to wait (a fulfillment before its order) is retried this often. */
const MAX_ATTEMPTS = 10;
/** Any other failure (a payload the handler cannot use, a bug): retried with backoff, then quarantined. */
export const QUARANTINE_AFTER_ATTEMPTS = 3;

export interface ProcessResult {
  claimed: number;
  processed: number;
  retried: number;
  /** Set aside with their reason after repeated failure (the system health page lists them). */
  quarantined: number;
}

/**
 * Claims due deliveries with a lease (FOR UPDATE SKIP LOCKED, so any number of
 * workers share the queue) and processes each in its own transaction: the handler's
 * writes and the delivery's "processed" mark commit together. A worker that dies
 * leaves its lease to expire and another worker takes the delivery over.
 */
export async function processWebhookBatch(workerId: string, limit = 50): Promise<ProcessResult> {
  const at = now();
  const leaseUntil = new Date(at.getTime() + LEASE_MS);
  const claimed = await claimDeliveries(db(), workerId, limit, at, leaseUntil);
  const result: ProcessResult = { claimed: claimed.length, processed: 0, retried: 0, quarantined: 0 };
  for (const d of claimed) {
    const outcome = await processOne(workerId, d);
    result[outcome]++;
  }
  return result;
}

async function processOne(workerId: string, d: ClaimedDelivery): Promise<"processed" | "retried" | "quarantined"> {
  const at = now();
  const handler = TOPIC_HANDLERS[d.topic as WebhookTopic];
  try {
    if (!handler) throw new UnusablePayload("no_handler", `no handler for topic ${d.topic}`);
    await db().$transaction(
      async (tx) => {
        const text = await deliveryPayloadText(tx, d.id);
        const shop = await tx.shop.findUnique({ where: { domain: d.shopDomain } });
        // A delivery can overtake the install that creates the shop row: wait for it.
        if (!shop) throw new RetryLater(`unknown_shop: ${d.shopDomain} is not installed (yet)`);
        // Received before the uninstall was processed (or seen by the receiving process):
        // dropped like one received after it, without running the topic's handler.
        if (!keepsDeliveries(d.topic, shop)) {
          const dropped = await tx.webhookDelivery.updateMany({
            where: { id: d.id, leaseOwner: workerId },
            data: { status: "rejected", rejectReason: "shop_uninstalled", processedAt: at, leaseOwner: null, leaseExpiresAt: null },
          });
          if (dropped.count !== 1) throw new Error("lease lost while processing");
          await dropDeliveryPayload(tx, d.id);
          return;
        }
        const payload = text === null ? undefined : readPayload(text);
        await handler({ tx, shop, payload, at, webhookId: d.webhookId, deliveryId: d.id });
        const marked = await tx.webhookDelivery.updateMany({
          where: { id: d.id, leaseOwner: workerId },
          data: { status: "processed", processedAt: at, payload: undefined, leaseOwner: null, leaseExpiresAt: null, error: null },
        });
        if (marked.count !== 1) throw new Error("lease lost while processing");
        // What is extracted is kept; the raw payload (personal data) is not.
        await dropDeliveryPayload(tx, d.id);
      },
      { timeout: 30_000 },
    );
    if (d.topic === "app/uninstalled" || d.topic === "shop/redact") forgetShop(d.shopDomain);
    return "processed";
  } catch (err) {
    // The database or network down: the delivery waits its backoff and never counts
    // toward quarantine. A payload the handler cannot use may be fixed by a release
    // of the app: retried a few times too, then set aside with its reason.
    const infrastructure = isInfrastructureFailure(err);
    const limit = err instanceof RetryLater ? MAX_ATTEMPTS : QUARANTINE_AFTER_ATTEMPTS;
    const giveUp = !infrastructure && d.attempts >= limit;
    const backoffMs = Math.min(3_600_000, 1000 * 2 ** d.attempts);
    const error = failureText(err);
    await database().transaction(async (q) => {
      await markDeliveryForRetry(q, d.id, workerId, new Date(at.getTime() + backoffMs), error);
      if (giveUp) await quarantineNow(q, { kind: "webhook", itemId: d.id, shopId: d.shopId }, err, d.attempts);
    });
    const level = err instanceof RetryLater && !giveUp ? "info" : "warn";
    log[level]("webhook processing did not complete", {
      topic: d.topic,
      webhookId: d.webhookId,
      attempts: d.attempts,
      quarantined: giveUp,
      err: error,
    });
    return giveUp ? "quarantined" : "retried";
  }
}

/** The stored body with every id's digits (large ones as bigint); unusable JSON fails with its reason, not a retry. */
function readPayload(text: string): Record<string, unknown> {
  try {
    return parseShopifyJson(text);
  } catch (err) {
    if (err instanceof ShopifyJsonError) throw new UnusablePayload(err.reason, err.message);
    throw err;
  }
}
