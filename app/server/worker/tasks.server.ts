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
import { checkAlerts } from "../operations/alerts.server";
import { evaluateDueExperiments } from "../experiments/evaluate-experiments.server";
import { checkRunningRollouts } from "../journeys/rollouts.server";
import { taskMinuteRecorder } from "../operations/task-minutes.server";
import { now } from "../clock.server";
import type { Backoff, Task, TaskStats } from "./task-runner.server";
import { runIsolating } from "./quarantine.server";
import { splitInboxRow } from "../ingestion/pixel-inbox.server";
import { database } from "../db/client.server";
import { releaseMessageLeases } from "../db/sql/quarantine.server";

export const SWEEP_EVERY_MS = 5 * 60_000;
export const PRUNE_EVERY_MS = 60 * 60_000;
export const ALERTS_EVERY_MS = 60_000;
/** A/B experiments are evaluated once per shop-local day: this often, a new day is noticed within minutes. */
export const EXPERIMENTS_EVERY_MS = 15 * 60_000;
/** Staged rollouts' go/no-go: a breach halts a rollout within minutes of its evidence. */
export const ROLLOUTS_EVERY_MS = 5 * 60_000;

/** A queue that throws (database down, a poisonous row) retries after 1 s, 2 s, 4 s... up to 5 min. */
export const QUEUE_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 5 * 60_000 };
const SWEEP_BACKOFF: Backoff = { baseMs: 60_000, maxMs: SWEEP_EVERY_MS };
const PRUNE_BACKOFF: Backoff = { baseMs: 60_000, maxMs: PRUNE_EVERY_MS };
const EXPERIMENTS_BACKOFF: Backoff = { baseMs: 60_000, maxMs: EXPERIMENTS_EVERY_MS };
const ROLLOUTS_BACKOFF: Backoff = { baseMs: 60_000, maxMs: ROLLOUTS_EVERY_MS };

/**
 * Everything the worker does. Each queue is rows claimed with FOR UPDATE SKIP LOCKED
 * or a lease, so any number of workers share it; each entry here runs in its own loop
 * (task-runner.server.ts), so one failing or slow task never holds the others up.
 */
export function workerTasks(workerId: string, idleMs = 250, runnerStats: () => TaskStats[] = () => []): Task[] {
  const recordTaskMinutes = taskMinuteRecorder(runnerStats);
  const queue = (name: string, run: (stopping: AbortSignal) => Promise<number>): Task => ({
    name,
    run,
    cadence: { kind: "queue", idleMs },
    backoff: QUEUE_BACKOFF,
  });
  return [
    // Each delivery in its own transaction; a failing one is retried with backoff and
    // quarantined after repeated failure (webhook-processor.server.ts).
    queue("webhooks", async () => (await processWebhookBatch(workerId)).claimed),
    // The shop row is the job: a cursor to resume from and a lease. A shop whose
    // backfill keeps failing is quarantined (catalog-backfill.server.ts).
    queue("catalog-backfill", async () => ((await backfillNextCatalog(workerId)) ? 1 : 0)),
    // Batch queues: a batch that fails is run item by item (runIsolating), so one
    // poisonous item is quarantined and its batch-mates are done.
    queue("pixel-inbox", () =>
      runIsolating("pixel-inbox", async (limit, onClaim) => (await expandPixelInbox(limit, onClaim)).claimed, {
        splitItem: splitInboxRow,
      }),
    ),
    queue("event-router", () => runIsolating("event", async (limit, onClaim) => (await routeEvents(limit, onClaim)).claimed)),
    queue("journey-steps", () => runIsolating("enrollment", async (limit, onClaim) => (await runDueEnrollments(limit, onClaim)).claimed)),
    // On stop, the sends in flight finish and the rest of the claim goes back to the queue.
    queue("outbox", (stopping) =>
      runIsolating(
        "message",
        async (limit, onClaim) => {
          const r = await dispatchDueMessages(workerId, limit, onClaim, stopping);
          return r.claimed + r.unknown;
        },
        {
          afterFailure: (items) =>
            releaseMessageLeases(
              database().query,
              workerId,
              items.map((i) => i.itemId),
            ),
        },
      ),
    ),
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
    // A/B tests: each running experiment evaluated once per shop-local day; a winner
    // becomes the step's content in a new flow version (experiments/evaluate-experiments.server.ts).
    {
      name: "experiments",
      run: async () => (await evaluateDueExperiments()).outcomes.length,
      cadence: { kind: "every", everyMs: EXPERIMENTS_EVERY_MS },
      backoff: EXPERIMENTS_BACKOFF,
    },
    // Staged rollouts: each running one judged on its go/no-go criteria; a breach halts
    // it (new entrants on the previous version) with the reason (journeys/rollouts.server.ts).
    {
      name: "rollouts",
      run: async () => (await checkRunningRollouts()).halted,
      cadence: { kind: "every", everyMs: ROLLOUTS_EVERY_MS },
      backoff: ROLLOUTS_BACKOFF,
    },
    // Operations: this worker's pass counts for the admin's health page, then the alert
    // conditions (queue lag per shop, failure streaks), each announced at most hourly.
    {
      name: "alerts",
      run: async () => {
        const at = now();
        await recordTaskMinutes(at);
        return (await checkAlerts({ at, stats: runnerStats() })).fired;
      },
      cadence: { kind: "every", everyMs: ALERTS_EVERY_MS },
      backoff: { baseMs: ALERTS_EVERY_MS, maxMs: ALERTS_EVERY_MS },
    },
  ];
}
