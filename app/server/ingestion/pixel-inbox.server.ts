import zlib from "node:zlib";
import { PixelBatch } from "~/domain/capture/pixel-wire";
import { database, db } from "../db/client.server";
import { GroupCommitter } from "../db/group-commit.server";
import { rawQueryOf } from "../db/sql/clients.server";
import {
  claimInboxRows,
  deleteInboxRow,
  deleteInboxRows,
  inboxHasRows,
  insertInboxRows,
  lockInboxRow,
  type InboxRow,
} from "../db/sql/pixel-inbox.server";
import { topLevelArraySpans } from "~/domain/shared/json-bounds";
import { retryTransientConflicts } from "../db/transient-conflict.server";
import { log } from "../log.server";
import type { WorkItem } from "../worker/quarantine.server";
import { isIdentifying, writeAnonymousBatches, writeIdentifyingBatch, type AcceptedBatch } from "./pixel-ingest.server";

// The pixel endpoint's durable buffer. Acknowledging a request costs a share of one
// narrow row: the requests that arrive while the previous write commits are written
// together, one row per shop holding their bodies as received; turning them into Event
// rows, with their six indexes, deduplication and identity stitching, is the worker's
// job, at the worker's pace. A storefront spike therefore queues here instead of
// slowing every shopper's request.
//
// Row body: a JSON array of [receivedAtMs, batch] entries, in arrival order, compressed
// with zstd. One row per group rather than per request: PostgreSQL's fixed cost per row
// (tuple, index entry, foreign-key check) was as large as the cost of the bytes. A
// group's similar bodies compress about 30:1; compressing them here rather than in
// PostgreSQL (lz4) spares the connection, the server's large allocations and TOAST
// the full text, and costs the app about what building that text cost it.

export interface Received {
  received: number;
}

interface InboxItem {
  shopId: string;
  /** The request body as received: JSON that parsed and validated. */
  body: Buffer;
  receivedAt: Date;
}

/** Bounds one row's size, and with the worker's row limit, one expansion transaction. */
const MAX_BATCHES_PER_ROW = 100;

/**
 * Concurrent requests' batches share one INSERT (one commit); each answers after it.
 * One write in flight by default: while it commits the next group gathers, and fewer,
 * larger statements measured faster than two or four writers on this 2-core machine.
 * PIXEL_WRITERS raises it for a database server with cores to spare.
 */
const inboxWriter = new GroupCommitter<InboxItem, void>(writeInboxRows, MAX_BATCHES_PER_ROW, Number(process.env.PIXEL_WRITERS ?? 1));

async function writeInboxRows(items: InboxItem[]): Promise<void[]> {
  const byShop = new Map<string, InboxItem[]>();
  for (const item of items) {
    const list = byShop.get(item.shopId);
    if (list) list.push(item);
    else byShop.set(item.shopId, [item]);
  }
  await insertInboxRows(
    database(),
    [...byShop].map(([shopId, list]) => ({ shopId, receivedAt: list[0]!.receivedAt, bodyZstd: compressEntries(list) })),
  );
  return items.map(() => undefined);
}

// zstd's fast levels: a third of level 1's CPU for this JSON, at about 30:1 instead of 50:1.
const ZSTD_FAST = { params: { [zlib.constants.ZSTD_c_compressionLevel]: -3 } };
const CLOSE = 0x5d; // "]"

/**
 * `[[receivedAtMs,body],...]` from the bodies' own bytes, compressed. The bodies are
 * JSON that parsed, so the array is valid JSON; each ends in an ASCII character, so
 * decoding the whole array as UTF-8 decodes each body as the endpoint did.
 */
function compressEntries(list: InboxItem[]): Buffer {
  const heads = list.map((item, i) => `${i === 0 ? "[[" : ",["}${item.receivedAt.getTime()},`);
  let size = 1;
  list.forEach((item, i) => (size += heads[i]!.length + item.body.length + 1));
  const json = Buffer.allocUnsafe(size);
  let at = 0;
  list.forEach((item, i) => {
    at += json.write(heads[i]!, at, "latin1");
    at += item.body.copy(json, at);
    json[at++] = CLOSE;
  });
  json[at] = CLOSE;
  return zlib.zstdCompressSync(json, ZSTD_FAST);
}

/** Stores a validated request body; resolves once it is committed. */
export async function acceptPixelBatch(shopId: string, body: Buffer, eventCount: number, receivedAt: Date): Promise<Received> {
  await inboxWriter.submit({ shopId, body, receivedAt });
  return { received: eventCount };
}

