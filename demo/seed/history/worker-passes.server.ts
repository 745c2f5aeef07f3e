import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { database } from "~/server/db/client.server";
import { expandPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { processWebhookBatch } from "~/server/ingestion/webhook-processor.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";

// The worker's side of the history: its queue tasks, run in the worker's order until
// each finds nothing, at the tick's time (simulate.server.ts moves the clock).

/** The history's worker id (the outbox's claims and liveness lock are per worker). */
export const HISTORY_WORKER = "demo-history";

/** Milliseconds spent per worker task and per kind of shopper action, for the log. */
export type Timings = Record<string, number>;

export function timer(timings: Timings) {
  return async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = (timings[name] ?? 0) + performance.now() - t;
    }
  };
}

/** What arrived since the last drain, so the worker's tasks that cannot have work are not asked. */
export interface Arrivals {
  webhooks: number;
  pixel: number;
  events: number;
}

/**
 * What the worker would do now, each task run until it finds nothing, skipping the
 * tasks nothing can be waiting for (an idle pass still costs a few statements, and a
 * history has thousands of ticks). Returns the ids of the messages the outbox handled.
 */
export async function drain(arrived: Arrivals, due: Due, at: number, timings: Timings): Promise<string[]> {
  const timed = timer(timings);
  const handled: string[] = [];
  let events = arrived.events;
  let messages = 0;
  // A pass that claimed less than its limit took everything due: nothing it does makes
  // more of its own work due now, so the idle pass after it is skipped.
  if (arrived.webhooks > 0 || due.webhook <= at)
    await timed("webhooks", async () => {
      for (let r = await processWebhookBatch(HISTORY_WORKER, 100); ; r = await processWebhookBatch(HISTORY_WORKER, 100)) {
        events += r.processed;
        if (r.claimed < 100) break;
      }
    });
  if (arrived.pixel > 0)
    await timed("pixel", async () => {
      for (let r = await expandPixelInbox(50); ; r = await expandPixelInbox(50)) {
        events += r.inserted;
        if (r.claimed < 50) break;
      }
    });
  if (events > 0)
    await timed("route", async () => {
      for (let r = await routeEvents(500); ; r = await routeEvents(500)) {
        messages += r.enrolled + r.delivered;
        if (r.claimed < 500) break;
      }
    });
  if (due.wake <= at)
    await timed("run", async () => {
      for (let r = await runDueEnrollments(500); ; r = await runDueEnrollments(500)) {
        messages += r.messages;
        if (r.claimed < 500) break;
      }
    });
  if (messages > 0 || due.message <= at)
    await timed("dispatch", async () => {
      const claim = (items: { itemId: string }[]) => handled.push(...items.map((i) => i.itemId));
      while ((await dispatchDueMessages(HISTORY_WORKER, 100, claim)).claimed >= 100);
    });
  return handled;
}

export interface Due {
  wake: number;
  message: number;
  webhook: number;
}

/** The earliest moment the app has something to do on its own: a journey step, a send or a webhook retry. */
export async function nextDue(shopId: string): Promise<Due> {
  const [row] = await database().query<Record<keyof Due, Date | string | null>>(
    `SELECT (SELECT min("nextWakeAt") FROM "Enrollment" WHERE "shopId" = $1 AND status = 'active') AS wake,
            (SELECT min("nextAttemptAt") FROM "Message" WHERE "shopId" = $1 AND status = 'pending') AS message,
            (SELECT min("nextAttemptAt") FROM "WebhookDelivery" WHERE "shopId" = $1 AND status = 'received') AS webhook`,
    [shopId],
  );
  const ms = (v: Date | string | null | undefined) => (v ? new Date(v).getTime() : Infinity);
  return { wake: ms(row?.wake), message: ms(row?.message), webhook: ms(row?.webhook) };
}
