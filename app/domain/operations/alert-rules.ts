// When the worker raises an alert, decided from what it measured: pure, so the rules
// are tested without a database or a clock.

/** An announced condition is repeated at most this often (across all workers: AlertState). */
export const ALERT_REPEAT_MS = 60 * 60_000;

/** How old a queue's oldest due item may get before it is an alert, per worker task. */
export const DEFAULT_LAG_THRESHOLDS_MS: Readonly<Record<string, number>> = {
  webhooks: 10 * 60_000,
  "catalog-backfill": 60 * 60_000,
  "pixel-inbox": 10 * 60_000,
  "event-router": 10 * 60_000,
  "journey-steps": 15 * 60_000,
  outbox: 15 * 60_000,
  "consent-write-back": 60 * 60_000,
};

/** A task failing this many passes in a row is an alert (at the 1 s.. backoff, about a minute). */
export const DEFAULT_FAILURE_STREAK = 5;

export interface AlertSettings {
  lagThresholdsMs: Readonly<Record<string, number>>;
  failureStreak: number;
}

/** A shop (or, shopId null, items no shop owns) whose oldest due item in a task's queue is this old. */
export interface LateQueue {
  task: string;
  shopId: string | null;
  oldestAgeMs: number;
}

export interface TaskStreak {
  task: string;
  consecutiveFailures: number;
  lastError: string | null;
}

export type AlertCondition =
  | { kind: "lag"; key: string; task: string; shopId: string | null; oldestAgeMs: number; thresholdMs: number }
  | { kind: "failing"; key: string; task: string; consecutiveFailures: number; lastError: string | null };

/**
 * "ALERT_LAG_MINUTES=outbox=5,webhooks=30" over the defaults; a malformed entry is an
 * error, not silently ignored: an alert that never fires is worse than a refused start.
 */
export function parseLagThresholds(spec: string | undefined, defaults = DEFAULT_LAG_THRESHOLDS_MS): Record<string, number> {
  const out: Record<string, number> = { ...defaults };
  for (const part of (spec ?? "").split(",")) {
    if (!part.trim()) continue;
    const m = /^\s*([a-z-]+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m || !(m[1]! in defaults))
      throw new Error(`ALERT_LAG_MINUTES: cannot read "${part.trim()}" (task=minutes, tasks: ${Object.keys(defaults).join(", ")})`);
    out[m[1]!] = Number(m[2]) * 60_000;
  }
  return out;
}

export function lagAlertKey(task: string, shopId: string | null): string {
  return `lag:${task}:${shopId ?? "-"}`;
}

export function failingAlertKey(task: string): string {
  return `failing:${task}`;
}

/** The conditions that hold now; whether each is announced again is the AlertState's call. */
export function alertConditions(late: readonly LateQueue[], streaks: readonly TaskStreak[], settings: AlertSettings): AlertCondition[] {
  const out: AlertCondition[] = [];
  for (const q of late) {
    const thresholdMs = settings.lagThresholdsMs[q.task];
    if (thresholdMs === undefined || q.oldestAgeMs <= thresholdMs) continue;
    out.push({ kind: "lag", key: lagAlertKey(q.task, q.shopId), task: q.task, shopId: q.shopId, oldestAgeMs: q.oldestAgeMs, thresholdMs });
  }
  for (const s of streaks) {
    if (s.consecutiveFailures < settings.failureStreak) continue;
    out.push({
      kind: "failing",
      key: failingAlertKey(s.task),
      task: s.task,
      consecutiveFailures: s.consecutiveFailures,
      lastError: s.lastError,
    });
  }
  return out;
}

/** Whole minutes, rounded down: what an alert says about an age. */
export function minutes(ms: number): number {
  return Math.floor(ms / 60_000);
}
