// customers/redact, checked the way an auditor would: the customer's data is put into
// every table that can hold it through the app's real paths (webhooks, the pixel, a
// flow's email sent over SMTP, a click on it), the erasure arrives as Shopify sends
// it, and then every column of every table in the catalog is searched for each of the
// customer's identifiers. A table added later is searched without changing this file.
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as pixel } from "~/routes/api.pixel.events";
import * as clickRoute from "~/routes/t.c.$token";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { advanceClock, setClock } from "~/server/clock.server";
import { drainPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { checkoutPayload, customerPayload, orderPayload } from "../capture/shopify-fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";
import { scanEveryColumn } from "../support/column-scan";
import { useTestDatabase } from "../support/db";
import { callRoute } from "../support/http";
import { deliver, drainWebhooks, settleJourneys } from "../support/webhooks";

const SHOP = "erasure.myshopify.com";
const HOUR = 3_600_000;
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let shopId: string;

// Distinctive values, so a hit in the scan can only be this customer's.
const ERIN = {
  shopifyId: 7391002003344,
  email: "erin.erasure-7q@example.com",
  phone: "+48601777888",
  firstName: "Erinthea",
  lastName: "Kowalczyk-Erasure",
  address1: "ul. Zapomniana 77",
  city: "Wąchock-Erasure",
  clientId: "cid-erin-7f3a9c",
  checkoutToken: "tok-erin-5d1c2b",
  recoveryKey: "key-erin-9b2e41",
  cartToken: "cart-erin-31ab07",
};
const RECOVERY_URL = `https://${SHOP}/1/checkouts/${ERIN.checkoutToken}/recover?key=${ERIN.recoveryKey}`;
const ERIN_ORDER = 820982911946154;
const ERIN_GUEST_ORDER = 820982911946155;
// Another customer of the same shop: their data must stay, which also shows the scan finds data.
const ZOE = { shopifyId: 7391002009999, email: "zoe.control-3x@example.com", checkoutToken: "tok-zoe-88aa11" };

const identifiers = () => [
  String(ERIN.shopifyId),
  ERIN.email,
  ERIN.phone,
  ERIN.phone.slice(1), // the digits without "+", as some payloads carry them
  ERIN.firstName,
  ERIN.lastName,
  ERIN.address1,
  ERIN.city,
  ERIN.clientId,
  ERIN.checkoutToken,
  ERIN.recoveryKey,
  ERIN.cartToken,
];

const address = { address1: ERIN.address1, city: ERIN.city, zip: "27-215", country_code: "PL", phone: ERIN.phone };
const erinCustomer = () =>
  customerPayload({
    id: ERIN.shopifyId,
    email: ERIN.email,
    phone: ERIN.phone,
    first_name: ERIN.firstName,
    last_name: ERIN.lastName,
    locale: "en",
    default_address: address,
    addresses: [address],
    admin_graphql_api_id: `gid://shopify/Customer/${ERIN.shopifyId}`,
  });

async function send(topic: string, payload: unknown) {
  const res = await deliver(SHOP, topic, payload);
  expect(res.status, topic).toBe(200);
  await drainWebhooks();
}

async function postPixel(events: unknown[]) {
  const res = await pixel({
    request: new Request("http://localhost/api/pixel/events", {
      method: "POST",
      headers: { origin: `https://${SHOP}` },
      body: JSON.stringify({ shop: SHOP, v: 1, events }),
    }),
    params: {},
    context: {},
  });
  expect(res.status).toBe(202);
  await drainPixelInbox();
}

const pixelEvent = (id: string, name: string, data: unknown) => ({
  id,
  name,
  timestamp: "2026-11-24T09:00:00.000Z",
  clientId: ERIN.clientId,
  seq: 1,
  context: { url: `https://${SHOP}/checkouts/${ERIN.checkoutToken}`, referrer: "", title: "Checkout", language: "en-US" },
  data,
});

async function aggregates() {
  const [orders] = await getDb().query<{ n: string; revenue: string }>(
    `SELECT count(*)::text AS n, sum("totalPrice")::text AS revenue FROM "Order" WHERE "shopId" = $1`,
    [shopId],
  );
  const [lines] = await getDb().query<{ n: string; qty: string }>(
    `SELECT count(*)::text AS n, sum(quantity)::text AS qty FROM "OrderLine" WHERE "shopId" = $1`,
    [shopId],
  );
  const [customers] = await getDb().query<{ n: string; orders: string; spent: string }>(
    `SELECT count(*)::text AS n, sum("ordersCount")::text AS orders, sum("totalSpent")::text AS spent FROM "Customer" WHERE "shopId" = $1`,
    [shopId],
  );
  return {
    orders,
    lines,
    customers,
    messages: await prisma().message.groupBy({ by: ["status", "channel"], where: { shopId }, _count: true }),
    clicks: await prisma().messageEvent.count({ where: { shopId, type: "clicked" } }),
    events: await prisma().event.groupBy({ by: ["name"], where: { shopId }, _count: true, orderBy: { name: "asc" } }),
    decisions: await prisma().decision.count({ where: { shopId } }),
  };
}

let before: Awaited<ReturnType<typeof aggregates>>;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  // Tuesday 10:00 in Warsaw: inside every send window.
  setClock(new Date("2026-11-24T09:00:00Z"));
  shopId = (
    await prisma().shop.create({
      data: {
        domain: SHOP,
        name: "Erasure",
        timezone: "Europe/Warsaw",
        holdoutPercent: 0,
        primaryDomain: "erasure.example.com",
        senderEmail: "hello@erasure.example.com",
        postalAddress: { address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850", countryCodeV2: "PL" },
      },
    })
  ).id;
  await installCatalogue(shopId);
  await setFlowStatus(shopId, "abandoned_checkout", "on", "test");

  await send("customers/create", erinCustomer());
  await send("customers/create", customerPayload({ id: ZOE.shopifyId, email: ZOE.email, phone: null, first_name: "Zoe" }));
  // The storefront: the visitor browses, then types the email at checkout (identity stitching).
  await postPixel([
    pixelEvent("px-erin-1", "checkout_started", { checkout: { token: ERIN.checkoutToken, email: null, lineItems: [] } }),
    pixelEvent("px-erin-2", "checkout_contact_info_submitted", {
      checkout: { token: ERIN.checkoutToken, email: ERIN.email, phone: ERIN.phone, currencyCode: "PLN", lineItems: [] },
    }),
  ]);
  const checkoutTimes = { created_at: "2026-11-24T09:00:00Z", updated_at: "2026-11-24T09:00:00Z" };
  await send(
    "checkouts/create",
    checkoutPayload({
      token: ERIN.checkoutToken,
      cart_token: ERIN.cartToken,
      email: ERIN.email,
      phone: ERIN.phone,
      customer: { id: ERIN.shopifyId, email: ERIN.email, first_name: ERIN.firstName, last_name: ERIN.lastName },
      abandoned_checkout_url: RECOVERY_URL,
      billing_address: address,
      total_price: "320.00",
      ...checkoutTimes,
    }),
  );
  await send("checkouts/create", checkoutPayload({ token: ZOE.checkoutToken, email: ZOE.email, total_price: "99.00", ...checkoutTimes }));
  await send("carts/create", { token: ERIN.cartToken, line_items: [], ...checkoutTimes });

  // The reminder an hour later, sent over SMTP, and the customer clicks its recovery link.
  await settleJourneys();
  advanceClock(HOUR);
  await settleJourneys();
  expect(await dispatchDueMessages("test-worker")).toMatchObject({ sent: 2 });
  const erinMail = smtp.received.find((m) => m.envelopeTo.includes(ERIN.email))!;
  const tokens = [...String(erinMail.parsed.html).matchAll(/href="https:\/\/app\.flowmate\.test\/t\/c\/([^"]+)"/g)].map((m) => m[1]!);
  const recover = tokens.find((t) => Buffer.from(t.split(".")[0]!, "base64url").toString().includes(ERIN.recoveryKey))!;
  const click = await callRoute(clickRoute.loader, new Request(`https://app.flowmate.test/t/c/${recover}`), { token: recover });
  expect(click.headers.get("location")).toContain(ERIN.recoveryKey);

  // She orders (as a customer, and once more as a guest by email); Zoe orders too.
  const orderTimes = { created_at: "2026-11-24T10:30:00Z", processed_at: "2026-11-24T10:30:00Z", updated_at: "2026-11-24T10:30:00Z" };
  await send(
    "orders/create",
    orderPayload({
      id: ERIN_ORDER,
      name: "#2001",
      email: ERIN.email,
      phone: ERIN.phone,
      checkout_token: ERIN.checkoutToken,
      cart_token: ERIN.cartToken,
      landing_site: `/checkouts/${ERIN.checkoutToken}?utm_source=flowmate`,
      customer: erinCustomer(),
      billing_address: address,
      shipping_address: address,
      ...orderTimes,
    }),
  );
  await send(
    "orders/create",
    orderPayload({
      id: ERIN_GUEST_ORDER,
      name: "#2002",
      email: ERIN.email,
      customer: null,
      checkout_token: null,
      cart_token: null,
      ...orderTimes,
    }),
  );
  await send(
    "orders/create",
    orderPayload({
      id: 820982911946999,
      name: "#2003",
      email: ZOE.email,
      customer: { id: ZOE.shopifyId, email: ZOE.email },
      checkout_token: ZOE.checkoutToken,
      cart_token: null,
      ...orderTimes,
    }),
  );
  await settleJourneys();
  // A delivery the app could not use keeps its payload for the developer (14 days).
  await send("customers/update", { ...erinCustomer(), id: "not-an-id" });
  // A hard bounce on her address, as the dispatcher records one.
  await prisma().suppression.create({ data: { shopId, channel: "email", address: ERIN.email, reason: "hard_bounce" } });
  before = await aggregates();
});
afterAll(async () => smtp?.close());

