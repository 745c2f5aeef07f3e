import crypto from "node:crypto";
import os from "node:os";
import { startTaskRunner, type TaskRunner, type TaskStats, type Timer } from "./task-runner.server";
import { releaseWorkerLiveness } from "./liveness.server";
import { workerTasks } from "./tasks.server";
import { observeTaskPass, registerRunnerStats } from "../metrics/registry.server";

export interface WorkerHandle {
  id: string;
  /**
   * Lets the passes in progress finish (the outbox: the sends on the wire; the rest of
   * its claim goes back to the queue), starts none, resolves when every task is idle.
   */
  stop: () => Promise<void>;
  /**
   * Runs every task until nothing is due (tests and the demo's "run now"); a task
   * that throws is left out of the rest of the drain, see TaskRunner.drain.
   */
  drain: (opts?: { throwOnError?: boolean }) => Promise<number>;
  /** Per task: runs, failures, backoff, timing (for a metrics endpoint). */
  stats: () => TaskStats[];
}

/**
 * The background worker: the task table (tasks.server.ts), each task in its own loop.
 * Runs in its own process in production (worker.ts), any number of them, or inside
 * the web process for the demo.
 */
export function startWorker(opts: { idleMs?: number; id?: string; timer?: Timer } = {}): WorkerHandle {
  const id = opts.id ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  // The alert task reads this runner's own stats (failure streaks, pass counts).
  // The runner starts its first passes before startTaskRunner returns.
  let runner: TaskRunner | undefined = undefined;
  const stats = () => runner?.stats() ?? [];
  runner = startTaskRunner(workerTasks(id, opts.idleMs ?? 250, stats), { workerId: id, timer: opts.timer, onPass: observeTaskPass });
  const unregister = registerRunnerStats(stats);
  return {
    id,
    stop: async () => {
      await runner.stop();
      unregister();
      // Nothing of ours is claimed or mid-send now: the lock can go.
      await releaseWorkerLiveness(id);
    },
    drain: runner.drain,
    stats,
  };
}
