import type { Database } from "../client.server";
import { valuesList } from "../values-list.server";
import type { PrismaSql, RawQuery } from "./clients.server";

// PixelInbox rows: accepted pixel requests, one row per shop per group commit, until
// the worker expands them into Event rows (app/server/ingestion/pixel-inbox.server.ts).

export interface InboxRow {
  id: bigint;
  shopId: string;
  receivedAt: Date;
  bodyZstd: Uint8Array | null;
  /** Rows written before compression. */
  body: string | null;
}

/**
 * Appends one row per shop. One shop per group is the usual case: that statement's
 * text never changes, so it is prepared once per connection.
 */
export async function insertInboxRows(
  db: Pick<Database, "query">,
  rows: { shopId: string; receivedAt: Date; bodyZstd: Buffer }[],
): Promise<void> {
  const { sql, params } = valuesList(
    rows.map((r) => [r.shopId, r.receivedAt.toISOString(), r.bodyZstd]),
    [null, "timestamptz"],
  );
  await db.query(
    `INSERT INTO "PixelInbox" ("shopId", "receivedAt", "bodyZstd") VALUES ${sql}`,
    params,
    rows.length === 1 ? { prepare: "pixel-inbox-row" } : {},
  );
}

/** Whether anything waits: one index probe. */
export async function inboxHasRows(q: RawQuery): Promise<boolean> {
  return (await q(`SELECT 1 FROM "PixelInbox" LIMIT 1`)).length > 0;
}

/** The oldest rows, locked for this transaction (SKIP LOCKED: workers take disjoint rows). */
export function claimInboxRows(tx: PrismaSql, limit: number): Promise<InboxRow[]> {
  return tx.$queryRaw<InboxRow[]>`
    SELECT id, "shopId", "receivedAt", "bodyZstd", body FROM "PixelInbox" ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
}

export async function deleteInboxRows(tx: PrismaSql, ids: bigint[]): Promise<void> {
  await tx.$executeRaw`DELETE FROM "PixelInbox" WHERE id = ANY(${ids}::bigint[])`;
}

/** One row, locked, unless another worker holds it. */
export async function lockInboxRow(q: RawQuery, id: string): Promise<InboxRow | null> {
  const rows = await q<InboxRow>(
    `SELECT id, "shopId", "receivedAt", "bodyZstd", body FROM "PixelInbox" WHERE id = $1::bigint FOR UPDATE SKIP LOCKED`,
    [id],
  );
  return rows[0] ?? null;
}

export async function deleteInboxRow(q: RawQuery, id: string): Promise<void> {
  await q(`DELETE FROM "PixelInbox" WHERE id = $1::bigint`, [id]);
}

/**
 * The shop's waiting rows, locked (waiting for a worker that is expanding one to
 * commit): an erasure reads and rewrites them while no worker can turn them into events.
 */
export function lockShopInboxRows(q: RawQuery, shopId: string): Promise<InboxRow[]> {
  return q<InboxRow>(`SELECT id, "shopId", "receivedAt", "bodyZstd", body FROM "PixelInbox" WHERE "shopId" = $1 ORDER BY id FOR UPDATE`, [
    shopId,
  ]);
}

export async function rewriteInboxRow(q: RawQuery, id: bigint, bodyZstd: Buffer): Promise<void> {
  // As base64 text: a bytes parameter does not survive every driver behind a Prisma transaction.
  await q(`UPDATE "PixelInbox" SET "bodyZstd" = decode($2, 'base64'), body = NULL WHERE id = $1::bigint`, [
    String(id),
    bodyZstd.toString("base64"),
  ]);
}
