import { log } from "../log.server";

/** When a task runs again after a pass that did not throw. */
export type Cadence =
  /** A queue: again at once while it finds work, else after idleMs (or when woken). */
  | { kind: "queue"; idleMs: number }
  /** A sweep: every everyMs, the first at start. */
  | { kind: "every"; everyMs: number };

/** After n consecutive failures a task waits min(maxMs, baseMs * 2^(n-1)). */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export interface Task {
  name: string;
  /**
   * One pass; resolves to how much it did (0: nothing was due). `stopping` aborts when
   * the worker stops: a pass may then hand back work it has not started instead of
   * doing it (the outbox releases its unsent claim).
   */
  run: (stopping: AbortSignal) => Promise<number>;
  cadence: Cadence;
  backoff: Backoff;
}

export interface TaskStats {
  name: string;
  /** Passes started, failed ones included. */
  runs: number;
  failures: number;
  consecutiveFailures: number;
  /** Units of work done over all passes (deliveries, events, messages...). */
  done: number;
  lastDone: number;
  lastDurationMs: number;
  totalDurationMs: number;
  /** Error class, code and message of the last failure; never a payload. */
  lastError: string | null;
  /** The wait chosen after the last pass: the cadence, or the backoff after a failure. */
  nextDelayMs: number;
  /** On the runner's clock (Date.now() unless a timer is injected). */
  nextRunAt: number;
  running: boolean;
}

/** The runner's only view of time, so that tests can run it on a fake clock. */
export interface Timer {
  now(): number;
  /** Resolves after ms, or at once when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timeout);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timeout = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    }),
};

export interface TaskRunner {
  stats: () => TaskStats[];
  /**
   * Runs every task until a whole pass finds nothing due; returns the work done.
   * Queue tasks run even while backed off (an explicit "run now"); sweeps only when
   * due. A task that throws is logged and counted like in its loop and left out of
   * the rest of this drain, so the others still finish; with throwOnError the
   * failures are rethrown together (AggregateError) at the end.
   */
  drain: (opts?: { throwOnError?: boolean }) => Promise<number>;
  /**
   * Starts no new pass, tells the passes in progress (their `stopping` signal) and lets
   * them finish (each is one transaction or holds a lease, so its work is finished or
   * released) and resolves when all tasks are idle.
   */
  stop: () => Promise<void>;
}

export function backoffDelay(backoff: Backoff, consecutiveFailures: number): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, consecutiveFailures - 1));
}

/** The wait after a pass: what the cadence says, or the backoff while failing. */
export function delayAfter(task: Pick<Task, "cadence" | "backoff">, outcome: { consecutiveFailures: number; done: number }): number {
  if (outcome.consecutiveFailures > 0) return backoffDelay(task.backoff, outcome.consecutiveFailures);
  if (task.cadence.kind === "every") return task.cadence.everyMs;
  return outcome.done > 0 ? 0 : task.cadence.idleMs;
}

/** Messages of database errors can quote a statement; one short line is enough to act on. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return "non-error thrown";
  const code = (err as { code?: unknown }).code;
  const message = err.message.replace(/\s+/g, " ").trim().slice(0, 300);
  return `${err.name}${typeof code === "string" ? ` ${code}` : ""}: ${message}`;
}

/**
 * Runs each task in its own loop: a task that throws, or is slow, never holds the
 * others up. Work done by one queue wakes the idle others at once (an event routed
 * is a step due, a step run is a message to send), so a delivery still goes from
 * webhook to outbox without waiting out every queue's idle time.
 */
