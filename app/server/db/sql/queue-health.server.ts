import type { RawQuery } from "./clients.server";

// How far behind each worker queue is: the count of due items (capped) and the age of
// the oldest, measured at scrape time and by the alert task. Every query walks the
// index its queue's claim uses, and no more than the cap's rows: a scrape costs the
// same with a backlog of a hundred or of a million. $1 is "now", $2 the cap.

/** Backlogs are counted up to this many items: "10000" reads "at least 10000". */
export const BACKLOG_CAP = 10_000;

interface QueueSql {
  /** FROM and WHERE of the due items, with `due_at` (when each became due) and "shopId" in the select list. */
  due: string;
  /** The oldest due item's due time: index-ordered, LIMIT 1. */
  oldest: string;
}

// Ages are computed by the server against $1 (timestamps are stored as UTC without a zone;
// reading them back through two drivers is where an hour goes astray).
const QUEUES: Record<string, QueueSql> = {
  webhooks: {
    due: `SELECT "shopId", CASE WHEN status = 'received' THEN "nextAttemptAt" ELSE "leaseExpiresAt" END AS due_at
          FROM "WebhookDelivery"
          WHERE (status = 'received' AND "nextAttemptAt" <= $1::timestamp) OR (status = 'processing' AND "leaseExpiresAt" < $1::timestamp)`,
    oldest: `SELECT LEAST(
               (SELECT "nextAttemptAt" FROM "WebhookDelivery" WHERE status = 'received' AND "nextAttemptAt" <= $1::timestamp ORDER BY "nextAttemptAt" LIMIT 1),
               (SELECT min("leaseExpiresAt") FROM "WebhookDelivery" WHERE status = 'processing' AND "leaseExpiresAt" < $1::timestamp))`,
  },
  "catalog-backfill": {
    due: `SELECT id AS "shopId", "installedAt" AS due_at FROM "Shop"
          WHERE "installState" = 'installed' AND "catalogSyncedAt" IS NULL
            AND ("catalogSyncLeaseUntil" IS NULL OR "catalogSyncLeaseUntil" < $1::timestamp)`,
    oldest: `SELECT min("installedAt") FROM "Shop"
             WHERE "installState" = 'installed' AND "catalogSyncedAt" IS NULL
               AND ("catalogSyncLeaseUntil" IS NULL OR "catalogSyncLeaseUntil" < $1::timestamp)`,
  },
  "pixel-inbox": {
    due: `SELECT "shopId", "receivedAt" AS due_at FROM "PixelInbox"`,
    oldest: `SELECT "receivedAt" FROM "PixelInbox" ORDER BY id LIMIT 1`,
  },
  "event-router": {
    due: `SELECT "shopId", "receivedAt" AS due_at FROM "Event" WHERE "routedAt" IS NULL`,
    oldest: `SELECT "receivedAt" FROM "Event" WHERE "routedAt" IS NULL ORDER BY "routedAt", id LIMIT 1`,
  },
  "journey-steps": {
    due: `SELECT "shopId", "nextWakeAt" AS due_at FROM "Enrollment" WHERE status = 'active' AND "nextWakeAt" <= $1::timestamp`,
    oldest: `SELECT "nextWakeAt" FROM "Enrollment" WHERE status = 'active' AND "nextWakeAt" <= $1::timestamp ORDER BY "nextWakeAt" LIMIT 1`,
  },
  outbox: {
    due: `SELECT "shopId", "nextAttemptAt" AS due_at FROM "Message"
          WHERE status = 'pending' AND "nextAttemptAt" <= $1::timestamp AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < $1::timestamp)`,
    oldest: `SELECT "nextAttemptAt" FROM "Message"
             WHERE status = 'pending' AND "nextAttemptAt" <= $1::timestamp AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < $1::timestamp)
             ORDER BY "nextAttemptAt" LIMIT 1`,
  },
  // The write-back queue is audit rows whose details carry their own next attempt.
  "consent-write-back": {
    due: `SELECT "shopId", ("details"->>'nextAttemptAt')::timestamp AS due_at FROM "AuditLog"
          WHERE action = 'consent.sync_pending' AND ("details"->>'nextAttemptAt')::timestamp <= $1::timestamp`,
    oldest: `SELECT min(("details"->>'nextAttemptAt')::timestamp) FROM (
               SELECT "details" FROM "AuditLog" WHERE action = 'consent.sync_pending' ORDER BY id LIMIT $2) s
             WHERE ("details"->>'nextAttemptAt')::timestamp <= $1::timestamp`,
  },
};

