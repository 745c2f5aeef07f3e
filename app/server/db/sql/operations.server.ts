import type { RawQuery } from "./clients.server";

// Alert state and per-minute task counts (app/server/operations).

/**
 * Records that `key` is announced at `at`, unless it was within `repeatMs`: true for
 * the one caller that should announce it. One statement: two workers inserting the
 * same new key, or updating the same row, are serialised by PostgreSQL, and the later
 * one re-checks the WHERE against the row the earlier one committed.
 */
export async function claimAlert(
  q: RawQuery,
  a: { key: string; shopId: string | null; detail: string; at: Date; repeatMs: number },
): Promise<boolean> {
  const rows = await q(
    `INSERT INTO "AlertState" (key, "shopId", "lastFiredAt", detail) VALUES ($1, $2, $3::timestamp, $4)
     ON CONFLICT (key) DO UPDATE SET "lastFiredAt" = EXCLUDED."lastFiredAt", detail = EXCLUDED.detail, fired = "AlertState".fired + 1
     WHERE "AlertState"."lastFiredAt" <= $3::timestamp - $5::int * interval '1 millisecond'
     RETURNING key`,
    [a.key, a.shopId, a.at.toISOString(), a.detail, a.repeatMs],
  );
  return rows.length === 1;
}

/** Undoes this caller's claim (the announcement could not be sent), so the next check tries again. */
export async function releaseAlert(q: RawQuery, key: string, claimedAt: Date, repeatMs: number): Promise<void> {
  await q(
    `UPDATE "AlertState" SET "lastFiredAt" = $2::timestamp - ($3::int + 1) * interval '1 millisecond', fired = fired - 1
     WHERE key = $1 AND "lastFiredAt" = $2::timestamp`,
    [key, claimedAt.toISOString(), repeatMs],
  );
}

export interface TaskMinuteDelta {
  task: string;
  runs: number;
  failures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

/** Adds a worker's counts for `minute` (several workers add to the same rows). */
export async function addTaskMinutes(q: RawQuery, minute: Date, deltas: TaskMinuteDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const params: unknown[] = [minute.toISOString()];
  const values = deltas.map((d) => {
    params.push(d.task, d.runs, d.failures, d.lastError, d.lastErrorAt?.toISOString() ?? null);
    const n = params.length;
    return `($${n - 4}, $1::timestamp, $${n - 3}::int, $${n - 2}::int, $${n - 1}, $${n}::timestamp)`;
  });
  await q(
    `INSERT INTO "TaskMinute" (task, minute, runs, failures, "lastError", "lastErrorAt") VALUES ${values.join(", ")}
     ON CONFLICT (task, minute) DO UPDATE SET
       runs = "TaskMinute".runs + EXCLUDED.runs,
       failures = "TaskMinute".failures + EXCLUDED.failures,
       "lastError" = CASE WHEN EXCLUDED."lastErrorAt" >= "TaskMinute"."lastErrorAt" OR "TaskMinute"."lastErrorAt" IS NULL
                          THEN COALESCE(EXCLUDED."lastError", "TaskMinute"."lastError") ELSE "TaskMinute"."lastError" END,
       "lastErrorAt" = GREATEST(EXCLUDED."lastErrorAt", "TaskMinute"."lastErrorAt")`,
    params,
  );
}

export interface TaskWindow {
  task: string;
  runs: number;
  failures: number;
  lastError: string | null;
  /** Seconds before `at`; null when no error is on record. */
  lastErrorAgeSeconds: number | null;
}

/** Per task: passes and failures since `since`, and the last error on record (kept a day). */
export async function taskWindows(q: RawQuery, at: Date, since: Date): Promise<TaskWindow[]> {
  const rows = await q<{ task: string; runs: number; failures: number; lastError: string | null; age: number | null }>(
    `SELECT task,
            COALESCE(sum(runs) FILTER (WHERE minute >= $2::timestamp), 0)::int AS runs,
            COALESCE(sum(failures) FILTER (WHERE minute >= $2::timestamp), 0)::int AS failures,
            (array_agg("lastError" ORDER BY "lastErrorAt" DESC NULLS LAST))[1] AS "lastError",
            EXTRACT(EPOCH FROM ($1::timestamp - max("lastErrorAt")))::float8 AS age
     FROM "TaskMinute" GROUP BY task ORDER BY task`,
    [at.toISOString(), since.toISOString()],
  );
  return rows.map((r) => ({
    task: r.task,
    runs: Number(r.runs),
    failures: Number(r.failures),
    lastError: r.lastError,
    lastErrorAgeSeconds: r.age === null ? null : Number(r.age),
  }));
}

export async function pruneTaskMinutes(q: RawQuery, before: Date): Promise<void> {
  await q(`DELETE FROM "TaskMinute" WHERE minute < $1::timestamp`, [before.toISOString()]);
}
