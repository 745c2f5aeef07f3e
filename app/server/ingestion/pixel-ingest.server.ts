import { IDENTIFYING_EVENTS, identityFromEvent, UNROUTED_EVENTS, type PixelBatch } from "~/domain/capture/pixel-wire";
import { shopifyNumericId } from "~/domain/identity/normalize";
import type { RawQuery } from "../db/client.server";
import { resolveProfile, type Tx } from "../profiles/identity.server";

// Turns accepted pixel batches into Event rows: deduplicated on Shopify's event id,
// the visitors' client ids recorded, and, for checkout events, the anonymous visitor
// stitched to the customer profile. Runs in the worker, inside the transaction that
// removes the batches from the inbox (app/server/ingestion/pixel-inbox.server.ts).

// A timestamp from the shopper's device is believed within these bounds; outside
// them the receipt time is used (clocks on phones are wrong more often than not).
const MAX_FUTURE_MS = 5 * 60_000;
const MAX_PAST_MS = 7 * 86_400_000;

export interface AcceptedBatch {
  shopId: string;
  batch: PixelBatch;
  receivedAt: Date;
}

export interface EventsWritten {
  inserted: number;
  duplicates: number;
}

interface EventRow {
  shopId: string;
  name: string;
  sourceId: string;
  clientId: string;
  occurredAt: Date;
  receivedAt: Date;
  data: string;
  routedAt: Date | null;
}

export function isIdentifying(batch: PixelBatch): boolean {
  return batch.events.some((e) => IDENTIFYING_EVENTS.has(e.name));
}

function eventRows({ shopId, batch, receivedAt }: AcceptedBatch): EventRow[] {
  return batch.events.map((e) => {
    const claimed = Date.parse(e.timestamp);
    const plausible = claimed <= receivedAt.getTime() + MAX_FUTURE_MS && claimed >= receivedAt.getTime() - MAX_PAST_MS;
    return {
      shopId,
      name: e.name,
      sourceId: e.id,
      clientId: e.clientId,
      occurredAt: plausible ? new Date(claimed) : receivedAt,
      receivedAt,
      data: JSON.stringify({ context: e.context ?? {}, data: e.data ?? null, seq: e.seq ?? null }),
      // Events no flow reacts to are stored already routed.
      routedAt: UNROUTED_EVENTS.has(e.name) ? receivedAt : null,
    };
  });
}

/**
 * Batches without a checkout event (the bulk of traffic): one statement records the
 * visitors, touches known customers' lastSeenAt and inserts every event, giving events
 * of visitors already stitched to a profile their customer at once.
 */
export async function writeAnonymousBatches(q: RawQuery, batches: AcceptedBatch[]): Promise<EventsWritten> {
  const rows = batches.flatMap(eventRows);
  if (rows.length === 0) return { inserted: 0, duplicates: 0 };
  // One upsert per (shop, client) even when several batches carry the same visitor.
  const clients = new Map<string, { shopId: string; clientId: string; at: Date }>();
  for (const r of rows) {
    const key = `${r.shopId}\u0000${r.clientId}`;
    const prev = clients.get(key);
    if (!prev || prev.at < r.receivedAt) clients.set(key, { shopId: r.shopId, clientId: r.clientId, at: r.receivedAt });
  }
  const c = [...clients.values()];
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
      c.map((x) => x.shopId),
      c.map((x) => x.clientId),
      c.map((x) => x.at.toISOString()),
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
  const n = Number(inserted[0]?.n ?? 0);
  return { inserted: n, duplicates: rows.length - n };
}

/**
 * A batch with a checkout event: its events, then the stitching of the visitor to the
 * customer (created if new), then the visitor's earlier anonymous events moved onto
 * the profile. Runs inside the caller's transaction.
 */
export async function writeIdentifyingBatch(tx: Tx, accepted: AcceptedBatch): Promise<EventsWritten> {
  const { shopId, batch, receivedAt } = accepted;
  const written = await writeAnonymousBatches(rawQueryOf(tx), [accepted]);
  const clientIds = [...new Set(batch.events.map((e) => e.clientId))];
  for (const e of batch.events) {
    if (!IDENTIFYING_EVENTS.has(e.name)) continue;
    const who = identityFromEvent(e);
    if (!who || (!who.email && !who.phone && who.shopifyCustomerId === null)) continue;
    await resolveProfile(
      tx,
      shopId,
      { email: who.email, phone: who.phone, shopifyCustomerId: shopifyNumericId(who.shopifyCustomerId), clientId: e.clientId },
      { create: true, at: receivedAt, defaultCountry: who.countryCode },
    );
  }
  // Events of visitors we now know belong to their profile at once.
  await tx.$executeRaw`
    UPDATE "Event" e SET "customerId" = ci."customerId"
    FROM "ClientIdentity" ci
    WHERE e."shopId" = ${shopId} AND ci."shopId" = ${shopId} AND e."clientId" = ci."clientId"
      AND e."customerId" IS NULL AND ci."customerId" IS NOT NULL AND e."clientId" = ANY(${clientIds}::text[])`;
  await tx.$executeRaw`
    UPDATE "Customer" c SET "lastSeenAt" = ${receivedAt}
    FROM "ClientIdentity" ci
    WHERE ci."shopId" = ${shopId} AND c."shopId" = ${shopId} AND c.id = ci."customerId" AND ci."clientId" = ANY(${clientIds}::text[])
      AND (c."lastSeenAt" IS NULL OR c."lastSeenAt" < ${receivedAt})`;
  return written;
}

/** The raw-query shape over a Prisma transaction, so set-based SQL runs in the same transaction. */
export function rawQueryOf(tx: Tx): RawQuery {
  return <T,>(sql: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(sql, ...params);
}
