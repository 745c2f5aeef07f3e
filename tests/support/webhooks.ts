import path from "node:path";
import type { RouteModule } from "./http";
import { callRoute } from "./http";
import { webhookRequest } from "./shopify";
import { processWebhookBatch } from "~/server/ingestion/webhook-processor.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";

/** Sends a payload through the topic's real route file, signed like Shopify signs it. */
export async function deliver(
  shop: string,
  topic: string,
  payload: unknown,
  opts: { webhookId?: string; eventId?: string } = {},
): Promise<Response> {
  const file = path.resolve("app/routes", `webhooks.${topic.replace(/\//g, ".")}.ts`);
  const mod = (await import(/* @vite-ignore */ file)) as RouteModule;
  return callRoute(mod.action, webhookRequest({ topic, shop, body: JSON.stringify(payload), ...opts }));
}

/** Processes every due delivery, as the worker would. */
export async function drainWebhooks(workerId = "test-worker"): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await processWebhookBatch(workerId);
    total += r.claimed;
    if (r.claimed === 0) return total;
  }
}

/** Stored webhooks processed, then events routed and due journey steps run, until nothing is left. */
export async function settleJourneys(): Promise<void> {
  await drainWebhooks();
  while ((await routeEvents()).claimed > 0);
  while ((await runDueEnrollments()).claimed > 0);
}
