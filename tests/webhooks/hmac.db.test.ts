import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { handleIngestionFastPath } from "~/server/http/fast-ingest.server";
import { MAX_WEBHOOK_BYTES } from "~/server/ingestion/webhook-receiver.server";
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
    const res = await call(webhookRequest({ topic: "orders/create", shop: SHOP, body, hmac: shopifyHmac(body, "someone-elses-secret") }));
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

describe("webhook size limit", () => {
  const oversized = JSON.stringify({ id: 1, note: "x".repeat(MAX_WEBHOOK_BYTES) });

  it("answers 413 with the reason, and stores nothing, for a signed body over the limit", async () => {
    const before = await getDb().prisma.webhookDelivery.count();
    const res = await call(webhookRequest({ topic: "orders/create", shop: SHOP, body: oversized }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "payload_too_large" });
    expect(await getDb().prisma.webhookDelivery.count()).toBe(before);
  });

  it("stops reading at the limit when no Content-Length announces the size", async () => {
    const before = await getDb().prisma.webhookDelivery.count();
    const signed = webhookRequest({ topic: "orders/create", shop: SHOP, body: oversized });
    const chunk = new TextEncoder().encode("x".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit, unless the reader stops early.
        if (sent++ < 64) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const headers = new Headers(signed.headers);
    headers.delete("content-length");
    const res = await call(new Request(signed.url, { method: "POST", headers, body: stream, duplex: "half" }));
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(16);
    expect(await getDb().prisma.webhookDelivery.count()).toBe(before);
  });
});

// The production server answers webhooks from a fast path on node:http
// (app/server/http/fast-ingest.server.ts): signatures, limits and dedupe over a real socket.
describe("webhooks over HTTP through the fast path", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (!handleIngestionFastPath(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends a signed delivery as Shopify would, through a proxy that adds its own headers. */
  const send = (o: Parameters<typeof webhookRequest>[0], extra: Record<string, string> = {}) => {
    const signed = webhookRequest(o);
    const headers = new Headers(signed.headers);
    for (const [k, v] of Object.entries(extra)) headers.set(k, v);
    return fetch(`${base}/webhooks/${o.topic}`, { method: "POST", headers, body: o.body });
  };
  const proxyHeaders = {
    "x-forwarded-for": "203.0.113.7",
    "x-forwarded-proto": "https",
    "x-request-id": "req-1",
    traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "user-agent": "Shopify-Captain-Hook",
    "accept-encoding": "gzip;q=1.0,deflate;q=0.6,identity;q=0.3",
  };

  it("accepts a correctly signed delivery among proxy headers, once, however often it comes", async () => {
    const first = await send({ topic: "orders/create", shop: SHOP, body, webhookId: "wh-fast-1" }, proxyHeaders);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ result: "accepted" });
    const again = await send({ topic: "orders/create", shop: SHOP, body, webhookId: "wh-fast-1" }, proxyHeaders);
    expect(await again.json()).toEqual({ result: "duplicate" });
    const rows = await getDb().prisma.webhookDelivery.findMany({ where: { webhookId: "wh-fast-1" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ topic: "orders/create", shopDomain: SHOP, status: "received" });
  });

  it("answers 401 for a changed byte, 400 for a missing Shopify header and 413 past the limit, storing nothing", async () => {
    const before = await getDb().prisma.webhookDelivery.count();
    const tampered = await send({ topic: "orders/create", shop: SHOP, body: tamper(body), hmac: shopifyHmac(body) }, proxyHeaders);
    expect(tampered.status).toBe(401);
    const signed = webhookRequest({ topic: "orders/create", shop: SHOP, body });
    const headers = new Headers(signed.headers);
    headers.delete("x-shopify-webhook-id");
    const missing = await fetch(`${base}/webhooks/orders/create`, { method: "POST", headers, body });
    expect(missing.status).toBe(400);
    const big = await send({ topic: "orders/create", shop: SHOP, body: JSON.stringify({ id: 2, note: "x".repeat(MAX_WEBHOOK_BYTES) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: "payload_too_large" });
    expect(await getDb().prisma.webhookDelivery.count()).toBe(before);
  });

  it("leaves unknown topics to the router (404 here)", async () => {
    const res = await send({ topic: "orders/unknown", shop: SHOP, body });
    expect(res.status).toBe(404);
  });
});