export interface ExpandResult {
  /** Request batches taken from the inbox. */
  claimed: number;
  inserted: number;
  duplicates: number;
}

export type { InboxRow };

/**
 * Moves the oldest accepted batches into Event, in arrival order, in one transaction
 * that also deletes them from the inbox: a crash leaves them to the next worker, and
 * several workers take disjoint rows (SKIP LOCKED). Runs of anonymous batches are
 * written set-based; a batch with a checkout event is stitched in its place in the
 * order, so a visitor's earlier page views are stored before the checkout that names them.
 */
export async function expandPixelInbox(limit = 8, onClaim?: (items: WorkItem[]) => void): Promise<ExpandResult> {
  // Every worker loop asks; an empty inbox must cost one index probe, not a transaction.
  if (!(await inboxHasRows(database().query))) return { claimed: 0, inserted: 0, duplicates: 0 };
  // Events keep their arrival order, so two workers inserting the same event ids (a
  // retried request that landed in two groups) can still deadlock; the loser re-runs.
  return retryTransientConflicts("pixel inbox expansion", () => expandRows(limit, onClaim));
}

function expandRows(limit: number, onClaim?: (items: WorkItem[]) => void): Promise<ExpandResult> {
  return db().$transaction(
    async (tx) => {
      const rows = await claimInboxRows(tx, limit);
      if (rows.length === 0) return { claimed: 0, inserted: 0, duplicates: 0 };
      onClaim?.(rows.map((r) => ({ kind: "pixel-inbox", itemId: String(r.id), shopId: r.shopId })));
      const total = { claimed: 0, inserted: 0, duplicates: 0 };
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
        for (const entry of inboxEntries(row)) {
          total.claimed++;
          const parsed = PixelBatch.safeParse(entry.json);
          if (!parsed.success) {
            // Validated before it was stored, so only a schema change can get here; keep the worker moving.
            log.error("pixel inbox batch no longer validates; dropped", { shopId: row.shopId, inboxId: String(row.id) });
            continue;
          }
          const accepted: AcceptedBatch = { shopId: row.shopId, batch: parsed.data, receivedAt: entry.receivedAt };
          if (isIdentifying(parsed.data)) {
            await flush();
            add(await writeIdentifyingBatch(tx, accepted));
          } else run.push(accepted);
        }
      }
      await flush();
      await deleteInboxRows(
        tx,
        rows.map((r) => r.id),
      );
      return total;
    },
    { timeout: 60_000 },
  );
}

/**
 * A row's batches in arrival order. Rows written before compression hold the same JSON
 * as text, and rows written before grouping one bare batch.
 */
export function inboxEntries(row: Pick<InboxRow, "receivedAt" | "bodyZstd" | "body">): { receivedAt: Date; json: unknown }[] {
  const text = row.bodyZstd ? zlib.zstdDecompressSync(row.bodyZstd).toString("utf8") : row.body!;
  const body: unknown = JSON.parse(text);
  if (!Array.isArray(body)) return [{ receivedAt: new Date(row.receivedAt), json: body }];
  return (body as [number, unknown][]).map(([ms, json]) => ({ receivedAt: new Date(ms), json }));
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

/**
 * Splits an inbox row of several request batches into one row per batch, cut from
 * the text without parsing it (a poisonous batch may not survive a parse and a
 * re-serialisation), so the one that fails is set aside alone. False when the row
 * holds a single batch or cannot be cut.
 */
export async function splitInboxRow(item: WorkItem): Promise<boolean> {
  return database().transaction(async (q) => {
    const row = await lockInboxRow(q, item.itemId);
    // Gone (expanded) or held by another worker: nothing of it to count here.
    if (!row) return true;
    const text = row.bodyZstd ? zlib.zstdDecompressSync(row.bodyZstd).toString("utf8") : row.body!;
    const spans = topLevelArraySpans(text);
    // Rows written before grouping hold one bare batch (an object): nothing to split.
    if (!spans || spans.length < 2) return false;
    await insertInboxRows(
      { query: <T>(sql: string, params?: unknown[]) => q<T>(sql, params) },
      spans.map(([from, to]) => ({
        shopId: row.shopId,
        receivedAt: new Date(row.receivedAt),
        bodyZstd: zlib.zstdCompressSync(Buffer.from(`[${text.slice(from, to)}]`, "utf8"), ZSTD_FAST),
      })),
    );
    await deleteInboxRow(q, item.itemId);
    log.warn("pixel inbox row split to find the batch that fails", { shopId: row.shopId, inboxId: item.itemId, batches: spans.length });
    return true;
  });
}
