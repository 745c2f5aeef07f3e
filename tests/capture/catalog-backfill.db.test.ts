import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as standinRoute from "../../demo/routes/admin-api-graphql";
import { resetStandin, standinCalls } from "../../demo/standins/admin-api.server";
import { DEMO_PRODUCTS } from "../../demo/seed/demo-shop";
import { backfillNextCatalog } from "~/server/shopify/catalog-backfill.server";
import { useTestDatabase } from "../support/db";
import { serveRoutes } from "../support/http";
import { deliver, drainWebhooks } from "../support/webhooks";
import { productPayload } from "./shopify-fixtures";

const SHOP = "backfill.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let server: Awaited<ReturnType<typeof serveRoutes>>;
let shopId: string;

beforeAll(async () => {
  resetStandin();
  server = await serveRoutes({ "/dev/shopify/:shop/admin/api/:version/graphql.json": standinRoute });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = `${server.url}/dev/shopify`;
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Backfill" } })).id;
});
afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await server.close();
});

describe("catalogue backfill on install", () => {
  it("waits while the shop has no offline session", async () => {
    expect(await backfillNextCatalog("w1")).toEqual({ shop: SHOP, products: 0 });
    expect(await prisma().product.count({ where: { shopId } })).toBe(0);
  });

  it("pages through the Admin API and stores every product once, then is done", async () => {
    await prisma().session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "s", accessToken: "shpat_x" } });
    await prisma().shop.update({ where: { id: shopId }, data: { catalogSyncLeaseUntil: null } });
    // A product webhook newer than the backfill's copy must win.
    await deliver(
      SHOP,
      "products/update",
      productPayload({ id: DEMO_PRODUCTS[0]!.id, title: "Newer title from webhook", updated_at: "2026-11-20T10:00:00Z" }),
    );
    await drainWebhooks();
    const result = await backfillNextCatalog("w1");
    expect(result).toEqual({ shop: SHOP, products: DEMO_PRODUCTS.length });
    const products = await prisma().product.findMany({ where: { shopId }, orderBy: { shopifyProductId: "asc" } });
    expect(products).toHaveLength(DEMO_PRODUCTS.length);
    expect(products[0]!.title).toBe("Newer title from webhook");
    expect(products[1]).toMatchObject({ title: DEMO_PRODUCTS[1]!.title, handle: DEMO_PRODUCTS[1]!.handle, status: "active" });
    expect(standinCalls().filter((c) => c.operation === "CatalogBackfill").length).toBeGreaterThan(0);
    const shop = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(shop.catalogSyncedAt).not.toBeNull();
    expect(await backfillNextCatalog("w1")).toBeNull();
  });
});
