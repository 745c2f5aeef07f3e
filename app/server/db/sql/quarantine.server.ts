import type { RawQuery } from "./clients.server";

// Quarantine rows (one per work item that failed at least once) and, per queue, the
// statements that take an item out of its queue and put it back. An item leaves its
// queue through its own state, so the queues' claim statements stay as they were.

export const QUEUE_KINDS = [
  "webhook",
  "catalog-backfill",
  "pixel-inbox",
  "event",
  "enrollment",
  "message",
  "consent-write-back",
  "time-trigger",
] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export interface QuarantineRow {
  id: string;
  shopId: string | null;
  kind: QueueKind;
  itemId: string;
  failures: number;
  error: string;
  firstFailedAt: Date;
  lastFailedAt: Date;
  quarantinedAt: Date | null;
}

const COLUMNS = `id::text, "shopId", kind, "itemId", failures, error, "firstFailedAt", "lastFailedAt", "quarantinedAt"`;

/**
 * Counts one failure of an item. The same error again adds to its count; a different
 * one starts the count over ("fails the same way twice"). Returns the count now.
 */
export async function countFailure(
  q: RawQuery,
  item: { kind: QueueKind; itemId: string; shopId: string | null },
  error: string,
  at: Date,
): Promise<number> {
  const rows = await q<{ failures: number }>(
    `INSERT INTO "Quarantine" (kind, "itemId", "shopId", failures, error, "firstFailedAt", "lastFailedAt")
     VALUES ($1, $2, $3, 1, $4, $5, $5)
     ON CONFLICT (kind, "itemId") DO UPDATE SET
       failures = CASE WHEN "Quarantine".error = EXCLUDED.error THEN "Quarantine".failures + 1 ELSE 1 END,
       error = EXCLUDED.error, "lastFailedAt" = EXCLUDED."lastFailedAt"
     RETURNING failures`,
    [item.kind, item.itemId, item.shopId, error, at.toISOString()],
  );
  return rows[0]!.failures;
}

/** Marks the item set aside, with its failure count (for queues that count their own attempts). */
export async function markQuarantined(
  q: RawQuery,
  item: { kind: QueueKind; itemId: string; shopId: string | null },
  error: string,
  failures: number,
  at: Date,
  payload: Uint8Array | null = null,
): Promise<void> {
  await q(
    `INSERT INTO "Quarantine" (kind, "itemId", "shopId", failures, error, "firstFailedAt", "lastFailedAt", "quarantinedAt", payload)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $7)
     ON CONFLICT (kind, "itemId") DO UPDATE SET
       failures = GREATEST("Quarantine".failures, EXCLUDED.failures), error = EXCLUDED.error,
       "lastFailedAt" = EXCLUDED."lastFailedAt", "quarantinedAt" = EXCLUDED."quarantinedAt",
       payload = COALESCE(EXCLUDED.payload, "Quarantine".payload)`,
    [item.kind, item.itemId, item.shopId, failures, error, at.toISOString(), payload],
  );
}

/** A success after a failure: the count starts over. */
export async function forgetFailures(q: RawQuery, kind: QueueKind, itemIds: string[]): Promise<void> {
  await q(`DELETE FROM "Quarantine" WHERE kind = $1 AND "itemId" = ANY($2::text[]) AND "quarantinedAt" IS NULL`, [kind, itemIds]);
}

/** The items set aside, newest first; one shop's, or every shop's (operator tools, tests). */
export async function listQuarantined(q: RawQuery, shopId: string | null, limit = 200): Promise<QuarantineRow[]> {
  const rows = await q<QuarantineRow>(
    `SELECT ${COLUMNS} FROM "Quarantine"
     WHERE "quarantinedAt" IS NOT NULL AND ($1::text IS NULL OR "shopId" = $1)
     ORDER BY "quarantinedAt" DESC, id DESC LIMIT $2`,
    [shopId, limit],
  );
  return rows.map((r) => ({
    ...r,
    firstFailedAt: new Date(r.firstFailedAt),
    lastFailedAt: new Date(r.lastFailedAt),
    quarantinedAt: r.quarantinedAt && new Date(r.quarantinedAt),
  }));
}

/** Ids of one kind's items set aside (for sweeps whose items have no queue state of their own). */
export async function quarantinedIds(q: RawQuery, kind: QueueKind): Promise<Set<string>> {
  const rows = await q<{ itemId: string }>(`SELECT "itemId" FROM "Quarantine" WHERE kind = $1 AND "quarantinedAt" IS NOT NULL`, [kind]);
  return new Set(rows.map((r) => r.itemId));
}

/** Takes a quarantine row for release, locked; null when it is not (or no longer) there. */
export async function takeQuarantined(
  q: RawQuery,
  shopId: string,
  id: string,
): Promise<(QuarantineRow & { payload: Uint8Array | null }) | null> {
  const rows = await q<QuarantineRow & { payload: Uint8Array | null }>(
    `DELETE FROM "Quarantine" WHERE id = $1::bigint AND "shopId" = $2 AND "quarantinedAt" IS NOT NULL
     RETURNING ${COLUMNS}, payload`,
    [id, shopId],
  );
  return rows[0] ?? null;
}

/**
 * Takes the item out of its queue. Returns the payload to keep for queues whose row
 * is only a queue entry (an inbox row is moved here whole), else null.
 */
