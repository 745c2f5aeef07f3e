import { log } from "../log.server";
import { expandPixelInbox } from "../ingestion/pixel-inbox.server";
import { processWebhookBatch } from "../ingestion/webhook-processor.server";
import { backfillNextCatalog } from "../shopify/catalog-backfill.server";
import { dispatchDueMessages } from "../channels/dispatch.server";
import { routeEvents } from "../journeys/router.server";
import { syncPendingConsentToShopify } from "../compliance/consent-sync.server";
import { runDueEnrollments } from "../journeys/runner.server";
import { sweepTimeTriggers } from "../journeys/sweep.server";
import { pruneExpiredData } from "../compliance/retention.server";
import type { Backoff, Task } from "./task-runner.server";

export const SWEEP_EVERY_MS = 5 * 60_000;
export const PRUNE_EVERY_MS = 60 * 60_000;

/** A queue that throws (database down, a poisonous row) retries after 1 s, 2 s, 4 s... up to 5 min. */
export const QUEUE_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 5 * 60_000 };
const SWEEP_BACKOFF: Backoff = { baseMs: 60_000, maxMs: SWEEP_EVERY_MS };
const PRUNE_BACKOFF: Backoff = { baseMs: 60_000, maxMs: PRUNE_EVERY_MS };

/**
 * Everything the worker does. Each queue is rows claimed with FOR UPDATE SKIP LOCKED
 * or a lease, so any number of workers share it; each entry here runs in its own loop
 * (task-runner.server.ts), so one failing or slow task never holds the others up.
 */
export function workerTasks(workerId: string, idleMs = 250): Task[] {
  const queue = (name: string, run: (stopping: AbortSignal) => Promise<number>): Task => ({
    name,
    run,
    cadence: { kind: "queue", idleMs },
    backoff: QUEUE_BACKOFF,
  });
  return [
    queue("webhooks", async () => (await processWebhookBatch(workerId)).claimed),
    // The shop row is the job: a cursor to resume from and a lease.
    queue("catalog-backfill", async () => ((await backfillNextCatalog(workerId)) ? 1 : 0)),
    queue("pixel-inbox", async () => (await expandPixelInbox()).claimed),
    queue("event-router", async () => (await routeEvents()).claimed),
    queue("journey-steps", async () => (await runDueEnrollments()).claimed),
    // On stop, the sends in flight finish and the rest of the claim goes back to the queue.
    queue("outbox", async (stopping) => {
      const r = await dispatchDueMessages(workerId, 50, stopping);
      return r.claimed + r.unknown;
    }),
    // Unsubscribes written back to Shopify's marketing consent (each row retried with its own backoff).
    queue("consent-write-back", async () => {
      const r = await syncPendingConsentToShopify();
      return r.synced + r.skipped + r.failed + r.retrying;
    }),
    // Inactivity and date triggers have no event: they are swept for.
    {
      name: "time-triggers",
      run: async () => (await sweepTimeTriggers()).enrolled,
      cadence: { kind: "every", everyMs: SWEEP_EVERY_MS },
      backoff: SWEEP_BACKOFF,
    },
    // Data past its retention (app/domain/privacy/retention.ts), in bounded batches.
    {
      name: "retention",
      run: async () => {
        const pruned = await pruneExpiredData();
        const n = pruned.failedWebhookPayloads + pruned.webhookRecords + pruned.storefrontEvents;
        if (n > 0) log.info("retention sweep", { worker: workerId, ...pruned });
        return n;
      },
      cadence: { kind: "every", everyMs: PRUNE_EVERY_MS },
      backoff: PRUNE_BACKOFF,
    },
  ];
}
