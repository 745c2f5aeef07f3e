import { Prisma } from "@prisma/client";
import { IDENTIFYING_EVENTS, identityFromEvent, type PixelBatch } from "~/domain/capture/pixel-wire";
import { shopifyNumericId } from "~/domain/identity/normalize";
import { db } from "../db/client.server";
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
    };
  });
  const clientIds = [...new Set(batch.events.map((e) => e.clientId))];
  const identifying = batch.events.filter((e) => IDENTIFYING_EVENTS.has(e.name));

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
