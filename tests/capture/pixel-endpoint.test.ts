import { beforeAll, describe, expect, it } from "vitest";
import { action } from "~/routes/api.pixel.events";
import { toWireEvent, type WireEvent } from "../../extensions/web-pixel/src/wire";
import { checkoutCompletedEvent, CLIENT_ID, productViewedEvent, SHOP_DOMAIN, wireEvent } from "../web-pixel/fixtures";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP_DOMAIN, name: "Pixel test" } })).id;
  await prisma().shop.create({ data: { domain: "gone.myshopify.com", name: "Gone", installState: "uninstalled" } });
});

function post(body: string | object, headers: Record<string, string> = {}): Promise<Response> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return action({
    request: new Request("http://localhost/api/pixel/events", {
      method: "POST",
      body: text,
      headers: { "content-type": "text/plain;charset=UTF-8", origin: "null", ...headers },
    }),
    params: {},
    context: {},
  });
}
const batch = (events: WireEvent[], shop = SHOP_DOMAIN) => ({ shop, v: 1, events });
const counts = async () => ({
  events: await prisma().event.count(),
  clients: await prisma().clientIdentity.count(),
  customers: await prisma().customer.count(),
});

describe("POST /api/pixel/events", () => {
  it("stores a Shopify product_viewed event and the visitor's client id, answering 202", async () => {
    const res = await post(batch([toWireEvent(productViewedEvent)]));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(res.headers.get("access-control-allow-origin")).toBe("null");
    const e = await prisma().event.findFirstOrThrow({ where: { shopId, sourceId: productViewedEvent.id } });
    expect(e).toMatchObject({ name: "product_viewed", source: "pixel", clientId: CLIENT_ID, customerId: null });
    expect((e.data as { data: { productVariant: { product: { title: string } } } }).data.productVariant.product.title).toBe(
      productViewedEvent.data.productVariant?.product.title,
    );
    expect(await prisma().clientIdentity.count({ where: { shopId, clientId: CLIENT_ID } })).toBe(1);
  });

  it("stores one row when the same event id is sent twice", async () => {
    const body = batch([toWireEvent(productViewedEvent)]);
    const res = await post(body);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(await prisma().event.count({ where: { sourceId: productViewedEvent.id } })).toBe(1);
  });

  it("stitches the anonymous visitor to a customer when checkout completes, history included", async () => {
    const res = await post(batch([toWireEvent(checkoutCompletedEvent)]));
    expect(res.status).toBe(202);
    const customer = await prisma().customer.findFirstOrThrow({ where: { shopId, email: "ada@example.com" } });
    expect(customer.shopifyCustomerId).toBe(7012345678901n);
    const ci = await prisma().clientIdentity.findFirstOrThrow({ where: { shopId, clientId: CLIENT_ID } });
    expect(ci.customerId).toBe(customer.id);
    const events = await prisma().event.findMany({ where: { shopId, clientId: CLIENT_ID }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.name, e.customerId])).toEqual([
      ["product_viewed", customer.id],
      ["checkout_completed", customer.id],
    ]);
  });

  it("attributes later events of a known visitor to the customer at once", async () => {
    const later = { ...wireEvent(500), clientId: CLIENT_ID };
    await post(batch([later]));
    const customer = await prisma().customer.findFirstOrThrow({ where: { shopId, email: "ada@example.com" } });
    const e = await prisma().event.findFirstOrThrow({ where: { sourceId: later.id } });
    expect(e.customerId).toBe(customer.id);
    const seen = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(seen.lastSeenAt!.getTime()).toBeGreaterThanOrEqual(e.receivedAt.getTime() - 1);
  });

  it("answers a CORS preflight", async () => {
    const res = await action({
      request: new Request("http://localhost/api/pixel/events", { method: "OPTIONS", headers: { origin: `https://${SHOP_DOMAIN}` } }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("limits the rate per client with 429 and Retry-After", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await post(batch([{ ...wireEvent(1000 + i), clientId: "rate-limited-client" }]));
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(30);
    expect(statuses).toContain(429);
  });
});

describe("bad input is refused with a 4xx and a reason, and writes nothing", () => {
  const good = toWireEvent(productViewedEvent);
  const many = (n: number) => Array.from({ length: n }, (_, i) => wireEvent(10_000 + i));
  const cases: [string, () => Promise<Response>, number, RegExp][] = [
    ["non-JSON body", () => post("shop=x&events=1"), 400, /not valid JSON/],
    ["events is a string", () => post({ shop: SHOP_DOMAIN, v: 1, events: "page_viewed" }), 400, /events/],
    ["event id is a number", () => post(batch([{ ...good, id: 42 as unknown as string }])), 400, /events\.0\.id/],
    ["timestamp is not a date", () => post(batch([{ ...good, id: "ts-bad", timestamp: "yesterday" }])), 400, /timestamp/],
    ["missing clientId", () => post(batch([{ ...good, id: "no-client", clientId: undefined as unknown as string }])), 400, /clientId/],
    ["missing shop", () => post({ v: 1, events: [good] }), 400, /shop/],
    ["shop is not a myshopify domain", () => post(batch([good], "evil.example.com")), 400, /myshopify/],
    ["missing version", () => post({ shop: SHOP_DOMAIN, events: [good] }), 400, /\bv\b/],
    ["unknown event name", () => post(batch([{ ...good, id: "bad-name", name: "purchase_made" }])), 400, /name/],
    ["empty events", () => post(batch([])), 400, /events/],
    ["1 MB body", () => post(batch([{ ...good, id: "huge", data: { pad: "x".repeat(1024 * 1024) } }])), 413, /larger than/],
    ["1,000 events", () => post(batch(many(1000).map((e) => ({ ...e, data: null })))), 413, /.+/],
    ["101 small events", () => post(batch(many(101).map((e) => ({ ...e, context: { url: "", referrer: "", title: "", language: "" }, data: null })))), 413, /Too many events: 101/],
    ["unknown shop", () => post(batch([{ ...good, id: "unknown-shop" }], "nobody.myshopify.com")), 404, /Unknown shop/],
    ["uninstalled shop", () => post(batch([{ ...good, id: "gone-shop" }], "gone.myshopify.com")), 403, /not installed/],
    ["a foreign website's origin", () => post(batch([{ ...good, id: "foreign" }]), { origin: "https://attacker.example" }), 403, /Origin/],
    [
      "one good event beside one bad one (nothing half-written)",
      () => post(batch([{ ...good, id: "half-good" }, { ...good, id: "half-bad", timestamp: "nope" }])),
      400,
      /timestamp/,
    ],
  ];

  it.each(cases)("%s", async (_name, send, status, reason) => {
    const before = await counts();
    const res = await send();
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(reason);
    expect(await counts()).toEqual(before);
  });

  it("other methods are not allowed", async () => {
    const res = await action({ request: new Request("http://localhost/api/pixel/events", { method: "PUT", body: "{}" }), params: {}, context: {} });
    expect(res.status).toBe(405);
  });
});
