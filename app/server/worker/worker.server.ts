import crypto from "node:crypto";
import os from "node:os";
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

export interface WorkerHandle {
  id: string;
  stop: () => Promise<void>;
  /** Runs every queue until nothing is due (tests and the demo's "run now"). */
  drain: () => Promise<number>;
}

/**
 * The background loop: stored webhooks, catalogue backfills, accepted pixel batches,
 * event routing into flows, due journey steps, then the outbox.
 * Runs in its own process in production (worker.ts), any number of them, or inside
 * the web process for the demo.
 */
export function startWorker(opts: { idleMs?: number; id?: string } = {}): WorkerHandle {
  const id = opts.id ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  const idleMs = opts.idleMs ?? 250;
  let running = true;
  let wake: (() => void) | null = null;

  // Inactivity and date triggers have no event: sweep for them every few minutes.
  let lastSweep = 0;
  const SWEEP_EVERY_MS = 5 * 60_000;

  // Data past its retention (app/domain/privacy/retention.ts) goes hourly, in bounded batches.
  let lastPrune = 0;
  const PRUNE_EVERY_MS = 60 * 60_000;

  async function drain(): Promise<number> {
    let total = 0;
    if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
      lastSweep = Date.now();
      total += (await sweepTimeTriggers()).enrolled;
    }
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      const pruned = await pruneExpiredData().catch((err: unknown) => log.warn("retention sweep failed; retried next hour", { worker: id, err: String(err) }));
      if (pruned && pruned.failedWebhookPayloads + pruned.webhookRecords + pruned.storefrontEvents > 0) log.info("retention sweep", { worker: id, ...pruned });
    }
    for (;;) {
      const r = await processWebhookBatch(id);
      const catalog = await backfillNextCatalog(id).catch((err: unknown) => {
        log.warn("catalog backfill failed; retried after the lease", { worker: id, err: String(err) });
        return null;
      });
      const pixel = await expandPixelInbox();
      const routed = await routeEvents();
      const steps = await runDueEnrollments();
      const outbox = await dispatchDueMessages(id);
      // Unsubscribes written back to Shopify's marketing consent (retried with backoff).
      await syncPendingConsentToShopify().catch((err: unknown) => log.warn("consent write-back failed", { worker: id, err: String(err) }));
      const work = r.claimed + (catalog ? 1 : 0) + pixel.claimed + routed.claimed + steps.claimed + outbox.claimed + outbox.unknown;
      total += work;
      if (work === 0) return total;
    }
  }

  const loop = (async () => {
    while (running) {
      try {
        await drain();
      } catch (err) {
        log.error("worker iteration failed", { worker: id, err: String(err) });
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, idleMs);
      });
    }
  })();

  return {
    id,
    drain,
    stop: async () => {
      running = false;
      wake?.();
      await loop;
    },
  };
}
