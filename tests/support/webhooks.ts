import path from "node:path";
import type { RouteModule } from "./http";
import { callRoute } from "./http";
import { webhookRequest } from "./shopify";
import { processWebhookBatch } from "~/server/ingestion/webhook-processor.server";

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
