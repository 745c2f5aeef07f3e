import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleIngestionFastPath } from "~/server/http/fast-ingest.server";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS } from "~/server/ingestion/webhook-topics";
import { useTestDatabase } from "../support/db";
import { webhookRequest } from "../support/shopify";
import { drainWebhooks } from "../support/webhooks";

// Shopify's sample body of every subscribed topic, sent as it is (its bytes are what
// is signed) through the web process's own webhook endpoint, then processed. See
// tests/fixtures/shopify-webhooks/README.md for where the bodies come from.

const FIXTURES = path.resolve("tests/fixtures/shopify-webhooks");
const SHOP = "samples.myshopify.com";
// app/uninstalled and shop/redact end a shop's life: they go to a shop of their own.
const LEAVING_SHOP = "leaving.myshopify.com";
const LEAVING_TOPICS = new Set(["app/uninstalled", "shop/redact"]);
const ALL_TOPICS: readonly string[] = [...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS];
// Facts before the facts that refer to them (a fulfillment waits for its order, as it
// would at Shopify); erasures and deletions after the facts they erase.
const FACTS = [
  "app/scopes_update",
  "products/create",
  "products/update",
  "customers/create",
  "customers/update",
  "customers_email_marketing_consent/update",
  "customers_marketing_consent/update",
  "orders/create",
  "orders/updated",
  "refunds/create",
  "fulfillments/create",
  "fulfillments/update",
  "orders/cancelled",
  "checkouts/create",
  "checkouts/update",
  "carts/create",
  "carts/update",
];
const ENDINGS = ["customers/data_request", "customers/redact", "customers/delete", "products/delete", "app/uninstalled", "shop/redact"];

