import { beforeAll, describe, expect, it } from "vitest";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { useTestDatabase } from "../support/db";
import { shopifyHmac, tamper, webhookRequest } from "../support/shopify";

const SHOP = "hmac-test.myshopify.com";
const getDb = useTestDatabase();
const call = (request: Request) => ordersCreate({ request, params: {}, context: {} });

beforeAll(async () => {
  await getDb().prisma.shop.create({ data: { domain: SHOP, name: "HMAC test" } });
});

const body = JSON.stringify({ id: 820982911946154500, name: "#9999", total_price: "199.00", currency: "PLN" });

describe("webhook signature", () => {
  it("accepts a correctly signed delivery and stores it queued for processing", async () => {
    const res = await call(webhookRequest({ topic: "orders/create", shop: SHOP, body, webhookId: "wh-ok-1" }));
    expect(res.status).toBe(200);
    const rows = await getDb().prisma.webhookDelivery.findMany({ where: { webhookId: "wh-ok-1" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ topic: "orders/create", shopDomain: SHOP, status: "received" });
    expect(rows[0]!.payload).toMatchObject({ name: "#9999" });
  });

  it("answers 401 and writes nothing when one byte of the body changed", async () => {
    const before = await getDb().prisma.webhookDelivery.count();
    const changed = tamper(body);
    expect(changed).not.toBe(body);
    expect(changed.length).toBe(body.length);
    const res = await call(
      webhookRequest({ topic: "orders/create", shop: SHOP, body: changed, hmac: shopifyHmac(body), webhookId: "wh-bad-1" }),
    );
    expect(res.status).toBe(401);
    expect(await getDb().prisma.webhookDelivery.count()).toBe(before);
  });

  it("answers 401 for a signature made with another app's secret", async () => {
    const before = await getDb().prisma.webhookDelivery.count();
    const res = await call(
      webhookRequest({ topic: "orders/create", shop: SHOP, body, hmac: shopifyHmac(body, "someone-elses-secret") }),
    );
    expect(res.status).toBe(401);
    expect(await getDb().prisma.webhookDelivery.count()).toBe(before);
  });

  it("answers 400 when Shopify's headers are missing", async () => {
    const req = new Request("http://localhost/webhooks/orders/create", {
      method: "POST",
      body,
      headers: { "x-shopify-hmac-sha256": shopifyHmac(body) },
    });
    const res = await call(req);
    expect(res.status).toBe(400);
  });

  it("records a signed body with malformed JSON as rejected (400, never 500) and dedupes its redelivery", async () => {
    const broken = '{"id": 1, "name": "#1000"';
    const first = await call(webhookRequest({ topic: "orders/create", shop: SHOP, body: broken, webhookId: "wh-broken" }));
    expect(first.status).toBe(400);
    expect(await first.json()).toEqual({ error: "malformed_json" });
    const again = await call(webhookRequest({ topic: "orders/create", shop: SHOP, body: broken, webhookId: "wh-broken" }));
    expect(again.status).toBe(200);
    const rows = await getDb().prisma.webhookDelivery.findMany({ where: { webhookId: "wh-broken" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "rejected", rejectReason: "malformed_json", payload: null });
  });

  it("rejects a delivery whose topic header does not match the route", async () => {
    const res = await call(webhookRequest({ topic: "products/create", shop: SHOP, body, webhookId: "wh-wrong-topic" }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "topic_mismatch:products/create" });
  });

  it("refuses GET with 405", async () => {
    const res = await call(new Request("http://localhost/webhooks/orders/create"));
    expect(res.status).toBe(405);
  });
});

describe("webhook dedupe", () => {
  it("stores one delivery when the same webhook arrives 8 times", async () => {
    for (let i = 0; i < 8; i++) {
      const res = await call(webhookRequest({ topic: "orders/create", shop: SHOP, body, webhookId: "wh-8x", eventId: "ev-8x" }));
      expect(res.status).toBe(200);
    }
    expect(await getDb().prisma.webhookDelivery.count({ where: { webhookId: "wh-8x" } })).toBe(1);
  });

  it("stores one delivery for 50 concurrent copies", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(webhookRequest({ topic: "orders/create", shop: SHOP, body, webhookId: "wh-50x", eventId: "ev-50x" })),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const bodies = await Promise.all(results.map((r) => r.json() as Promise<{ result: string }>));
    expect(bodies.filter((b) => b.result === "accepted")).toHaveLength(1);
    expect(await getDb().prisma.webhookDelivery.count({ where: { webhookId: "wh-50x" } })).toBe(1);
  });

  it("treats the same X-Shopify-Event-Id under a new webhook id as a duplicate", async () => {
    await call(webhookRequest({ topic: "orders/create", shop: SHOP, body, webhookId: "wh-ev-a", eventId: "ev-shared" }));
    const res = await call(webhookRequest({ topic: "orders/create", shop: SHOP, body, webhookId: "wh-ev-b", eventId: "ev-shared" }));
    expect(await res.json()).toEqual({ result: "duplicate" });
    expect(await getDb().prisma.webhookDelivery.count({ where: { eventId: "ev-shared" } })).toBe(1);
  });
});
