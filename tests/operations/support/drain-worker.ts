import type { WorkerHandle } from "~/server/worker/worker.server";

/**
 * drain() until a pass finds nothing and no task is mid-pass: a started worker's own
 * loops run at once too, and a pass of theirs may hold work that drain() then skips.
 */
export async function drainUntilQuiet(w: WorkerHandle): Promise<void> {
  for (;;) {
    const done = await w.drain({ throwOnError: true });
    if (done === 0 && !w.stats().some((s) => s.running)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