const sample = (topic: string) => fs.readFileSync(path.join(FIXTURES, `${topic.replace("/", "_")}.json`), "utf8");

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let server: http.Server;
let base: string;
let shopId: string;

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Samples" } })).id;
  await prisma().shop.create({ data: { domain: LEAVING_SHOP, name: "Leaving" } });
  server = http.createServer((req, res) => {
    if (!handleIngestionFastPath(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(topic: string, body: string, shop = SHOP, webhookId?: string): Promise<Response> {
  const signed = webhookRequest({ topic, shop, body, webhookId });
  return fetch(`${base}/webhooks/${topic}`, { method: "POST", headers: signed.headers, body });
}

describe("Shopify's sample payloads", () => {
  it("there is a sample for every subscribed topic, and the order below names each once", () => {
    expect([...FACTS, ...ENDINGS].sort()).toEqual([...ALL_TOPICS].sort());
    for (const topic of ALL_TOPICS) expect(fs.existsSync(path.join(FIXTURES, `${topic.replace("/", "_")}.json`)), topic).toBe(true);
  });

  async function sendAndProcess(topics: string[]) {
    for (const topic of topics) {
      const res = await post(topic, sample(topic), LEAVING_TOPICS.has(topic) ? LEAVING_SHOP : SHOP);
      expect(res.status, `${topic} answered ${res.status}: ${await res.clone().text()}`).toBe(200);
      await drainWebhooks();
      const d = await prisma().webhookDelivery.findFirstOrThrow({ where: { topic }, orderBy: { receivedAt: "desc" } });
      expect({ topic, status: d.status, error: d.error }).toEqual({ topic, status: "processed", error: null });
    }
  }

  it("every sample of a fact is acknowledged, then processed without an error; ids above 2^53 keep every digit", async () => {
    await sendAndProcess(FACTS);
    const order = await prisma().order.findFirstOrThrow({ where: { shopId }, include: { lines: true } });
    expect(order.shopifyOrderId).toBe(820982911946154508n);
    expect(order.shopifyCustomerId).toBe(115310627314723954n);
    expect(order.cancelledAt).not.toBeNull();
    // The refund names its order by the exact id, and counts the merchandise refunded (the bare number 89.99).
    const refund = await prisma().orderRefund.findFirstOrThrow({ where: { shopId } });
    expect({ refund: refund.shopifyRefundId, order: refund.shopifyOrderId, amount: refund.amount.toString() }).toEqual({
      refund: 890088186047892319n,
      order: 820982911946154508n,
      amount: "89.99",
    });
    expect(order.refundedAmount.toString()).toBe("89.99");
    expect(order.lines.map((l) => l.shopifyProductId)).toEqual([788032119674292922n, 788032119674292922n]);
    const placed = await prisma().event.findFirstOrThrow({ where: { shopId, name: "order_placed" } });
    expect(placed.sourceId).toBe("order:820982911946154508");
    expect(placed.data).toMatchObject({ shopifyOrderId: "820982911946154508", lines: [{ productId: "788032119674292922" }, {}] });
    // The fulfillment found its order by the exact id; the rounded id names no order.
    const shipped = await prisma().event.findFirstOrThrow({ where: { shopId, name: { startsWith: "fulfillment_" } } });
    expect(shipped.data).toMatchObject({ orderId: order.id, shopifyFulfillmentId: "123456" });
    expect(await prisma().order.count({ where: { shopifyOrderId: 820982911946154500n } })).toBe(0);

    const product = await prisma().product.findFirstOrThrow({ where: { shopId } });
    expect(product.shopifyProductId).toBe(788032119674292922n);
    expect(product.variants).toEqual([
      expect.objectContaining({ id: "642667041472713922" }),
      expect.objectContaining({ id: "757650484644203962" }),
    ]);
    const customers = await prisma().customer.findMany({
      where: { shopId, shopifyCustomerId: { not: null } },
      orderBy: { createdAt: "asc" },
    });
    expect(customers.map((c) => c.shopifyCustomerId)).toEqual(
      expect.arrayContaining([706405506930370084n, 115310627314723954n, 603851970716743426n]),
    );
    const checkout = await prisma().checkout.findFirstOrThrow({ where: { shopId, token: "123123123" } });
    expect(checkout.totalPrice?.toString()).toBe("421.88");
    const cart = await prisma().cart.findFirstOrThrow({ where: { shopId, token: "eeafa272cebfd4b22385bc4b645e762c" } });
    expect(cart.lineItems).toEqual([expect.objectContaining({ productId: "788032119674292922", variantId: "704912205188288575" })]);
  });

  it("every sample of a request, an erasure or a deletion is processed without an error, also when it names no known record", async () => {
    await sendAndProcess(ENDINGS);
    expect(await prisma().customer.count({ where: { shopId, shopifyCustomerId: 706405506930370084n } })).toBe(0);
    expect((await prisma().product.findFirstOrThrow({ where: { shopId } })).deletedAt).not.toBeNull();
  });

  it("the leaving shop was uninstalled, then erased", async () => {
    expect(await prisma().shop.count({ where: { domain: LEAVING_SHOP } })).toBe(0);
  });
});

describe("finding 4 as it was found", () => {
  it("customers_marketing_consent/update with sms_marketing_consent.state null is processed, and changes no consent", async () => {
    const before = await prisma().consentRecord.count();
    const res = await post("customers_marketing_consent/update", sample("customers_marketing_consent/update"), SHOP, "wh-null-state");
    expect(res.status).toBe(200);
    await drainWebhooks();
    const d = await prisma().webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-null-state" } });
    expect(d).toMatchObject({ status: "processed", error: null });
    expect(await prisma().consentRecord.count()).toBe(before);
  });

  it("a validly signed body nested 100,000 levels deep is stored rejected and answered 400 once with the reason, never a 500", async () => {
    const body = `{"id":1,"note":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const first = await post("orders/create", body, SHOP, "wh-deep");
    expect(first.status).toBe(400);
    expect(await first.json()).toEqual({ error: "json_too_deep" });
    expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-deep" } })).toMatchObject({
      status: "rejected",
      rejectReason: "json_too_deep",
      payload: null,
    });
    // Shopify redelivers what was not answered 200: the redelivery is a duplicate, not another 400 or work.
    const again = await post("orders/create", body, SHOP, "wh-deep");
    expect(again.status).toBe(200);
    expect(await prisma().webhookDelivery.count({ where: { webhookId: "wh-deep" } })).toBe(1);
  });

  it("a signed body with an escape jsonb cannot store (\\u0000) is rejected with its reason, not a 500 for its whole group", async () => {
    const res = await post("customers/update", '{"id":706405506930370084,"note":"a\\u0000b"}', SHOP, "wh-nul");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "unsupported_unicode_escape" });
  });

  it("a consent state Shopify does not document fails loudly with its reason, not silently after the 200", async () => {
    const body =
      '{"id":706405506930370084,"phone":null,"sms_marketing_consent":{"state":"maybe_later","opt_in_level":null,"consent_updated_at":null,"consent_collected_from":"OTHER"}}';
    expect((await post("customers_marketing_consent/update", body, SHOP, "wh-odd-state")).status).toBe(200);
    await drainWebhooks();
    const d = await prisma().webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-odd-state" } });
    // The worker's failure text names the error class first (worker/failure-text.server.ts).
    expect(d.error).toBe('Error: invalid_payload: sms_marketing_consent.state: unknown consent state "maybe_later"');
  });

  it("a payload the processor cannot use fails with a reason code and the fields that were wrong", async () => {
    const res = await post("orders/create", '{"id":820982911946154508,"note":"no name, no currency"}', SHOP, "wh-unusable-sample");
    expect(res.status).toBe(200);
    await drainWebhooks();
    const d = await prisma().webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-unusable-sample" } });
    expect(d.error).toMatch(/^Error: invalid_payload: .*name/);
  });
});
