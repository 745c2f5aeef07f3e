import { beforeAll, describe, expect, it } from "vitest";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { useTestDatabase } from "../support/db";
import { untilLockWaiters, whileHolding } from "../support/lock-waits";

// Two workers each route one add-to-cart of the same shopper. The pixel's add-to-cart
// carries no cart token, so the abandoned-cart enrollment has no context key and the
// unique (flow, customer, context) index cannot tell the two apart (NULLs are
// distinct): only the entry rules (one active enrollment, re-entry after 7 days) stop
// the second, and a worker that read the customer's history before the other's
// enrollment committed enrolled again, and the shopper got the reminder twice.
// Concurrency needs a server; PGlite has one connection.

const SHOP = "router-entry-race.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

const CUSTOMER = "customer-cart";

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Router entry race", holdoutPercent: 0 } })).id;
  await installCatalogue(shopId);
  await setFlowStatus(shopId, "abandoned_cart", "on", "test");
  await prisma().customer.create({
    data: {
      id: CUSTOMER,
      shopId,
      email: "cart@example.com",
      emailConsentState: "subscribed",
      emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
});

/** The pixel's product_added_to_cart as stored: Shopify's cartLine, no cart token. */
async function addToCart(n: number): Promise<void> {
  await prisma().event.create({
    data: {
      shopId,
      customerId: CUSTOMER,
      name: "product_added_to_cart",
      source: "pixel",
      sourceId: `atc:${n}`,
      occurredAt: new Date(Date.now() - 60_000 + n),
      data: {
        context: {},
        data: {
          cartLine: {
            quantity: 1,
            merchandise: { id: `v${n}`, price: { amount: 50, currencyCode: "EUR" }, product: { id: `p${n}`, title: "Mug" } },
          },
        },
      },
    },
  });
}

describe.skipIf(!process.env.DATABASE_URL)("entry decisions of concurrent workers", () => {
  it("two workers routing add-to-carts of one shopper at once enroll them in abandoned cart once", { timeout: 60_000 }, async () => {
    await addToCart(1);
    await addToCart(2);
    const database = getDb();
    // A third session holds the customer row, so inserting an enrollment (its foreign
    // key takes a key-share lock on the customer) waits: each worker gets as far as its
    // entry decision, as two workers that read the history in the same instant do.
    const results = await whileHolding(
      database,
      (tx) => tx.$queryRaw`SELECT id FROM "Customer" WHERE id = ${CUSTOMER} FOR UPDATE`,
      async () => {
        const first = routeEvents(1);
        await untilLockWaiters(database, 1);
        return Promise.allSettled([first, routeEvents(1)]);
      },
    );
    expect(results.map((r) => (r.status === "fulfilled" ? r.value.claimed : String(r.reason)))).toEqual([1, 1]);
    expect(await prisma().enrollment.count({ where: { shopId, customerId: CUSTOMER } })).toBe(1);
    expect(await prisma().event.count({ where: { shopId, routedAt: null } })).toBe(0);
  });
});
