import { IDENTIFYING_EVENTS, identityFromEvent, UNROUTED_EVENTS, type PixelBatch } from "~/domain/capture/pixel-wire";
import { shopifyNumericId } from "~/domain/identity/normalize";
import type { RawQuery } from "../db/client.server";
import { rawQueryOf } from "../db/sql/clients.server";
import { touchVisitorsCustomers } from "../db/sql/customers.server";
import { claimVisitorsEvents, insertPixelEvents, type NewPixelEvent } from "../db/sql/events.server";
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

export function isIdentifying(batch: PixelBatch): boolean {
  return batch.events.some((e) => IDENTIFYING_EVENTS.has(e.name));
}

function eventRows({ shopId, batch, receivedAt }: AcceptedBatch): NewPixelEvent[] {
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
  const n = await insertPixelEvents(q, [...clients.values()], rows);
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
  await claimVisitorsEvents(tx, shopId, clientIds);
  await touchVisitorsCustomers(tx, shopId, clientIds, receivedAt);
  return written;
}
