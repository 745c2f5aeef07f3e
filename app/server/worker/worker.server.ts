import crypto from "node:crypto";
import os from "node:os";
import { releaseWorkerLiveness } from "./liveness.server";
import { startTaskRunner, type TaskStats, type Timer } from "./task-runner.server";
import { workerTasks } from "./tasks.server";

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
  const runner = startTaskRunner(workerTasks(id, opts.idleMs ?? 250), { workerId: id, timer: opts.timer });
  const stop = async () => {
    await runner.stop();
    // Nothing of ours is claimed or mid-send now: the lock can go.
    await releaseWorkerLiveness(id);
  };
  return { id, stop, drain: runner.drain, stats: runner.stats };
}
