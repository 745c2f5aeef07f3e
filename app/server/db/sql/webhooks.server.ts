import { valuesList } from "../values-list.server";
import type { PrismaSql, RawQuery } from "./clients.server";

// WebhookDelivery rows: stored on receipt (the row is the processing queue), claimed
// by the processor, cleared and deleted by retention.

/** A delivery as stored on receipt. */
export interface NewDelivery {
  shopId: string | null;
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
  triggeredAt: Date | null;
  receivedAt: Date;
  status: string;
  rejectReason: string | null;
  /** The raw body, stored as jsonb as it came (already checked to be JSON). */
  payload: string | null;
}

/**
 * Stores deliveries in one statement, due at once. ON CONFLICT without a target covers
 * both dedupe keys: the webhook id and the (shop, topic, event id). Returns the rows
 * that were new.
 */
export function insertDeliveries(q: RawQuery, rows: NewDelivery[]): Promise<{ id: string; webhookId: string }[]> {
  const { sql: values, params } = valuesList(
    rows.map((r) => [
      r.shopId,
      r.shopDomain,
      r.topic,
      r.webhookId,
      r.eventId,
      r.apiVersion,
      r.triggeredAt?.toISOString() ?? null,
      r.receivedAt.toISOString(),
      r.status,
      r.rejectReason,
      r.payload,
    ]),
    [null, null, null, null, null, null, "timestamptz", "timestamptz", null, null, "jsonb"],
  );
  return q<{ id: string; webhookId: string }>(
    `INSERT INTO "WebhookDelivery" (id, "shopId", "shopDomain", topic, "webhookId", "eventId", "apiVersion",
                                    "triggeredAt", "receivedAt", "nextAttemptAt", status, "rejectReason", payload)
     SELECT gen_random_uuid()::text, shop_id, shop_domain, topic, webhook_id, event_id, api_version,
            triggered_at, received_at, received_at, status, reject_reason, payload
     FROM (VALUES ${values})
          AS r(shop_id, shop_domain, topic, webhook_id, event_id, api_version, triggered_at, received_at, status, reject_reason, payload)
     ON CONFLICT DO NOTHING
     RETURNING id, "webhookId"`,
    params,
  );
}

export interface ClaimedDelivery {
  id: string;
  shopDomain: string;
  topic: string;
  webhookId: string;
  shopId: string | null;
  attempts: number;
}

/** Due deliveries (new, or processing with an expired lease), oldest first, leased to `workerId` (SKIP LOCKED). */
export function claimDeliveries(sql: PrismaSql, workerId: string, limit: number, at: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
  return sql.$queryRaw<ClaimedDelivery[]>`
    WITH due AS (
      SELECT id FROM "WebhookDelivery"
      WHERE ((status = 'received' AND "nextAttemptAt" <= ${at})
          OR (status = 'processing' AND "leaseExpiresAt" < ${at}))
      ORDER BY "receivedAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE "WebhookDelivery" w
    SET status = 'processing', "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${leaseUntil}, attempts = w.attempts + 1
    FROM due WHERE w.id = due.id
    RETURNING w.id, w."shopDomain", w.topic, w."webhookId", w."shopId", w.attempts`;
}

/**
 * A delivery's body as the text jsonb keeps (numbers with all their digits), not through
 * Prisma's Json mapping, which runs JSON.parse and rounds ids above 2^53.
 */
export async function deliveryPayloadText(sql: PrismaSql, id: string): Promise<string | null> {
  const rows = await sql.$queryRaw<{ payload: string | null }[]>`SELECT payload::text AS payload FROM "WebhookDelivery" WHERE id = ${id}`;
  return rows[0]?.payload ?? null;
}

/** Drops a delivery's raw payload (personal data); what was extracted from it is kept. */
export async function dropDeliveryPayload(sql: PrismaSql, id: string): Promise<void> {
  await sql.$executeRaw`UPDATE "WebhookDelivery" SET payload = NULL WHERE id = ${id}`;
}

/** At most `limit` failed deliveries last tried before `before` lose their payload; one row per cleared delivery. */
export function clearFailedPayloads(q: RawQuery, before: Date, limit: number): Promise<unknown[]> {
  return q(
    `UPDATE "WebhookDelivery" SET payload = NULL WHERE id IN (
       SELECT id FROM "WebhookDelivery" WHERE status IN ('failed', 'quarantined') AND "nextAttemptAt" < $1::timestamptz AND payload IS NOT NULL LIMIT $2)
     RETURNING 1`,
    [before.toISOString(), limit],
  );
}

/** At most `limit` finished deliveries last touched before `before` are deleted; one row per deleted delivery. */
export function deleteFinishedDeliveries(q: RawQuery, before: Date, limit: number): Promise<unknown[]> {
  return q(
    `DELETE FROM "WebhookDelivery" WHERE id IN (
       SELECT id FROM "WebhookDelivery" WHERE status IN ('processed', 'rejected', 'failed') AND "nextAttemptAt" < $1::timestamptz LIMIT $2)
     RETURNING 1`,
    [before.toISOString(), limit],
  );
}

/** A failed attempt: due again at `nextAttemptAt`, unless this worker lost the lease meanwhile. */
export async function markDeliveryForRetry(q: RawQuery, id: string, workerId: string, nextAttemptAt: Date, error: string): Promise<void> {
  await q(
    `UPDATE "WebhookDelivery" SET status = 'received', "nextAttemptAt" = $3, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, error = $4
     WHERE id = $1 AND "leaseOwner" = $2`,
    [id, workerId, nextAttemptAt.toISOString(), error],
  );
}
