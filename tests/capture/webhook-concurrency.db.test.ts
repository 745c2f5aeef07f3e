import { beforeAll, describe, expect, it } from "vitest";
import { processWebhookBatch } from "~/server/ingestion/webhook-processor.server";
import { useTestDatabase } from "../support/db";
import { deliver } from "../support/webhooks";
import { orderPayload } from "./shopify-fixtures";

const SHOP = "concurrency.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Concurrency" } })).id;
});

async function drainWith(workers: string[]): Promise<void> {
  for (;;) {
    const results = await Promise.all(workers.map((w) => processWebhookBatch(w, 5)));
    if (results.every((r) => r.claimed === 0)) return;
  }
}

describe("exactly one effect", () => {
  it("the same orders/create delivered 8 times -> one order, one order_placed event", async () => {
    const payload = orderPayload({ id: 9001, name: "#9001" });
    for (let i = 0; i < 8; i++) {
      expect((await deliver(SHOP, "orders/create", payload, { webhookId: "wh-9001", eventId: "ev-9001" })).status).toBe(200);
    }
    await drainWith(["w1"]);
    expect(await prisma().order.count({ where: { shopId, shopifyOrderId: 9001n } })).toBe(1);
    expect(await prisma().event.count({ where: { shopId, sourceId: "order:9001" } })).toBe(1);
    expect(await prisma().orderLine.count({ where: { shopId, order: { shopifyOrderId: 9001n } } })).toBe(2);
  });

  it("50 concurrent copies of one delivery -> one order", async () => {
    const payload = orderPayload({ id: 9002, name: "#9002" });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => deliver(SHOP, "orders/create", payload, { webhookId: "wh-9002", eventId: "ev-9002" })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await drainWith(["w1", "w2"]);
    expect(await prisma().order.count({ where: { shopId, shopifyOrderId: 9002n } })).toBe(1);
    expect(await prisma().webhookDelivery.count({ where: { webhookId: "wh-9002" } })).toBe(1);
  });

  it("three workers draining 60 distinct deliveries process each exactly once", async () => {
    for (let i = 0; i < 60; i++) {
      await deliver(SHOP, "orders/create", orderPayload({ id: 10_000 + i, name: `#${10_000 + i}` }));
    }
    await drainWith(["w1", "w2", "w3"]);
    const deliveries = await prisma().webhookDelivery.findMany({ where: { shopDomain: SHOP, topic: "orders/create" } });
    expect(deliveries.filter((d) => d.status === "processed")).toHaveLength(deliveries.length);
    expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
    expect(await prisma().order.count({ where: { shopId, shopifyOrderId: { gte: 10_000n } } })).toBe(60);
  });

  it("a worker that died mid-delivery: its lease expires and another worker finishes the work once", async () => {
    await deliver(SHOP, "orders/create", orderPayload({ id: 9003, name: "#9003" }), { webhookId: "wh-9003" });
    // Simulate the claim of a worker that then died (lease taken, never finished).
    await prisma().webhookDelivery.update({
      where: { webhookId: "wh-9003" },
      data: { status: "processing", leaseOwner: "dead-worker", leaseExpiresAt: new Date(Date.now() - 1000), attempts: 1 },
    });
    await drainWith(["w2"]);
    const d = await prisma().webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-9003" } });
    expect(d).toMatchObject({ status: "processed", attempts: 2 });
    expect(await prisma().order.count({ where: { shopId, shopifyOrderId: 9003n } })).toBe(1);
  });
});
