import type { Prisma } from "@prisma/client";
import type { Database } from "~/server/db/client.server";

// Makes concurrent workers meet deterministically on PostgreSQL: a third session holds a
// lock every worker will ask for, so each runs up to it (holding what it locked before)
// and waits; once enough sessions wait, the holder rolls back and they go on into each
// other's locks. The technique tests/capture/pixel-inbox-workers.db.test.ts and tests/runner/router-workers.db.test.ts use.

const ROLLBACK = new Error("rollback");

/** Sessions of this database waiting on a heavyweight lock (row, transaction id, ...). */
export async function lockWaiters(database: Database): Promise<number> {
  const rows = await database.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]!.n;
}

/** Polls until at least n sessions wait on locks (or about 6 s have passed). */
export async function untilLockWaiters(database: Database, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await lockWaiters(database)) >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Runs `hold` in a transaction, then `work()`; the transaction rolls back once `waiters`
 * sessions wait on locks, so what `hold` wrote never happened. Returns work's result.
 */
export async function whileHolding<T>(
  database: Database,
  hold: (tx: Prisma.TransactionClient) => Promise<unknown>,
  work: () => Promise<T>,
  /** How many sessions must wait before the hold ends, or a promise that says when. */
  waiters: number | (() => Promise<void>) = 2,
): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let held!: () => void;
  const isHeld = new Promise<void>((r) => (held = r));
  const holder = database.prisma
    .$transaction(
      async (tx) => {
        await hold(tx);
        held();
        await released;
        throw ROLLBACK;
      },
      { timeout: 60_000 },
    )
    .catch((err: unknown) => {
      if (err !== ROLLBACK) throw err;
    });
  // A hold that fails ends the holder before it holds anything.
  await Promise.race([isHeld, holder]);
  const result = work();
  // Whatever work throws is the caller's to see; the holder must still let go.
  result.catch(() => undefined);
  await (typeof waiters === "number" ? untilLockWaiters(database, waiters) : waiters());
  release();
  await holder;
  return result;
}
