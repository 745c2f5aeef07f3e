import { Prisma } from "@prisma/client";
import type { RawQuery } from "../client.server";

// A worker is alive while the session-level advisory lock (LIVENESS_LOCK_CLASS,
// hashtext(worker id)) is held. It is taken on a connection of the worker's own, so
// PostgreSQL releases it the moment that connection closes: when the process exits or
// is killed. Rows leased to a worker whose lock is gone are free at once, without
// waiting out the lease. pg_locks is cluster-wide, hence the database filter. Two
// worker ids with the same 32-bit hash only make a dead one look alive, and then its
// rows wait for their lease as before: never a row taken from a live worker.

/** The advisory lock's first key: "liveness of a worker" (any constant no other lock uses). */
export const LIVENESS_LOCK_CLASS = 7301;

export async function lockLiveness(q: RawQuery, workerId: string): Promise<void> {
  await q(`SELECT pg_advisory_lock($1, hashtext($2::text))`, [LIVENESS_LOCK_CLASS, workerId]);
}

export async function unlockLiveness(q: RawQuery, workerId: string): Promise<void> {
  await q(`SELECT pg_advisory_unlock($1, hashtext($2::text))`, [LIVENESS_LOCK_CLASS, workerId]);
}

/**
 * A CTE (`live_workers(key)`) of the liveness locks held now, read once per statement:
 * `WITH ${liveWorkersCte}, ...` then `${isLive(column)}`.
 */
export const liveWorkersCte = Prisma.sql`live_workers AS MATERIALIZED (
      SELECT objid AS key FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND classid = ${LIVENESS_LOCK_CLASS}::oid AND objsubid = 2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))`;

/** True when the worker named by `owner` (a text expression) holds its liveness lock. */
export function isLive(owner: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM live_workers WHERE key = hashtext(${owner})::oid)`;
}
