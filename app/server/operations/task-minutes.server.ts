import { forLog } from "../channels/outbox.server";
import { database } from "../db/client.server";
import { addTaskMinutes, pruneTaskMinutes, type TaskMinuteDelta } from "../db/sql/operations.server";
import type { TaskStats } from "../worker/task-runner.server";

/** TaskMinute rows are kept this long: the health page shows the last hour and the last error of the day. */
export const TASK_MINUTES_KEPT_MS = 24 * 60 * 60_000;

/**
 * Writes what this worker's passes did since the previous call into the minute's rows,
 * so the admin (another process) can show error rates. The runner's counts only grow;
 * the difference to the last flush is this minute's share.
 */
export function taskMinuteRecorder(stats: () => TaskStats[]): (at: Date) => Promise<void> {
  const seen = new Map<string, { runs: number; failures: number }>();
  return async (at) => {
    const snapshot = stats();
    const deltas: TaskMinuteDelta[] = [];
    for (const s of snapshot) {
      const before = seen.get(s.name) ?? { runs: 0, failures: 0 };
      const runs = s.runs - before.runs;
      const failures = s.failures - before.failures;
      if (runs <= 0 && failures <= 0) continue;
      deltas.push({
        task: s.name,
        runs,
        failures,
        lastError: failures > 0 && s.lastError ? forLog(s.lastError) : null,
        lastErrorAt: failures > 0 ? at : null,
      });
    }
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    await addTaskMinutes(database().query, minute, deltas);
    // Only after the write: a failed flush is retried with the same deltas next time.
    for (const s of snapshot) seen.set(s.name, { runs: s.runs, failures: s.failures });
    await pruneTaskMinutes(database().query, new Date(at.getTime() - TASK_MINUTES_KEPT_MS));
  };
}
