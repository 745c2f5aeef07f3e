import { PixelBatch } from "~/domain/capture/pixel-wire";
import { database, db } from "../db/client.server";
import { GroupCommitter } from "../db/group-commit.server";
import { valuesList } from "../db/values-list.server";
import { log } from "../log.server";
import { isIdentifying, rawQueryOf, writeAnonymousBatches, writeIdentifyingBatch, type AcceptedBatch } from "./pixel-ingest.server";

// The pixel endpoint's durable buffer. Acknowledging a request costs one narrow row
// (the body as received) written together with other requests' rows in one
// statement; turning it into Event rows, with their six indexes, deduplication and
// identity stitching, is the worker's job, at the worker's pace. A storefront spike
// therefore queues here instead of slowing every shopper's request.

export interface Received {
  received: number;
}

interface InboxItem {
  shopId: string;
  body: string;
  receivedAt: Date;
}

/**
 * Concurrent requests' batches share one INSERT (one commit); each answers after it.
 * One write in flight by default: while it commits the next group gathers, and fewer,
 * larger statements measured faster than two or four writers on this 2-core machine.
 * PIXEL_WRITERS raises it for a database server with cores to spare.
 */
const inboxWriter = new GroupCommitter<InboxItem, void>(writeInboxRows, 500, Number(process.env.PIXEL_WRITERS ?? 1));

async function writeInboxRows(items: InboxItem[]): Promise<void[]> {
  const { sql, params } = valuesList(
    items.map((i) => [i.shopId, i.receivedAt.toISOString(), i.body]),
    [null, "timestamptz"],
  );
  await database().query(`INSERT INTO "PixelInbox" ("shopId", "receivedAt", body) VALUES ${sql}`, params);
  return items.map(() => undefined);
}

/** Stores a validated request body; resolves once it is committed. */
export async function acceptPixelBatch(shopId: string, body: string, eventCount: number, receivedAt: Date): Promise<Received> {
  await inboxWriter.submit({ shopId, body, receivedAt });
  return { received: eventCount };
}

export interface ExpandResult {
  claimed: number;
  inserted: number;
  duplicates: number;
}

interface InboxRow {
  id: bigint;
  shopId: string;
  receivedAt: Date;
  body: string;
}

/**
 * Moves the oldest accepted batches into Event, in arrival order, in one transaction
 * that also deletes them from the inbox: a crash leaves them to the next worker, and
 * several workers take disjoint rows (SKIP LOCKED). Runs of anonymous batches are
 * written set-based; a batch with a checkout event is stitched in its place in the
 * order, so a visitor's earlier page views are stored before the checkout that names them.
 */
export async function expandPixelInbox(limit = 200): Promise<ExpandResult> {
  // Every worker loop asks; an empty inbox must cost one index probe, not a transaction.
  const waiting = await database().query(`SELECT 1 FROM "PixelInbox" LIMIT 1`);
  if (waiting.length === 0) return { claimed: 0, inserted: 0, duplicates: 0 };
  return db().$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<InboxRow[]>`
        SELECT id, "shopId", "receivedAt", body FROM "PixelInbox" ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return { claimed: 0, inserted: 0, duplicates: 0 };
      const total = { claimed: rows.length, inserted: 0, duplicates: 0 };
      const add = (w: { inserted: number; duplicates: number }) => {
        total.inserted += w.inserted;
        total.duplicates += w.duplicates;
      };
      let run: AcceptedBatch[] = [];
      const flush = async () => {
        if (run.length) add(await writeAnonymousBatches(rawQueryOf(tx), run));
        run = [];
      };
      for (const row of rows) {
        const parsed = PixelBatch.safeParse(JSON.parse(row.body));
        if (!parsed.success) {
          // Validated before it was stored, so only a schema change can get here; keep the worker moving.
          log.error("pixel inbox row no longer validates; dropped", { shopId: row.shopId, inboxId: String(row.id) });
          continue;
        }
        const accepted: AcceptedBatch = { shopId: row.shopId, batch: parsed.data, receivedAt: new Date(row.receivedAt) };
        if (isIdentifying(parsed.data)) {
          await flush();
          add(await writeIdentifyingBatch(tx, accepted));
        } else run.push(accepted);
      }
      await flush();
      await tx.$executeRaw`DELETE FROM "PixelInbox" WHERE id = ANY(${rows.map((r) => r.id)}::bigint[])`;
      return total;
    },
    { timeout: 60_000 },
  );
}

/** Expands until the inbox is empty (tests, the demo's "run now", the benchmark). */
export async function drainPixelInbox(): Promise<ExpandResult> {
  const total = { claimed: 0, inserted: 0, duplicates: 0 };
  for (;;) {
    const r = await expandPixelInbox();
    if (r.claimed === 0) return total;
    total.claimed += r.claimed;
    total.inserted += r.inserted;
    total.duplicates += r.duplicates;
  }
}