export async function parkItem(q: RawQuery, kind: QueueKind, itemId: string, at: Date): Promise<Uint8Array | null> {
  switch (kind) {
    case "webhook":
      await q(`UPDATE "WebhookDelivery" SET status = 'quarantined', "leaseOwner" = NULL, "leaseExpiresAt" = NULL WHERE id = $1`, [itemId]);
      return null;
    case "pixel-inbox": {
      // Moved out whole: the inbox stays a table that is only its queue.
      const rows = await q<{ bodyZstd: Uint8Array | null; body: string | null }>(
        `DELETE FROM "PixelInbox" WHERE id = $1::bigint RETURNING "bodyZstd", body`,
        [itemId],
      );
      const row = rows[0];
      return row ? (row.bodyZstd ?? Buffer.from(row.body ?? "", "utf8")) : null;
    }
    case "event":
      // Out of the router's queue; the quarantine row says it was never really routed.
      await q(`UPDATE "Event" SET "routedAt" = $2 WHERE id = $1::bigint`, [itemId, at.toISOString()]);
      return null;
    case "enrollment":
      await q(`UPDATE "Enrollment" SET status = 'quarantined', "updatedAt" = $2 WHERE id = $1 AND status = 'active'`, [
        itemId,
        at.toISOString(),
      ]);
      return null;
    case "message":
      await q(
        `UPDATE "Message" SET status = 'quarantined', "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = $2
         WHERE id = $1 AND status = 'pending'`,
        [itemId, at.toISOString()],
      );
      return null;
    case "consent-write-back":
      await q(`UPDATE "AuditLog" SET action = 'consent.sync_quarantined' WHERE id = $1::bigint AND action = 'consent.sync_pending'`, [
        itemId,
      ]);
      return null;
    case "catalog-backfill":
    case "time-trigger":
      // A shop's backfill and a flow's sweep have no queue state: their claims skip
      // what the quarantine holds.
      return null;
  }
}

/** Puts a released item back in its queue, due now. */
export async function unparkItem(
  q: RawQuery,
  item: { kind: QueueKind; itemId: string; shopId: string | null; payload: Uint8Array | null },
  at: Date,
): Promise<void> {
  const now = at.toISOString();
  switch (item.kind) {
    case "webhook":
      await q(
        `UPDATE "WebhookDelivery" SET status = 'received', attempts = 0, "nextAttemptAt" = $2, error = NULL
         WHERE id = $1 AND status = 'quarantined'`,
        [item.itemId, now],
      );
      return;
    case "pixel-inbox":
      if (item.payload && item.shopId)
        await q(`INSERT INTO "PixelInbox" ("shopId", "receivedAt", "bodyZstd") VALUES ($1, $2, $3)`, [item.shopId, now, item.payload]);
      return;
    case "event":
      await q(`UPDATE "Event" SET "routedAt" = NULL WHERE id = $1::bigint`, [item.itemId]);
      return;
    case "enrollment":
      await q(
        `UPDATE "Enrollment" SET status = 'active', "nextWakeAt" = COALESCE("nextWakeAt", $2), "updatedAt" = $2
         WHERE id = $1 AND status = 'quarantined'`,
        [item.itemId, now],
      );
      return;
    case "message":
      await q(`UPDATE "Message" SET status = 'pending', "nextAttemptAt" = $2, "updatedAt" = $2 WHERE id = $1 AND status = 'quarantined'`, [
        item.itemId,
        now,
      ]);
      return;
    case "consent-write-back":
      await q(
        `UPDATE "AuditLog" SET action = 'consent.sync_pending',
           details = CASE WHEN jsonb_typeof(details) = 'object' THEN jsonb_set(details, '{nextAttemptAt}', to_jsonb($2::text)) ELSE details END
         WHERE id = $1::bigint AND action = 'consent.sync_quarantined'`,
        [item.itemId, now],
      );
      return;
    case "catalog-backfill":
    case "time-trigger":
      return;
  }
}

/** The audit row of a release: who put which item back, and what it had failed with. */
export async function auditRelease(q: RawQuery, shopId: string, actor: string, row: QuarantineRow, at: Date): Promise<void> {
  await q(
    `INSERT INTO "AuditLog" ("shopId", actor, action, "subjectType", "subjectId", details, at)
     VALUES ($1, $2, 'quarantine.released', $3, $4, $5::jsonb, $6)`,
    [shopId, actor, row.kind, row.itemId, JSON.stringify({ failures: row.failures, error: row.error }), at.toISOString()],
  );
}

/**
 * Gives back this worker's leases on messages a failed pass left pending, so the next
 * pass (one message at a time) can claim them at once instead of after the lease.
 */
export async function releaseMessageLeases(q: RawQuery, workerId: string, ids: string[]): Promise<void> {
  await q(
    `UPDATE "Message" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL
     WHERE id = ANY($1::text[]) AND "leaseOwner" = $2 AND status = 'pending'`,
    [ids, workerId],
  );
}

/** The shop's set-aside pixel inbox rows with their bodies, locked (an erasure rewrites them). */
export function lockQuarantinedPixelPayloads(q: RawQuery, shopId: string): Promise<{ id: bigint; payload: Uint8Array }[]> {
  return q<{ id: bigint; payload: Uint8Array }>(
    `SELECT id, payload FROM "Quarantine" WHERE "shopId" = $1 AND kind = 'pixel-inbox' AND payload IS NOT NULL ORDER BY id FOR UPDATE`,
    [shopId],
  );
}

export async function rewriteQuarantinePayload(q: RawQuery, id: bigint, payload: Buffer | null): Promise<void> {
  // As base64 text: a bytes parameter does not survive every driver behind a Prisma transaction.
  if (payload)
    await q(`UPDATE "Quarantine" SET payload = decode($2, 'base64') WHERE id = $1::bigint`, [String(id), payload.toString("base64")]);
  else await q(`DELETE FROM "Quarantine" WHERE id = $1::bigint`, [String(id)]);
}
