import { retentionCutoffs, storefrontEventDays } from "~/domain/privacy/retention";
import { SUBSCRIBED_EVENTS } from "../../../extensions/web-pixel/src/events";
import { now } from "../clock.server";
import { database } from "../db/client.server";
import { deleteStorefrontEvents } from "../db/sql/events.server";
import { shopRetentionDays } from "../db/sql/shops.server";
import { clearFailedPayloads, deleteFinishedDeliveries } from "../db/sql/webhooks.server";

export interface PruneResult {
  failedWebhookPayloads: number;
  webhookRecords: number;
  storefrontEvents: number;
}

/**
 * Removes what the retention policy (app/domain/privacy/retention.ts) no longer
 * allows to keep. Works in bounded batches so a first run over a large backlog never
 * holds long locks or one huge transaction; what is left waits for the next sweep.
 * Webhook records are maintenance across tenants, aged by the status index the
 * processor already uses; storefront events are pruned shop by shop.
 */
export async function pruneExpiredData(at = now(), batch = 5_000, maxBatches = 20): Promise<PruneResult> {
  const cut = retentionCutoffs(at);
  const q = database().query;
  const result: PruneResult = { failedWebhookPayloads: 0, webhookRecords: 0, storefrontEvents: 0 };
  result.failedWebhookPayloads = await inBatches(batch, maxBatches, (limit) => clearFailedPayloads(q, cut.failedWebhookPayload, limit));
  result.webhookRecords = await inBatches(batch, maxBatches, (limit) => deleteFinishedDeliveries(q, cut.webhookRecord, limit));
  // Each shop's own retention (Settings), bounded by the policy: never longer than its cutoff.
  for (const { id: shopId, storefrontEventDays: days } of await shopRetentionDays(q)) {
    const own = new Date(at.getTime() - storefrontEventDays(days) * 86_400_000);
    const before = own > cut.storefrontEvent ? own : cut.storefrontEvent;
    result.storefrontEvents += await inBatches(batch, maxBatches, (limit) =>
      deleteStorefrontEvents(q, shopId, [...SUBSCRIBED_EVENTS], before, limit),
    );
  }
  return result;
}

async function inBatches(batch: number, maxBatches: number, run: (limit: number) => Promise<unknown[]>): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = (await run(batch)).length;
    total += n;
    if (n < batch) break;
  }
  return total;
}
