import { Prisma } from "@prisma/client";
import { IDENTIFYING_EVENTS, identityFromEvent, UNROUTED_EVENTS, type PixelBatch } from "~/domain/capture/pixel-wire";
import { shopifyNumericId } from "~/domain/identity/normalize";
import { database, db } from "../db/client.server";
import { GroupCommitter } from "../db/group-commit.server";
import { resolveProfile } from "../profiles/identity.server";

// A timestamp from the shopper's device is believed within these bounds; outside
// them the receipt time is used (clocks on phones are wrong more often than not).
const MAX_FUTURE_MS = 5 * 60_000;
const MAX_PAST_MS = 7 * 86_400_000;

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

/**
 * Stores one pixel batch in one transaction: the events (deduplicated on Shopify's
 * event id), the visitors' client ids, and, for checkout events, the stitching of the
 * anonymous visitor to the customer profile. All or nothing.
 */
export async function ingestPixelBatch(shopId: string, batch: PixelBatch, receivedAt: Date): Promise<IngestResult> {
  const rows: Prisma.EventCreateManyInput[] = batch.events.map((e) => {
    const claimed = Date.parse(e.timestamp);
    const plausible = claimed <= receivedAt.getTime() + MAX_FUTURE_MS && claimed >= receivedAt.getTime() - MAX_PAST_MS;
    return {
      shopId,
      name: e.name,
      source: "pixel",
      sourceId: e.id,
      clientId: e.clientId,
      occurredAt: plausible ? new Date(claimed) : receivedAt,
      receivedAt,
      data: { context: e.context ?? {}, data: (e.data ?? null) as Prisma.InputJsonValue, seq: e.seq ?? null } as Prisma.InputJsonValue,
      routedAt: UNROUTED_EVENTS.has(e.name) ? receivedAt : null,
    };
  });
  const clientIds = [...new Set(batch.events.map((e) => e.clientId))];
  const identifying = batch.events.filter((e) => IDENTIFYING_EVENTS.has(e.name));
  if (identifying.length === 0) return anonymousWriter.submit({ shopId, rows, receivedAt });

  return db().$transaction(async (tx) => {
    const inserted = await tx.event.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true } });
    await tx.clientIdentity.createMany({
      data: clientIds.map((clientId) => ({ shopId, clientId, firstSeenAt: receivedAt, lastSeenAt: receivedAt })),
      skipDuplicates: true,
    });
    await tx.clientIdentity.updateMany({ where: { shopId, clientId: { in: clientIds } }, data: { lastSeenAt: receivedAt } });
    for (const e of identifying) {
      const who = identityFromEvent(e);
      if (!who || (!who.email && !who.phone && who.shopifyCustomerId === null)) continue;
      await resolveProfile(
        tx,
        shopId,
        { email: who.email, phone: who.phone, shopifyCustomerId: shopifyNumericId(who.shopifyCustomerId), clientId: e.clientId },
        { create: true, at: receivedAt, defaultCountry: who.countryCode },
      );
    }
    if (inserted.length > 0) {
      // Events of visitors we already know belong to their profile at once.
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
    }
    return { accepted: inserted.length, duplicates: rows.length - inserted.length };
  });
}

interface AnonymousBatch {
  shopId: string;
  rows: Prisma.EventCreateManyInput[];
  receivedAt: Date;
}

/**
 * The hot path (no checkout event, so no identity to resolve): batches from
 * concurrent requests are written together in one SQL statement, i.e. one
 * transaction; each request still learns its own accepted count. Events of visitors
 * already stitched to a profile get their customer at insert time.
 */
const anonymousWriter = new GroupCommitter<AnonymousBatch, IngestResult>(writeAnonymousBatches, 200, Number(process.env.PIXEL_WRITERS ?? 4));

async function writeAnonymousBatches(batches: AnonymousBatch[]): Promise<IngestResult[]> {
  const rows = batches.flatMap((b) => b.rows.map((r) => ({ ...r, shopId: b.shopId, receivedAt: b.receivedAt })));
  // One upsert per (shop, client) even when several requests carry the same visitor.
  const clients = new Map<string, { shopId: string; clientId: string; at: Date }>();
  for (const r of rows) {
    const key = `${r.shopId}\u0000${r.clientId}`;
    const prev = clients.get(key);
    if (!prev || prev.at < (r.receivedAt as Date)) clients.set(key, { shopId: r.shopId, clientId: r.clientId!, at: r.receivedAt as Date });
  }
  const c = [...clients.values()];
  const inserted = await database().query<{ shopId: string; sourceId: string }>(
    `WITH seen AS (
       INSERT INTO "ClientIdentity" (id, "shopId", "clientId", "firstSeenAt", "lastSeenAt")
       SELECT gen_random_uuid()::text, s, cl, t, t FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(s, cl, t)
       ON CONFLICT ("shopId", "clientId") DO UPDATE SET "lastSeenAt" = GREATEST("ClientIdentity"."lastSeenAt", EXCLUDED."lastSeenAt")
       RETURNING "shopId", "clientId", "customerId", "lastSeenAt"),
     touched AS (
       UPDATE "Customer" cu SET "lastSeenAt" = seen."lastSeenAt"
       FROM seen WHERE cu.id = seen."customerId" AND cu."shopId" = seen."shopId"
         AND (cu."lastSeenAt" IS NULL OR cu."lastSeenAt" < seen."lastSeenAt")
       RETURNING 1)
     INSERT INTO "Event" ("shopId", name, source, "sourceId", "clientId", "customerId", "occurredAt", "receivedAt", data, "routedAt")
     SELECT e.shop_id, e.name, 'pixel', e.source_id, e.client_id, seen."customerId", e.occurred_at, e.received_at, e.data, e.routed_at
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::jsonb[], $11::timestamptz[])
          AS e(shop_id, name, source_id, client_id, occurred_at, received_at, data, routed_at)
     LEFT JOIN seen ON seen."shopId" = e.shop_id AND seen."clientId" = e.client_id
     ON CONFLICT ("shopId", source, "sourceId") DO NOTHING
     RETURNING "shopId", "sourceId"`,
    [
      c.map((x) => x.shopId),
      c.map((x) => x.clientId),
      c.map((x) => x.at.toISOString()),
      rows.map((r) => r.shopId),
      rows.map((r) => r.name),
      rows.map((r) => r.sourceId),
      rows.map((r) => r.clientId),
      rows.map((r) => (r.occurredAt as Date).toISOString()),
      rows.map((r) => (r.receivedAt as Date).toISOString()),
      rows.map((r) => JSON.stringify(r.data)),
      rows.map((r) => (r.routedAt ? (r.routedAt as Date).toISOString() : null)),
    ],
  );
  // A row inserted by this statement belongs to the first batch that carried its id.
  const fresh = new Set(inserted.map((r) => `${r.shopId}\u0000${r.sourceId}`));
  return batches.map((b) => {
    let accepted = 0;
    for (const r of b.rows) {
      const key = `${b.shopId}\u0000${r.sourceId}`;
      if (fresh.delete(key)) accepted++;
    }
    return { accepted, duplicates: b.rows.length - accepted };
  });
}