/** The worker tasks that are queues of due items (the sweeps have no backlog). */
export const QUEUE_TASKS = Object.keys(QUEUES);

export interface QueueBacklog {
  task: string;
  /** Due items, counted up to BACKLOG_CAP. */
  backlog: number;
  /** Age of the oldest due item in seconds; 0 when nothing is due. */
  oldestAgeSeconds: number;
}

export async function queueBacklog(q: RawQuery, task: string, at: Date, cap = BACKLOG_CAP): Promise<QueueBacklog> {
  const sql = QUEUES[task];
  if (!sql) throw new Error(`not a queue task: ${task}`);
  const rows = await q<{ backlog: number; age: number | null }>(
    `SELECT (SELECT count(*) FROM (${sql.due} LIMIT $2) c)::int AS backlog,
            EXTRACT(EPOCH FROM ($1::timestamp - (${sql.oldest})))::float8 AS age`,
    [at.toISOString(), cap],
  );
  const r = rows[0]!;
  return { task, backlog: Number(r.backlog), oldestAgeSeconds: Math.max(0, Number(r.age ?? 0)) };
}

/**
 * Per shop, the age of its oldest item that has been due since before `dueBefore`
 * (shopId null: items no shop owns, e.g. webhooks for an unknown shop). Reads at most
 * `cap` such items: enough to name every late shop unless thousands are.
 */
export async function lateShops(
  q: RawQuery,
  task: string,
  at: Date,
  dueBefore: Date,
  cap = BACKLOG_CAP,
): Promise<{ shopId: string | null; oldestAgeMs: number }[]> {
  const sql = QUEUES[task];
  if (!sql) throw new Error(`not a queue task: ${task}`);
  const rows = await q<{ shopId: string | null; age: number }>(
    `SELECT "shopId", (EXTRACT(EPOCH FROM ($1::timestamp - min(due_at))) * 1000)::float8 AS age
     FROM (SELECT * FROM (${sql.due}) d WHERE due_at < $3::timestamp LIMIT $2) late
     GROUP BY "shopId"`,
    [at.toISOString(), cap, dueBefore.toISOString()],
  );
  return rows.map((r) => ({ shopId: r.shopId, oldestAgeMs: Number(r.age) }));
}

/**
 * One shop's due items in a task's queue (up to `cap`) and the oldest of them: what
 * the shop's admin shows. The shop filter runs over the queue's due rows, so a shop
 * with more than `cap` due items reads "at least" for both figures.
 */
export async function shopQueueBacklog(q: RawQuery, task: string, shopId: string, at: Date, cap = BACKLOG_CAP): Promise<QueueBacklog> {
  const sql = QUEUES[task];
  if (!sql) throw new Error(`not a queue task: ${task}`);
  const rows = await q<{ backlog: number; age: number | null }>(
    `SELECT count(*)::int AS backlog, EXTRACT(EPOCH FROM ($1::timestamp - min(due_at)))::float8 AS age
     FROM (SELECT due_at FROM (${sql.due}) d WHERE "shopId" = $3 LIMIT $2) s`,
    [at.toISOString(), cap, shopId],
  );
  const r = rows[0]!;
  return { task, backlog: Number(r.backlog), oldestAgeSeconds: Math.max(0, Number(r.age ?? 0)) };
}
