// After app/uninstalled, Shopify may keep delivering webhooks for the shop (until its
// subscriptions are gone, and redeliveries for 48 hours). They are acknowledged, so
// Shopify does not retry, and nothing of them is stored: no delivery record, no rows.
// Only the privacy topics are still handled: they erase what the app still holds.
import { beforeAll, describe, expect, it } from "vitest";
import { forgetShop } from "~/server/shops/shop-cache.server";
import { checkoutPayload, customerPayload, orderPayload } from "../capture/shopify-fixtures";
import { scanEveryColumn } from "../support/column-scan";
import { useTestDatabase } from "../support/db";
import { deliver, drainWebhooks } from "../support/webhooks";

const SHOP = "gone.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

const LATE = { id: 7391002005555, email: "late.shopper-4k@example.com", phone: "+48601999222", token: "tok-late-a1b2c3" };
const latePayloads = (): [string, unknown][] => [
  ["customers/create", customerPayload({ id: LATE.id, email: LATE.email, phone: LATE.phone, first_name: "Latecomer" })],
  ["customers/update", customerPayload({ id: LATE.id, email: LATE.email, phone: LATE.phone, first_name: "Latecomer" })],
  ["checkouts/create", checkoutPayload({ token: LATE.token, email: LATE.email, phone: LATE.phone })],
  ["carts/update", { token: LATE.token, line_items: [] }],
  ["orders/create", orderPayload({ id: 820982911947777, email: LATE.email, checkout_token: LATE.token, customer: { id: LATE.id } })],
  [
    "customers_email_marketing_consent/update",
    {
      customer_id: LATE.id,
      email_address: LATE.email,
      email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-11-20T08:00:00Z" },
    },
  ],
  ["app/scopes_update", { id: 1, previous: ["read_orders"], current: ["read_orders"], updated_at: "2026-11-20T08:00:00Z" }],
  ["app/uninstalled", { id: 954889, name: "Gone", domain: SHOP, myshopify_domain: SHOP }],
];
const counts = async () => ({
  deliveries: await prisma().webhookDelivery.count(),
  customers: await prisma().customer.count(),
  orders: await prisma().order.count(),
  checkouts: await prisma().checkout.count(),
  carts: await prisma().cart.count(),
  events: await prisma().event.count(),
  consent: await prisma().consentRecord.count(),
});

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Gone" } })).id;
  await deliver(SHOP, "customers/create", customerPayload({ id: 7391002006666, email: "kept.customer@example.com", phone: null }));
  await drainWebhooks();
});

describe("webhooks for a shop that uninstalled the app", () => {
  it("are answered 200 and leave no trace: no delivery record, no rows, no identifier in any column", async () => {
    expect((await deliver(SHOP, "app/uninstalled", { id: 954889, name: "Gone", domain: SHOP, myshopify_domain: SHOP })).status).toBe(200);
    await drainWebhooks();
    expect((await prisma().shop.findUniqueOrThrow({ where: { id: shopId } })).installState).toBe("uninstalled");

    const before = await counts();
    for (const [topic, payload] of latePayloads()) {
      const res = await deliver(SHOP, topic, payload);
      expect(res.status, topic).toBe(200);
      expect(await res.json()).toEqual({ result: "ignored" });
    }
    await drainWebhooks();
    expect(await counts()).toEqual(before);
    expect(await scanEveryColumn(getDb().query, [LATE.email, LATE.phone, LATE.token, String(LATE.id), "Latecomer"])).toEqual([]);
  });

  it("a delivery queued before the uninstall is dropped unprocessed, its payload gone", async () => {
    await prisma().shop.update({ where: { id: shopId }, data: { installState: "installed" } });
    forgetShop(SHOP);
    const res = await deliver(SHOP, "orders/create", orderPayload({ id: 820982911948888, email: LATE.email, customer: { id: LATE.id } }));
    expect(await res.json()).toEqual({ result: "accepted" });
    // Another worker processes app/uninstalled before this delivery's turn.
    await prisma().shop.update({ where: { id: shopId }, data: { installState: "uninstalled" } });
    const before = await counts();
    await drainWebhooks();
    const d = await prisma().webhookDelivery.findFirstOrThrow({ where: { shopDomain: SHOP, topic: "orders/create" } });
    expect(d).toMatchObject({ status: "rejected", rejectReason: "shop_uninstalled", payload: null });
    expect({ ...(await counts()) }).toEqual(before);
    expect(await scanEveryColumn(getDb().query, [LATE.email, String(LATE.id)])).toEqual([]);
  });

  it("customers/redact is still handled: it erases what the app still holds", async () => {
    const res = await deliver(SHOP, "customers/redact", {
      shop_id: 954889,
      shop_domain: SHOP,
      customer: { id: 7391002006666, email: "kept.customer@example.com" },
      orders_to_redact: [],
    });
    expect(await res.json()).toMatchObject({ result: "accepted" });
    await drainWebhooks();
    expect(await scanEveryColumn(getDb().query, ["kept.customer@example.com", "7391002006666"])).toEqual([]);
  });

  it("a shop the app does not know gets the same: 200, nothing stored", async () => {
    const before = await counts();
    for (const [topic, payload] of latePayloads()) {
      const res = await deliver("never-installed.myshopify.com", topic, payload);
      expect(res.status, topic).toBe(200);
    }
    expect(await counts()).toEqual(before);
  });

  it("once the shop installs the app again, its webhooks are stored at once (no stale cache)", async () => {
    // This process has the shop cached as uninstalled; the reinstall happened elsewhere.
    await prisma().shop.update({ where: { id: shopId }, data: { installState: "installed", uninstalledAt: null } });
    const res = await deliver(SHOP, "customers/create", customerPayload({ id: LATE.id, email: LATE.email, phone: null }));
    expect(await res.json()).toEqual({ result: "accepted" });
    await drainWebhooks();
    expect(await prisma().customer.count({ where: { shopId, email: LATE.email } })).toBe(1);
  });
});