export function startTaskRunner(
  tasks: Task[],
  opts: {
    workerId: string;
    timer?: Timer;
    /** Told of every pass (metrics): the task, its run time, the work it did, whether it threw. */
    onPass?: (task: string, durationMs: number, done: number, failed: boolean) => void;
  },
): TaskRunner {
  const timer = opts.timer ?? realTimer;
  const stopping = new AbortController();
  // Annotated, not asserted: `stats.lastError` starts null and later holds a string.
  type State = { task: Task; stats: TaskStats; inFlight: number; sleep: AbortController | null };
  const state = tasks.map((task): State => ({
    task,
    stats: {
      name: task.name,
      runs: 0,
      failures: 0,
      consecutiveFailures: 0,
      done: 0,
      lastDone: 0,
      lastDurationMs: 0,
      totalDurationMs: 0,
      lastError: null,
      nextDelayMs: 0,
      nextRunAt: timer.now(),
      running: false,
    },
    inFlight: 0,
    sleep: null,
  }));
  const drains = new Set<Promise<number>>();

  function wakeIdleQueues(except: State) {
    for (const s of state) {
      if (s === except || s.task.cadence.kind !== "queue" || s.stats.consecutiveFailures > 0) continue;
      s.stats.nextRunAt = Math.min(s.stats.nextRunAt, timer.now());
      s.sleep?.abort();
    }
  }

  /** One pass with its bookkeeping; returns the error, if any, instead of throwing it. */
  async function runOnce(s: State): Promise<unknown> {
    const st = s.stats;
    const started = timer.now();
    s.inFlight++;
    st.running = true;
    st.runs++;
    let error: unknown = null;
    try {
      const done = await s.task.run(stopping.signal);
      st.lastDone = done;
      st.done += done;
      st.consecutiveFailures = 0;
      if (done > 0) wakeIdleQueues(s);
    } catch (err) {
      error = err ?? new Error("task threw nothing");
      st.lastDone = 0;
      st.failures++;
      st.consecutiveFailures++;
      st.lastError = describeError(err);
    } finally {
      s.inFlight--;
      st.running = s.inFlight > 0;
      st.lastDurationMs = timer.now() - started;
      st.totalDurationMs += st.lastDurationMs;
    }
    opts.onPass?.(s.task.name, st.lastDurationMs, st.lastDone, error !== null);
    st.nextDelayMs = delayAfter(s.task, { consecutiveFailures: st.consecutiveFailures, done: st.lastDone });
    st.nextRunAt = timer.now() + st.nextDelayMs;
    if (error)
      log.warn("worker task failed; backing off", {
        worker: opts.workerId,
        task: s.task.name,
        consecutiveFailures: st.consecutiveFailures,
        retryInMs: st.nextDelayMs,
        err: st.lastError,
      });
    return error;
  }

  async function loop(s: State) {
    while (!stopping.signal.aborted) {
      const wait = s.stats.nextRunAt - timer.now();
      if (wait > 0) {
        // A fresh controller per sleep: wake() and stop() end it early, and the loop
        // re-reads nextRunAt (a drain may have run the task meanwhile).
        s.sleep = new AbortController();
        const onStop = () => s.sleep?.abort();
        stopping.signal.addEventListener("abort", onStop, { once: true });
        await timer.sleep(wait, s.sleep.signal);
        stopping.signal.removeEventListener("abort", onStop);
        s.sleep = null;
        continue;
      }
      await runOnce(s);
      // A queue with more work goes again at once, but after the others had a turn.
      if (s.stats.nextDelayMs === 0) await timer.sleep(0, stopping.signal);
    }
  }

  const loops = state.map((s) => loop(s));

  async function drainOnce(throwOnError: boolean): Promise<number> {
    let total = 0;
    const failed = new Map<string, unknown>();
    for (;;) {
      let pass = 0;
      for (const s of state) {
        if (stopping.signal.aborted) return total;
        if (failed.has(s.task.name)) continue;
        // A sweep runs when due and never twice at once; queues are safe to share.
        if (s.task.cadence.kind === "every" && (s.inFlight > 0 || s.stats.nextRunAt > timer.now())) continue;
        const error = await runOnce(s);
        if (error) failed.set(s.task.name, error);
        else pass += s.stats.lastDone;
      }
      total += pass;
      if (pass === 0) break;
    }
    if (throwOnError && failed.size > 0)
      throw new AggregateError([...failed.values()], `worker tasks failed: ${[...failed.keys()].join(", ")}`);
    return total;
  }

  return {
    stats: () => state.map((s) => ({ ...s.stats })),
    drain: (drainOpts = {}) => {
      const p = drainOnce(drainOpts.throwOnError ?? false);
      drains.add(p);
      void p.then(
        () => drains.delete(p),
        () => drains.delete(p),
      );
      return p;
    },
    stop: async () => {
      stopping.abort();
      await Promise.all([...loops, ...[...drains].map((p) => p.catch(() => undefined))]);
    },
  };
}
