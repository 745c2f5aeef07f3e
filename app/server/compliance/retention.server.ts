import { retentionCutoffs } from "~/domain/privacy/retention";
import { SUBSCRIBED_EVENTS } from "../../../extensions/web-pixel/src/events";
import { now } from "../clock.server";
import { database } from "../db/client.server";

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
  result.failedWebhookPayloads = await inBatches(batch, maxBatches, (limit) =>
    q(
      `UPDATE "WebhookDelivery" SET payload = NULL WHERE id IN (
         SELECT id FROM "WebhookDelivery" WHERE status = 'failed' AND "nextAttemptAt" < $1::timestamptz AND payload IS NOT NULL LIMIT $2)
       RETURNING 1`,
      [cut.failedWebhookPayload.toISOString(), limit],
    ),
  );
  result.webhookRecords = await inBatches(batch, maxBatches, (limit) =>
    q(
      `DELETE FROM "WebhookDelivery" WHERE id IN (
         SELECT id FROM "WebhookDelivery" WHERE status IN ('processed', 'rejected', 'failed') AND "nextAttemptAt" < $1::timestamptz LIMIT $2)
       RETURNING 1`,
      [cut.webhookRecord.toISOString(), limit],
    ),
  );
  const shops = await q<{ id: string }>(`SELECT id FROM "Shop" ORDER BY id`);
  for (const { id: shopId } of shops) {
    result.storefrontEvents += await inBatches(batch, maxBatches, (limit) =>
      q(
        `DELETE FROM "Event" WHERE id IN (
           SELECT id FROM "Event" WHERE "shopId" = $1 AND name = ANY($2::text[]) AND "occurredAt" < $3::timestamptz AND source = 'pixel' LIMIT $4)
         RETURNING 1`,
        [shopId, [...SUBSCRIBED_EVENTS], cut.storefrontEvent.toISOString(), limit],
      ),
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
