import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as adminStandinRoute from "../../demo/routes/admin-api-graphql";
import * as checkoutRoute from "../../demo/routes/storefront-checkout";
import { DEMO_SHOP } from "../../demo/seed/demo-shop";
import { seedDemoShop } from "../../demo/seed/seed-demo-shop.server";
import { resetStandin, standinCustomer } from "../../demo/standins/admin-api.server";
import { startSmtpSink, sunkMails } from "../../demo/standins/smtp-sink.server";
import * as customersCreate from "~/routes/webhooks.customers.create";
import * as customersUpdate from "~/routes/webhooks.customers.update";
import * as emailConsent from "~/routes/webhooks.customers_email_marketing_consent.update";
import * as smsConsent from "~/routes/webhooks.customers_marketing_consent.update";
import * as checkoutsCreate from "~/routes/webhooks.checkouts.create";
import * as checkoutsUpdate from "~/routes/webhooks.checkouts.update";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { closeMailTransport } from "~/server/channels/email/transport.server";
import { unsubscribe } from "~/server/compliance/unsubscribe.server";
import { now, resetClock, setClock } from "~/server/clock.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { useTestDatabase } from "../support/db";
import { serveRoutes } from "../support/http";
import { drainWebhooks } from "../support/webhooks";

// The README's click-through with a shopper the demo shop has never seen: they tick
// "email me" at the simulator's checkout and leave. As in a real shop, Shopify (the
// demo's stand-in) creates the customer and sends the app customers/create, the email
// consent update and checkouts/create, signed, to the app's own webhook endpoints; an
// hour later the abandoned-checkout reminder is in the mail outbox.
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const ENV = ["SHOPIFY_ADMIN_API_ORIGIN", "SMTP_SINK_PORT"] as const;
const savedEnv = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let app: Awaited<ReturnType<typeof serveRoutes>>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let shopId: string;
// 11:00 in Warsaw: outside quiet hours now and an hour later.
const START = new Date("2026-11-24T10:00:00Z");
const SHOPPER = "nowa.klientka@example.com";

