import http from "node:http";
import zlib from "node:zlib";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outsideDemo } from "../support/demo-mode";
import { handleIngestionFastPath } from "~/server/http/fast-ingest.server";
import { action } from "~/routes/api.pixel.events";
import { toWireEvent, type WireEvent } from "../../extensions/web-pixel/src/wire";
import { checkoutCompletedEvent, CLIENT_ID, productViewedEvent, SHOP_DOMAIN, wireEvent } from "../web-pixel/fixtures";
import { drainPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { appBaseUrl, DEMO_SHOP_DOMAIN } from "~/server/config.server";
import { forgetShop } from "~/server/shops/shop-cache.server";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP_DOMAIN, name: "Pixel test", primaryDomain: "pixel-test.example" } })).id;
  await prisma().shop.create({ data: { domain: "gone.myshopify.com", name: "Gone", installState: "uninstalled" } });
  await prisma().shop.create({ data: { domain: "neighbour.myshopify.com", name: "Neighbour", primaryDomain: "neighbour.example" } });
});

/** The storefront's own origin, as the pixel's sandbox on the shop's domain sends it. */
const STOREFRONT = { origin: `https://${SHOP_DOMAIN}` };
/** Headers with the defaults; a header given as "" is left out altogether. */
const withDefaults = (headers: Record<string, string>) =>
  Object.fromEntries(
    Object.entries({ "content-type": "text/plain;charset=UTF-8", ...STOREFRONT, ...headers }).filter(([, value]) => value !== ""),
  );

type Post = (body: string | object, headers?: Record<string, string>) => Promise<Response>;

function post(body: string | object, headers: Record<string, string> = {}): Promise<Response> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return action({
    request: new Request("http://localhost/api/pixel/events", {
      method: "POST",
      body: text,
      headers: withDefaults(headers),
    }),
    params: {},
    context: {},
  });
}
const batch = (events: WireEvent[], shop = SHOP_DOMAIN) => ({ shop, v: 1, events });
/** An inbox row's entries, decoded here rather than by the code under test. */
type Entry = [number, { events: { id: string }[] }];
function entriesOf(row: { bodyZstd: Uint8Array | null; body: string | null }): Entry[] {
  expect(row.body).toBeNull();
  return JSON.parse(zlib.zstdDecompressSync(row.bodyZstd!).toString("utf8")) as Entry[];
}
const counts = async () => ({
  inbox: await prisma().pixelInbox.count(),
  events: await prisma().event.count(),
  clients: await prisma().clientIdentity.count(),
  customers: await prisma().customer.count(),
});

