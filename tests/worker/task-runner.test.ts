// The worker's task runner on a fake clock: cadence, per-task backoff, isolation
// from a failing or slow task, drain and stop. No database: the tasks are plain
// functions recording when they ran.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoffDelay, startTaskRunner, type Task, type TaskRunner } from "~/server/worker/task-runner.server";

let runner: TaskRunner | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  process.env.LOG_LEVEL = "silent";
});
afterEach(async () => {
  const stopping = runner?.stop();
  await vi.runOnlyPendingTimersAsync();
  await stopping;
  runner = undefined;
  vi.useRealTimers();
  delete process.env.LOG_LEVEL;
});

/** A task that records the fake time of each pass and answers from a script. */
function recorded(name: string, answer: (pass: number) => number | Error, cadence: Task["cadence"] = { kind: "queue", idleMs: 250 }) {
  const at: number[] = [];
  const task: Task = {
    name,
    cadence,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
    run: async () => {
      at.push(Date.now());
      const a = answer(at.length);
      if (a instanceof Error) throw a;
      return a;
    },
  };
  return { task, at };
}

const start = (...tasks: Task[]) => (runner = startTaskRunner(tasks, { workerId: "test" }));
const statsOf = (name: string) => runner!.stats().find((s) => s.name === name)!;

describe("task runner", () => {
  it("runs a queue again at once while it finds work, then every idleMs", async () => {
    const q = recorded("q", (pass) => [3, 2, 0][pass - 1] ?? 0);
    start(q.task);
    await vi.advanceTimersByTimeAsync(5);
    expect(q.at).toHaveLength(3); // back to back (each after a zero-delay turn for the others)
    const idleFrom = q.at[2]!;
    expect(idleFrom).toBeLessThan(5);
    await vi.advanceTimersByTimeAsync(idleFrom + 249 - 5);
    expect(q.at).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(q.at.slice(3)).toEqual([idleFrom + 250]);
    await vi.advanceTimersByTimeAsync(500);
    expect(q.at.slice(3)).toEqual([idleFrom + 250, idleFrom + 500, idleFrom + 750]);
    expect(statsOf("q")).toMatchObject({ runs: 6, done: 5, failures: 0, nextDelayMs: 250 });
  });

  it("backs a task that throws on every pass off exponentially up to its cap, while the others keep their cadence", async () => {
    const failing = recorded("failing", () => new Error("relation is locked"));
    const healthy = recorded("healthy", () => 0);
    start(failing.task, healthy.task);
    await vi.advanceTimersByTimeAsync(30_000);
    // 1 s, 2 s, 4 s, then the 8 s cap.
    expect(failing.at).toEqual([0, 1_000, 3_000, 7_000, 15_000, 23_000]);
    expect(statsOf("failing")).toMatchObject({ runs: 6, failures: 6, consecutiveFailures: 6, nextDelayMs: 8_000, nextRunAt: 31_000 });
    expect(statsOf("failing").lastError).toBe("Error: relation is locked");
    expect(healthy.at).toHaveLength(30_000 / 250 + 1);
    expect(statsOf("healthy")).toMatchObject({ failures: 0, consecutiveFailures: 0 });
  });

  it("returns a recovered task to its cadence and forgets its backoff", async () => {
    const flaky = recorded("flaky", (pass) => (pass <= 3 ? new Error("down") : 0));
    start(flaky.task);
    await vi.advanceTimersByTimeAsync(7_000);
    expect(flaky.at).toEqual([0, 1_000, 3_000, 7_000]);
    expect(statsOf("flaky")).toMatchObject({ consecutiveFailures: 0, failures: 3, nextDelayMs: 250, lastError: "Error: down" });
    await vi.advanceTimersByTimeAsync(500);
    expect(flaky.at).toEqual([0, 1_000, 3_000, 7_000, 7_250, 7_500]);
  });

  it("computes the backoff as base * 2^(n-1), capped", () => {
    const b = { baseMs: 1_000, maxMs: 300_000 };
    expect([1, 2, 3, 4, 9, 10, 50].map((n) => backoffDelay(b, n))).toEqual([1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000]);
  });

  it("runs a sweep at start and then every period, whatever it found", async () => {
    const sweep = recorded("sweep", () => 4, { kind: "every", everyMs: 300_000 });
    start(sweep.task);
    await vi.advanceTimersByTimeAsync(900_000);
    expect(sweep.at).toEqual([0, 300_000, 600_000, 900_000]);
  });

  it("never lets a slow task hold the others up", async () => {
    let release!: () => void;
    const slow: Task = {
      name: "slow",
      cadence: { kind: "queue", idleMs: 250 },
      backoff: { baseMs: 1_000, maxMs: 8_000 },
      run: () => new Promise<number>((r) => (release = () => r(0))),
    };
    const other = recorded("other", () => 0);
    start(slow, other.task);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(other.at).toHaveLength(41);
    expect(statsOf("slow")).toMatchObject({ running: true, runs: 1 });
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(statsOf("slow")).toMatchObject({ running: false, lastDurationMs: 10_000 });
  });

  it("wakes idle queues when one finds work, instead of waiting out their idle time", async () => {
    const upstream = recorded("upstream", (pass) => (pass === 2 ? 1 : 0));
    const downstream = recorded("downstream", () => 0, { kind: "queue", idleMs: 1_000 });
    start(upstream.task, downstream.task);
    await vi.advanceTimersByTimeAsync(300);
    // upstream found work at 250: downstream ran then, not at 1000.
    expect(downstream.at).toEqual([0, 250]);
  });

  it("stop() lets the pass in flight finish, starts no other and resolves when all are idle", async () => {
    let release!: () => void;
    let passes = 0;
    const busy: Task = {
      name: "busy",
      cadence: { kind: "queue", idleMs: 250 },
      backoff: { baseMs: 1_000, maxMs: 8_000 },
      run: () => {
        passes++;
        return new Promise<number>((r) => (release = () => r(5)));
      },
    };
    const idle = recorded("idle", () => 0);
    const r = start(busy, idle.task);
    await vi.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = r.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false); // still waiting for the batch in flight
    expect(idle.at).toEqual([0]); // the sleeping task was stopped, not run again
    release();
    await stopping;
    expect(passes).toBe(1); // it found work, yet no new pass started
    expect(statsOf("busy")).toMatchObject({ done: 5, running: false });
    expect(await r.drain()).toBe(0); // a stopped runner does nothing more
  });

  it("drain runs every task until nothing is due; a task that throws is left out and the others still finish", async () => {
    let queued = 7;
    const feeds = recorded("feeds", () => {
      const n = Math.min(queued, 3);
      queued -= n;
      return n;
    });
    const poison = recorded("poison", () => new Error("poison row"));
    const sweep = recorded("sweep", () => 2, { kind: "every", everyMs: 300_000 });
    const r = start(feeds.task, poison.task, sweep.task);
    await vi.advanceTimersByTimeAsync(0); // the loops' first passes: feeds takes 3+3+1
    queued = 5;
    expect(await r.drain()).toBe(5); // the sweep is not due again, the poison is skipped after one throw
    expect(poison.at).toHaveLength(2);
    expect(sweep.at).toHaveLength(1);
    queued = 4;
    await expect(r.drain({ throwOnError: true })).rejects.toThrow(AggregateError);
    expect(queued).toBe(0); // the other task's work was done before the rethrow
    expect(statsOf("poison").failures).toBe(3);
  });
});