beforeAll(async () => {
  setClock(START);
  resetStandin();
  app = await serveRoutes({
    "/dev/storefront/checkout": checkoutRoute,
    "/dev/shopify/:shop/admin/api/:version/graphql.json": adminStandinRoute,
    "/webhooks/customers/create": customersCreate,
    "/webhooks/customers/update": customersUpdate,
    "/webhooks/customers_email_marketing_consent/update": emailConsent,
    "/webhooks/customers_marketing_consent/update": smsConsent,
    "/webhooks/checkouts/create": checkoutsCreate,
    "/webhooks/checkouts/update": checkoutsUpdate,
  });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = `${app.url}/dev/shopify`;
  sink = await startSmtpSink(0);
  process.env.SMTP_SINK_PORT = String(sink.port);
  shopId = (await seedDemoShop()).shopId;
  await settle();
}, 120_000);
afterAll(async () => {
  closeMailTransport();
  resetClock();
  await app?.close();
  await sink?.close();
  for (const k of ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

/** What the demo's in-process worker does: webhooks, routing, due steps, the outbox, until nothing is left. */
async function settle() {
  for (let round = 0; round < 20; round++) {
    const work = (await drainWebhooks()) + (await routeEvents()).claimed + (await runDueEnrollments()).claimed;
    while ((await dispatchDueMessages("test-worker")).claimed > 0);
    if (work === 0) return;
  }
}

async function checkout(body: Record<string, unknown>) {
  const res = await fetch(`${app.url}/dev/storefront/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { customerGid: string; topics: string[] };
}

describe("a new shopper at the demo's checkout", () => {
  let gid: string;

  it("becomes a subscribed customer through Shopify's customer webhooks, known to the Admin API stand-in", async () => {
    const product = await prisma().product.findFirstOrThrow({ where: { shopId, status: "active" }, orderBy: { shopifyProductId: "asc" } });
    const variantId = String((product.variants as { id: string | number }[])[0]!.id);
    const sent = await checkout({
      token: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      email: SHOPPER,
      phone: null,
      acceptsEmail: true,
      acceptsSms: false,
      firstName: "Ola",
      lastName: "Nowak",
      lang: "pl",
      lines: [{ variantId, quantity: 3 }],
    });
    expect(sent.topics).toEqual(["customers/create", "customers_email_marketing_consent/update", "checkouts/create"]);
    gid = sent.customerGid;
    await settle();

    const shopifyId = BigInt(gid.split("/").pop()!);
    expect(shopifyId > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const customer = await prisma().customer.findFirstOrThrow({ where: { shopId, email: SHOPPER } });
    expect(customer).toMatchObject({
      shopifyCustomerId: shopifyId,
      emailConsentState: "subscribed",
      emailConsentSource: "shopify",
      firstName: "Ola",
    });
    expect(standinCustomer(gid)?.emailMarketingConsent.marketingState).toBe("SUBSCRIBED");
    const enrollment = await prisma().enrollment.findFirstOrThrow({
      where: { shopId, customerId: customer.id, flow: { key: "abandoned_checkout" } },
    });
    expect(enrollment).toMatchObject({ status: "active", contextKey: "a1b2c3d4e5f60718293a4b5c6d7e8f90" });
  });

  it("finds the abandoned-checkout reminder in the mail outbox after the clock is advanced", async () => {
    // The new subscriber's welcome email went out at once; the shop's frequency cap (one
    // marketing email per 16 hours) then holds the reminder, and quiet hours hold it to
    // 08:00 in Warsaw: a real shop would do the same.
    setClock(new Date(START.getTime() + 61 * 60_000));
    await settle();
    const templates = async () =>
      (await prisma().message.findMany({ where: { shopId, toAddress: SHOPPER, status: "sent" }, orderBy: { sentAt: "asc" } })).map(
        (m) => m.templateKey,
      );
    expect(await templates()).toEqual(["welcome_1"]);

    setClock(new Date("2026-11-25T07:01:00Z"));
    await settle();
    expect(await templates()).toEqual(["welcome_1", "abandoned_checkout_1"]);
    const mails = sunkMails().filter((m) => m.to.includes(SHOPPER));
    expect(mails).toHaveLength(2);
    const reminder = await prisma().message.findFirstOrThrow({
      where: { shopId, toAddress: SHOPPER, templateKey: "abandoned_checkout_1" },
    });
    expect(mails.map((m) => m.subject)).toContain(reminder.subject);
  });

  it("writes an unsubscribe back to Shopify: the stand-in's customer is unsubscribed", async () => {
    const customer = await prisma().customer.findFirstOrThrow({ where: { shopId, email: SHOPPER } });
    await unsubscribe({
      shopId,
      customerId: customer.id,
      channels: ["email"],
      source: "unsubscribe_link",
      at: now(),
    });
    expect(standinCustomer(gid)?.emailMarketingConsent.marketingState).toBe("UNSUBSCRIBED");
  });

  it("a returning shopper who ticks nothing sends no consent webhook, only the checkout", async () => {
    const sent = await checkout({
      token: "0f0e0d0c0b0a09080706050403020100",
      email: SHOPPER,
      phone: null,
      acceptsEmail: false,
      acceptsSms: false,
      firstName: "Ola",
      lastName: "Nowak",
      lang: "pl",
      lines: [],
    });
    expect(sent).toEqual({ customerGid: gid, topics: ["checkouts/create"] });
    expect(standinCustomer(gid)?.emailMarketingConsent.marketingState).toBe("UNSUBSCRIBED");
  });

  it("names the demo shop in every delivery", async () => {
    const domains = await prisma().webhookDelivery.findMany({ distinct: ["shopDomain"], select: { shopDomain: true } });
    expect(domains.map((d) => d.shopDomain)).toEqual([DEMO_SHOP.domain]);
  });
});