describe("customers/redact leaves nothing of the customer in any column of any table", () => {
  it("before the erasure, the scan finds every identifier somewhere (the seeding reached every kind of row)", async () => {
    const hits = await scanEveryColumn(getDb().query, [...identifiers(), ZOE.email]);
    const found = new Set(hits.map((h) => h.needle));
    expect([...identifiers(), ZOE.email].filter((n) => !found.has(n))).toEqual([]);
    // The known leftovers of issue 14 are really there to be erased.
    const where = (needle: string) => hits.filter((h) => h.needle === needle).map((h) => `${h.table}.${h.column}`);
    expect(where(String(ERIN.shopifyId))).toEqual(expect.arrayContaining(["Order.shopifyCustomerId", "Event.sourceId"]));
    expect(where(ERIN.recoveryKey)).toEqual(expect.arrayContaining(["MessageEvent.url"]));
    // A delivery that failed is retried (or quarantined), keeping its payload until then.
    expect(await prisma().webhookDelivery.count({ where: { shopId, attempts: { gt: 0 }, payload: { not: "DbNull" } } })).toBe(1);
  });

  it("after it, no column holds any of them; the other customer's data is untouched", async () => {
    await send("customers/redact", {
      shop_id: 954889,
      shop_domain: SHOP,
      customer: { id: ERIN.shopifyId, email: ERIN.email, phone: ERIN.phone },
      orders_to_redact: [ERIN_ORDER, ERIN_GUEST_ORDER],
    });
    const hits = await scanEveryColumn(getDb().query, identifiers());
    expect(hits).toEqual([]);
    const zoe = await scanEveryColumn(getDb().query, [ZOE.email, ZOE.checkoutToken, String(ZOE.shopifyId)]);
    expect(new Set(zoe.map((h) => h.needle))).toEqual(new Set([ZOE.email, ZOE.checkoutToken, String(ZOE.shopifyId)]));
  });

  it("the orders in orders_to_redact are unlinked and anonymised, amounts kept", async () => {
    const orders = await prisma().order.findMany({
      where: { shopId, shopifyOrderId: { in: [BigInt(ERIN_ORDER), BigInt(ERIN_GUEST_ORDER)] } },
    });
    expect(orders).toHaveLength(2);
    for (const o of orders) {
      expect(o).toMatchObject({
        customerId: null,
        shopifyCustomerId: null,
        email: null,
        landingSite: null,
        checkoutToken: null,
        cartToken: null,
      });
    }
    expect(orders.map((o) => o.totalPrice.toString()).sort()).toEqual(["254", "254"]);
  });

  it("the shop's aggregates survive: order count and revenue, lines, customer totals, messages, clicks, events, decisions", async () => {
    expect(await aggregates()).toEqual(before);
    expect(Number(before.orders!.n)).toBe(3);
    expect(before.clicks).toBe(1);
  });

  it("the profile stays as a tombstone that cannot be mailed again", async () => {
    const tomb = await prisma().customer.findFirstOrThrow({ where: { shopId, redactedAt: { not: null } } });
    expect(tomb).toMatchObject({ email: null, phone: null, emailConsentState: "redacted", smsConsentState: "redacted" });
    expect(await prisma().enrollment.count({ where: { customerId: tomb.id, status: "active" } })).toBe(0);
  });

  it("shop/redact then leaves nothing of any customer of the shop, nor the shop's own settings", async () => {
    await send("shop/redact", { shop_id: 954889, shop_domain: SHOP });
    expect(
      await scanEveryColumn(getDb().query, [ZOE.email, ZOE.checkoutToken, String(ZOE.shopifyId), "erasure.example.com", shopId]),
    ).toEqual([]);
    // Only the shop/redact delivery's own record (no payload) still names the domain, for the dedupe of its redelivery.
    expect(await scanEveryColumn(getDb().query, [SHOP])).toEqual([{ table: "WebhookDelivery", column: "shopDomain", needle: SHOP }]);
  });
});