describe("POST /api/pixel/events", () => {
  it("commits the batch before answering 202; the worker turns it into an event and a known visitor", async () => {
    const res = await post(batch([toWireEvent(productViewedEvent)]));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ received: 1 });
    expect(res.headers.get("access-control-allow-origin")).toBe(`https://${SHOP_DOMAIN}`);
    const stored = await prisma().pixelInbox.findFirstOrThrow({ where: { shopId } });
    // [[receivedAtMs, body as received], ...] compressed: one entry per request of the group commit.
    const entries = entriesOf(stored);
    expect(entries).toHaveLength(1);
    const [at, body] = entries[0]!;
    expect(at).toBe(stored.receivedAt.getTime());
    expect(body.events[0]!.id).toBe(productViewedEvent.id);
    expect(await prisma().event.count()).toBe(0);

    expect(await drainPixelInbox()).toEqual({ claimed: 1, inserted: 1, duplicates: 0 });
    expect(await prisma().pixelInbox.count()).toBe(0);
    const e = await prisma().event.findFirstOrThrow({ where: { shopId, sourceId: productViewedEvent.id } });
    expect(e).toMatchObject({ name: "product_viewed", source: "pixel", clientId: CLIENT_ID, customerId: null });
    expect((e.data as { data: { productVariant: { product: { title: string } } } }).data.productVariant.product.title).toBe(
      productViewedEvent.data.productVariant?.product.title,
    );
    expect(await prisma().clientIdentity.count({ where: { shopId, clientId: CLIENT_ID } })).toBe(1);
  });

  it("stores one row when the same event id is sent twice, also twice within one expansion", async () => {
    const body = batch([toWireEvent(productViewedEvent)]);
    expect((await post(body)).status).toBe(202);
    expect((await post(body)).status).toBe(202);
    expect(await drainPixelInbox()).toEqual({ claimed: 2, inserted: 0, duplicates: 2 });
    expect(await prisma().event.count({ where: { sourceId: productViewedEvent.id } })).toBe(1);
    const fresh = { ...wireEvent(77), clientId: "twice" };
    await post(batch([fresh]));
    await post(batch([fresh]));
    expect(await drainPixelInbox()).toEqual({ claimed: 2, inserted: 1, duplicates: 1 });
    expect(await prisma().event.count({ where: { sourceId: fresh.id } })).toBe(1);
  });

  it("writes concurrent requests as one inbox row per group, expanded in arrival order with each request's own time", async () => {
    const events = Array.from({ length: 20 }, (_, i) => ({ ...wireEvent(500 + i), id: `grouped-${i}`, clientId: "grouped" }));
    const answers = await Promise.all(events.map((e) => post(batch([e]))));
    expect(answers.map((r) => r.status)).toEqual(events.map(() => 202));
    const rows = await prisma().pixelInbox.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    // The first request commits alone; the others gather while it is in flight.
    expect(rows.length).toBeLessThan(events.length);
    const entries = rows.flatMap(entriesOf);
    expect(entries.map(([, b]) => b.events[0]!.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(await drainPixelInbox()).toEqual({ claimed: 20, inserted: 20, duplicates: 0 });
    const stored = await prisma().event.findMany({ where: { shopId, clientId: "grouped" }, orderBy: { id: "asc" } });
    expect(stored.map((e) => e.sourceId)).toEqual(entries.map(([, b]) => b.events[0]!.id));
    expect(stored.map((e) => e.receivedAt.getTime())).toEqual(entries.map(([at]) => at));
  });

  it("still expands inbox rows written before compression (grouped text) and before grouping (one bare batch)", async () => {
    const legacy = { ...wireEvent(600), id: "legacy-row", clientId: "legacy" };
    const receivedAt = new Date("2026-11-20T10:00:00Z");
    await prisma().pixelInbox.create({ data: { shopId, receivedAt, body: JSON.stringify(batch([legacy])) } });
    const grouped = [601, 602].map((n) => ({ ...wireEvent(n), id: `legacy-group-${n}`, clientId: "legacy" }));
    const at = [Date.parse("2026-11-21T10:00:00Z"), Date.parse("2026-11-21T10:00:01Z")];
    const text = JSON.stringify(grouped.map((e, i) => [at[i], batch([e])]));
    await prisma().pixelInbox.create({ data: { shopId, receivedAt: new Date(at[0]!), body: text } });
    expect(await drainPixelInbox()).toEqual({ claimed: 3, inserted: 3, duplicates: 0 });
    expect(await prisma().event.findFirstOrThrow({ where: { sourceId: "legacy-row" } })).toMatchObject({ clientId: "legacy", receivedAt });
    const stored = await prisma().event.findMany({ where: { sourceId: { startsWith: "legacy-group-" } }, orderBy: { id: "asc" } });
    expect(stored.map((e) => [e.sourceId, e.receivedAt.getTime()])).toEqual(grouped.map((e, i) => [e.id, at[i]]));
  });

  it("refuses an inbox row with both bodies or neither (the migration's CHECK)", async () => {
    const receivedAt = new Date();
    await expect(prisma().pixelInbox.create({ data: { shopId, receivedAt } })).rejects.toThrow(/PixelInbox_one_body/);
    await expect(
      getDb().query(`INSERT INTO "PixelInbox" ("shopId", "receivedAt", body, "bodyZstd") VALUES ($1, now(), '[]', $2)`, [
        shopId,
        zlib.zstdCompressSync(Buffer.from("[]")),
      ]),
    ).rejects.toThrow(/PixelInbox_one_body/);
  });

  it("stores a body with invalid UTF-8 as the endpoint read it: the worker's events match what was validated", async () => {
    // A truncated two-byte sequence inside a string, then one inside the last string of the batch.
    const e = { ...wireEvent(610), id: "bad-utf8", clientId: "bad-utf8" };
    const text = JSON.stringify(batch([{ ...e, context: { ...e.context, title: "Kawa XX" } }]));
    const bytes = Buffer.from(text, "utf8");
    const i = bytes.indexOf("XX");
    bytes[i] = 0xc5; // the lead byte of "ś" without its continuation byte
    bytes[i + 1] = 0x20;
    const res = await action({
      request: new Request("http://localhost/api/pixel/events", {
        method: "POST",
        body: bytes,
        headers: withDefaults({}),
      }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(202);
    await drainPixelInbox();
    const stored = await prisma().event.findFirstOrThrow({ where: { sourceId: "bad-utf8" } });
    expect((stored.data as { context: { title: string } }).context.title).toBe("Kawa \uFFFD ");
  });

  it("stitches the anonymous visitor to a customer when checkout completes, history included", async () => {
    const res = await post(batch([toWireEvent(checkoutCompletedEvent)]));
    expect(res.status).toBe(202);
    await drainPixelInbox();
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
    await drainPixelInbox();
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
  const cases: [string, (post: Post) => Promise<Response>, number, RegExp][] = [
    ["non-JSON body", (post) => post("shop=x&events=1"), 400, /not valid JSON/],
    ["events is a string", (post) => post({ shop: SHOP_DOMAIN, v: 1, events: "page_viewed" }), 400, /events/],
    ["event id is a number", (post) => post(batch([{ ...good, id: 42 as unknown as string }])), 400, /events\.0\.id/],
    ["timestamp is not a date", (post) => post(batch([{ ...good, id: "ts-bad", timestamp: "yesterday" }])), 400, /timestamp/],
    [
      "event id longer than 128 characters",
      (post) => post(batch([{ ...good, id: "x".repeat(129) }])),
      400,
      /events\.0\.id: must be 1 to 128/,
    ],
    ["empty clientId", (post) => post(batch([{ ...good, id: "empty-client", clientId: "" }])), 400, /events\.0\.clientId/],
    ["negative seq", (post) => post(batch([{ ...good, id: "neg-seq", seq: -1 }])), 400, /events\.0\.seq/],
    [
      "page title over 1,024 characters",
      (post) => post(batch([{ ...good, id: "long-title", context: { ...good.context, title: "t".repeat(1025) } }])),
      400,
      /events\.0\.context\.title/,
    ],
    ["missing clientId", (post) => post(batch([{ ...good, id: "no-client", clientId: undefined as unknown as string }])), 400, /clientId/],
    ["missing shop", (post) => post({ v: 1, events: [good] }), 400, /shop/],
    ["shop is not a myshopify domain", (post) => post(batch([good], "evil.example.com")), 400, /myshopify/],
    ["missing version", (post) => post({ shop: SHOP_DOMAIN, events: [good] }), 400, /\bv\b/],
    ["unknown event name", (post) => post(batch([{ ...good, id: "bad-name", name: "purchase_made" }])), 400, /name/],
    ["empty events", (post) => post(batch([])), 400, /events/],
    ["1 MB body", (post) => post(batch([{ ...good, id: "huge", data: { pad: "x".repeat(1024 * 1024) } }])), 413, /larger than/],
    ["1,000 events", (post) => post(batch(many(1000).map((e) => ({ ...e, data: null })))), 413, /.+/],
    [
      "101 small events",
      (post) => post(batch(many(101).map((e) => ({ ...e, context: { url: "", referrer: "", title: "", language: "" }, data: null })))),
      413,
      /Too many events: 101/,
    ],
    ["unknown shop", (post) => post(batch([{ ...good, id: "unknown-shop" }], "nobody.myshopify.com")), 404, /Unknown shop/],
    ["uninstalled shop", (post) => post(batch([{ ...good, id: "gone-shop" }], "gone.myshopify.com")), 403, /not installed/],
    [
      "a foreign website's origin",
      (post) => post(batch([{ ...good, id: "foreign" }]), { origin: "https://attacker.example" }),
      403,
      /Origin is not a storefront/,
    ],
    [
      "no Origin header (not sent by a storefront page)",
      (post) => post(batch([{ ...good, id: "no-origin" }]), { origin: "" }),
      403,
      /No Origin header/,
    ],
    [
      'an opaque "null" origin (any sandboxed iframe on the web)',
      (post) => post(batch([{ ...good, id: "null-origin" }]), { origin: "null" }),
      403,
      /"null"/,
    ],
    [
      "another installed shop's storefront",
      (post) => post(batch([{ ...good, id: "neighbour" }]), { origin: "https://neighbour.example" }),
      403,
      /Origin is not a storefront/,
    ],
    [
      "the shop's domain over plain http",
      (post) => post(batch([{ ...good, id: "plain-http" }]), { origin: "http://pixel-test.example" }),
      403,
      /Origin is not a storefront/,
    ],
    [
      "a look-alike host that ends with the shop's domain",
      (post) => post(batch([{ ...good, id: "lookalike" }]), { origin: "https://evilpixel-test.example" }),
      403,
      /Origin is not a storefront/,
    ],
    [
      "the app's own origin for a shop that is not the demo shop",
      (post) => post(batch([{ ...good, id: "app-origin" }]), { origin: "http://localhost:3000" }),
      403,
      /Origin is not a storefront/,
    ],
    [
      "one good event beside one bad one (nothing half-written)",
      (post) =>
        post(
          batch([
            { ...good, id: "half-good" },
            { ...good, id: "half-bad", timestamp: "nope" },
          ]),
        ),
      400,
      /timestamp/,
    ],
  ];

  it.each(cases)("%s", async (_name, send, status, reason) => {
    const before = await counts();
    const res = await send(post);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(reason);
    expect(await counts()).toEqual(before);
  });

  // The production server answers this endpoint from a fast path on node:http
  // (app/server/http/fast-ingest.server.ts): the same cases over a real socket.
  describe("over HTTP through the fast path", () => {
    let server: http.Server;
    let url: string;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        if (!handleIngestionFastPath(req, res)) res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pixel/events`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const overHttp: Post = (body, headers = {}) =>
      fetch(url, {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: withDefaults(headers),
      });

    it.each(cases)("%s", async (_name, send, status, reason) => {
      const before = await counts();
      const res = await send(overHttp);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(reason);
      expect(await counts()).toEqual(before);
    });

    it("accepts a good batch with 202 and CORS headers, and stores it", async () => {
      const before = await prisma().pixelInbox.count();
      const res = await overHttp(batch([{ ...good, id: "over-http" }]), { origin: `https://${SHOP_DOMAIN}` });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ received: 1 });
      expect(res.headers.get("access-control-allow-origin")).toBe(`https://${SHOP_DOMAIN}`);
      expect(await prisma().pixelInbox.count()).toBe(before + 1);
      await drainPixelInbox();
      expect(await prisma().event.count({ where: { sourceId: "over-http" } })).toBe(1);
    });
  });

  it("accepts each of the shop's storefront origins: its myshopify domain, its primary domain with and without www, Shopify's checkout", async () => {
    const origins = [
      `https://${SHOP_DOMAIN}`,
      "https://pixel-test.example",
      "https://www.pixel-test.example",
      "https://checkout.shopify.com",
    ];
    for (const [i, origin] of origins.entries()) {
      const res = await post(batch([{ ...good, id: `origin-${i}` }]), { origin });
      expect(res.status, origin).toBe(202);
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
    }
  });

  it("the demo shop takes the storefront simulator's origin (the app's own, localhost) only in a demo process", async () => {
    await prisma().shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Demo", primaryDomain: "kawa-demo.example" } });
    const demo = (id: string, origin: string) => post(batch([{ ...good, id, clientId: id }], DEMO_SHOP_DOMAIN), { origin });
    const appOrigin = new URL(appBaseUrl()).origin;
    expect((await demo("demo-app", appOrigin)).status).toBe(202);
    expect((await demo("demo-local", "http://127.0.0.1:5173")).status).toBe(202);
    expect((await demo("demo-evil", "https://attacker.example")).status).toBe(403);
    forgetShop(DEMO_SHOP_DOMAIN);
    try {
      await outsideDemo(async () => {
        expect((await demo("prod-app", appOrigin)).status).toBe(403);
        expect((await demo("prod-local", "http://127.0.0.1:5173")).status).toBe(403);
        expect((await demo("prod-own", "https://kawa-demo.example")).status).toBe(202);
      });
    } finally {
      forgetShop(DEMO_SHOP_DOMAIN);
    }
  });

  it("names the reason of an origin refusal", async () => {
    const reasons = [];
    for (const origin of ["", "null", "https://attacker.example"]) {
      const res = await post(batch([{ ...good, id: "refused" }]), { origin });
      expect(res.status).toBe(403);
      reasons.push(((await res.json()) as { reason: string }).reason);
    }
    expect(reasons).toEqual(["missing_origin", "opaque_origin", "foreign_origin"]);
  });

  it("other methods are not allowed", async () => {
    const res = await action({
      request: new Request("http://localhost/api/pixel/events", { method: "PUT", body: "{}" }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(405);
  });
});
