// A shop selling through Shopify Markets on a domain of its own (shop.de for Germany):
// the pixel runs there too, so that origin is the shop's storefront, and messages may
// link to it. The domains come from the Admin API (webPresences), read at install and
// again when the merchant opens the admin a day later; never because of a storefront
// request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as standinRoute from "../../demo/routes/admin-api-graphql";
import { resetStandin, standinCalls } from "../../demo/standins/admin-api.server";
import { action as pixelAction } from "~/routes/api.pixel.events";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { resetClock, setClock } from "~/server/clock.server";
import { shopLinkPolicyById } from "~/server/shops/shop-link-policy.server";
import { forgetShop } from "~/server/shops/shop-cache.server";
import { resetShopify } from "~/shopify.server";
import { toWireEvent } from "../../extensions/web-pixel/src/wire";
import { productViewedEvent } from "../web-pixel/fixtures";
import { asMerchantOf, storeOfflineSession } from "../support/admin-session";
import { useTestDatabase } from "../support/db";
import { serveRoutes } from "../support/http";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const SHOP = "markets-shop.myshopify.com";
let server: Awaited<ReturnType<typeof serveRoutes>>;
let shopId: string;

beforeAll(async () => {
  resetStandin();
  resetShopify(); // its session storage must use this file's database
  server = await serveRoutes({ "/dev/shopify/:shop/admin/api/:version/graphql.json": standinRoute });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = `${server.url}/dev/shopify`;
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Markets", primaryDomain: "kawa-demo.example" } })).id;
  await storeOfflineSession(prisma(), SHOP);
});
afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  resetClock();
  await server.close();
});

function pixelFrom(origin: string, id: string): Promise<Response> {
  const body = { shop: SHOP, v: 1, events: [{ ...toWireEvent(productViewedEvent), id, clientId: id }] };
  return pixelAction({
    request: new Request("http://localhost/api/pixel/events", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "text/plain;charset=UTF-8", origin },
    }),
    params: {},
    context: {},
  });
}

// A session token from the embedded admin (the demo process's credentials sign and check it).
const openAdmin = async () => requireAdmin(await asMerchantOf(SHOP, `http://localhost:3000/app?shop=${SHOP}`));

describe("Markets domains", () => {
  it("refuses a Markets domain the app has not read yet, and reads it when the merchant opens the admin", async () => {
    setClock(new Date("2026-12-01T10:00:00Z"));
    forgetShop(SHOP);
    expect((await pixelFrom("https://kawa-demo.de", "before")).status).toBe(403);

    await openAdmin();
    const shop = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(shop.storefrontHosts).toEqual(["kawa-demo.de"]);
    expect(standinCalls().filter((c) => c.operation === "ShopDomains")).toHaveLength(1);

    // This process forgot its cached shop: the storefront's German domain is accepted at once.
    expect((await pixelFrom("https://kawa-demo.de", "after")).status).toBe(202);
    expect((await pixelFrom("https://www.kawa-demo.de", "www")).status).toBe(403);
    expect((await pixelFrom("https://kawa-demo.fr", "other")).status).toBe(403);
    // Messages may link there too.
    const policy = await shopLinkPolicyById(shopId);
    expect(policy?.hosts.has("kawa-demo.de")).toBe(true);
  });

  it("reads them again only after a day, on an admin visit", async () => {
    const calls = () => standinCalls().filter((c) => c.operation === "ShopDomains").length;
    const before = calls();
    setClock(new Date("2026-12-01T20:00:00Z"));
    await openAdmin();
    expect(calls()).toBe(before);
    setClock(new Date("2026-12-02T10:00:01Z"));
    await openAdmin();
    expect(calls()).toBe(before + 1);
  });

  it("keeps what it has when Shopify cannot be reached, and does not try again on every page", async () => {
    const refreshedAt = async () => (await prisma().shop.findUniqueOrThrow({ where: { id: shopId } })).domainsRefreshedAt!.getTime();
    const lastReading = await refreshedAt();
    process.env.SHOPIFY_ADMIN_API_ORIGIN = "http://127.0.0.1:9"; // nothing listens on the discard port
    try {
      setClock(new Date("2026-12-04T10:00:00Z"));
      await openAdmin();
      const shop = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
      expect(shop.storefrontHosts).toEqual(["kawa-demo.de"]);
      expect(await refreshedAt()).toBe(lastReading);
      // Within ten minutes no second attempt (it would fail the same way); after, one.
      process.env.SHOPIFY_ADMIN_API_ORIGIN = `${server.url}/dev/shopify`;
      setClock(new Date("2026-12-04T10:05:00Z"));
      await openAdmin();
      expect(await refreshedAt()).toBe(lastReading);
      setClock(new Date("2026-12-04T10:11:00Z"));
      await openAdmin();
      expect(await refreshedAt()).toBeGreaterThanOrEqual(Date.parse("2026-12-04T10:11:00Z"));
    } finally {
      process.env.SHOPIFY_ADMIN_API_ORIGIN = `${server.url}/dev/shopify`;
    }
  });
});
