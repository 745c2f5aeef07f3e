import type { Shop } from "@prisma/client";
import { database, db } from "../db/client.server";
import { listQuarantined, type QueueKind } from "../db/sql/quarantine.server";
import { releaseQuarantined, type ReleaseOutcome } from "../worker/quarantine.server";

// The admin's system health page: what the background work set aside for this shop.
// Other sections (lag and errors per task) compose in beside it.

/** The worker task (worker/tasks.server.ts) whose queue each kind of item belongs to. */
export const TASK_OF_KIND: Record<QueueKind, string> = {
  webhook: "webhooks",
  "catalog-backfill": "catalog-backfill",
  "pixel-inbox": "pixel-inbox",
  event: "event-router",
  enrollment: "journey-steps",
  message: "outbox",
  "consent-write-back": "consent-write-back",
  "time-trigger": "time-triggers",
};

export interface QuarantinedItemView {
  id: string;
  kind: QueueKind;
  itemId: string;
  /** What the item is, where its id alone says nothing: a webhook delivery's topic. */
  topic: string | null;
  error: string;
  attempts: number;
  quarantinedAt: string;
}

export interface TaskQuarantine {
  task: string;
  items: QuarantinedItemView[];
}

/** This shop's set-aside items, grouped by worker task, tasks in the worker's order. */
export async function loadQuarantineByTask(shop: Pick<Shop, "id">): Promise<TaskQuarantine[]> {
  const rows = await listQuarantined(database().query, shop.id);
  const webhookIds = rows.filter((r) => r.kind === "webhook").map((r) => r.itemId);
  const deliveries = webhookIds.length
    ? await db().webhookDelivery.findMany({ where: { shopId: shop.id, id: { in: webhookIds } }, select: { id: true, topic: true } })
    : [];
  const topicOf = new Map(deliveries.map((d) => [d.id, d.topic]));
  const byTask = new Map<string, QuarantinedItemView[]>();
  for (const r of rows) {
    const task = TASK_OF_KIND[r.kind];
    const list = byTask.get(task) ?? [];
    list.push({
      id: r.id,
      kind: r.kind,
      itemId: r.itemId,
      topic: topicOf.get(r.itemId) ?? null,
      error: r.error,
      attempts: r.failures,
      quarantinedAt: (r.quarantinedAt ?? r.lastFailedAt).toISOString(),
    });
    byTask.set(task, list);
  }
  const order = Object.values(TASK_OF_KIND);
  return [...byTask].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([task, items]) => ({ task, items }));
}

/** Sends one of this shop's set-aside items back to its queue (audited as quarantine.released). */
export function retryQuarantinedItem(shop: Pick<Shop, "id">, quarantineId: string, actor: string): Promise<ReleaseOutcome> {
  return releaseQuarantined(shop.id, quarantineId, actor);
}
