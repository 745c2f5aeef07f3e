import type { PrismaSql, RawQuery } from "./clients.server";

// Event rows: the router's claim, the pixel's inserts, stitching a visitor's history
// to a profile, and retention.

/** An event as the router reads it. */
export interface EventRow {
  id: string;
  shopId: string;
  customerId: string | null;
  name: string;
  source: string;
  sourceId: string;
  occurredAt: Date;
  data: unknown;
}

const EVENT_COLUMNS = `id::text, "shopId", "customerId", name, source, "sourceId", "occurredAt", data`;

function toEventRow(r: EventRow): EventRow {
  r.occurredAt = new Date(r.occurredAt);
  return r;
}

/** The oldest events not yet routed, locked for this transaction (workers take disjoint ones). */
export async function claimUnroutedEvents(q: RawQuery, limit: number): Promise<EventRow[]> {
  const rows = await q<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM "Event" WHERE "routedAt" IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map(toEventRow);
}

export async function markEventsRouted(q: RawQuery, ids: string[], at: Date): Promise<void> {
  await q(`UPDATE "Event" SET "routedAt" = $2 WHERE id = ANY($1::bigint[])`, [ids, at.toISOString()]);
}

/** A storefront event to insert (`data` already JSON text). */
export interface NewPixelEvent {
  shopId: string;
  name: string;
  sourceId: string;
  clientId: string;
  occurredAt: Date;
  receivedAt: Date;
  data: string;
  routedAt: Date | null;
}

/** One visitor seen, with the latest time it was seen in this write. */
export interface SeenVisitor {
  shopId: string;
  clientId: string;
  at: Date;
}

/**
 * One statement records the visitors, touches known customers' lastSeenAt and inserts
 * every event (deduplicated on Shopify's event id), giving events of visitors already
 * stitched to a profile their customer at once. Returns how many events were new.
 */
export async function insertPixelEvents(q: RawQuery, visitors: SeenVisitor[], rows: NewPixelEvent[]): Promise<number> {
  const inserted = await q<{ n: number }>(
    `WITH seen AS (
       INSERT INTO "ClientIdentity" (id, "shopId", "clientId", "firstSeenAt", "lastSeenAt")
       SELECT gen_random_uuid()::text, s, cl, t, t FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(s, cl, t)
       -- Every worker locks visitors in this one order: two workers' batches name the
       -- same visitors, and locking them in arrival order deadlocked.
       ORDER BY s, cl
       ON CONFLICT ("shopId", "clientId") DO UPDATE SET "lastSeenAt" = GREATEST("ClientIdentity"."lastSeenAt", EXCLUDED."lastSeenAt")
       RETURNING "shopId", "clientId", "customerId", "lastSeenAt"),
     touched AS (
       UPDATE "Customer" cu SET "lastSeenAt" = seen."lastSeenAt"
       FROM seen WHERE cu.id = seen."customerId" AND cu."shopId" = seen."shopId"
         AND (cu."lastSeenAt" IS NULL OR cu."lastSeenAt" < seen."lastSeenAt")
       RETURNING 1),
     ins AS (
       INSERT INTO "Event" ("shopId", name, source, "sourceId", "clientId", "customerId", "occurredAt", "receivedAt", data, "routedAt")
       SELECT e.shop_id, e.name, 'pixel', e.source_id, e.client_id, seen."customerId", e.occurred_at, e.received_at, e.data, e.routed_at
       FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::jsonb[], $11::timestamptz[])
            AS e(shop_id, name, source_id, client_id, occurred_at, received_at, data, routed_at)
       LEFT JOIN seen ON seen."shopId" = e.shop_id AND seen."clientId" = e.client_id
       ORDER BY e.received_at, e.occurred_at
       ON CONFLICT ("shopId", source, "sourceId") DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [
      visitors.map((x) => x.shopId),
      visitors.map((x) => x.clientId),
      visitors.map((x) => x.at.toISOString()),
      rows.map((r) => r.shopId),
      rows.map((r) => r.name),
      rows.map((r) => r.sourceId),
      rows.map((r) => r.clientId),
      rows.map((r) => r.occurredAt.toISOString()),
      rows.map((r) => r.receivedAt.toISOString()),
      rows.map((r) => r.data),
      rows.map((r) => (r.routedAt ? r.routedAt.toISOString() : null)),
    ],
  );
  return Number(inserted[0]?.n ?? 0);
}

/** Anonymous events of these visitors, now stitched to a profile, become that customer's. */
export async function claimVisitorsEvents(tx: PrismaSql, shopId: string, clientIds: string[]): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Event" e SET "customerId" = ci."customerId"
    FROM "ClientIdentity" ci
    WHERE e."shopId" = ${shopId} AND ci."shopId" = ${shopId} AND e."clientId" = ci."clientId"
      AND e."customerId" IS NULL AND ci."customerId" IS NOT NULL AND e."clientId" = ANY(${clientIds}::text[])`;
}

/**
 * One visitor's anonymous events become the customer's; those since `rerouteSince`
 * are offered to the router again, except names no flow reacts to (`neverRouted`).
 */
export async function giveVisitorEvents(
  tx: PrismaSql,
  shopId: string,
  clientId: string,
  customerId: string,
  neverRouted: string[],
  rerouteSince: Date,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Event" SET "customerId" = ${customerId},
      "routedAt" = CASE WHEN name <> ALL(${neverRouted}::text[]) AND "occurredAt" > ${rerouteSince} THEN NULL ELSE "routedAt" END
    WHERE "shopId" = ${shopId} AND "clientId" = ${clientId} AND "customerId" IS NULL`;
}

/** At most `limit` of a shop's storefront events with these names older than `before`; the deleted rows, one each. */
export function deleteStorefrontEvents(q: RawQuery, shopId: string, names: string[], before: Date, limit: number): Promise<unknown[]> {
  return q(
    `DELETE FROM "Event" WHERE id IN (
       SELECT id FROM "Event" WHERE "shopId" = $1 AND name = ANY($2::text[]) AND "occurredAt" < $3::timestamptz AND source = 'pixel' LIMIT $4)
     RETURNING 1`,
    [shopId, names, before.toISOString(), limit],
  );
}
