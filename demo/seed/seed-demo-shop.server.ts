import { Prisma } from "@prisma/client";
import { db } from "~/server/db/client.server";
import { clockOffsetMs, now, setClock } from "~/server/clock.server";
import { log } from "~/server/log.server";
import { installCatalogue, saveFlowSettings, setFlowStatus } from "~/server/journeys/flows.server";
import { DEMO_SMS_FROM_NUMBER } from "../sms-account";
import { demoId } from "./demo-ids";
import { DEMO_PRODUCTS, DEMO_SHOP, demoCustomers, demoOrders, orderTotal } from "./demo-shop";

const DAY = 86_400_000;

export interface SeedOptions {
  /**
   * When the merchant switched the flows on: the demo's generated history
   * (history/seed-history.server.ts) needs them on from its first day. Default: now.
   */
  flowsSince?: Date;
}

/** Loads the demo shop once; later starts find it and leave it alone (but give it an SMS sender, added since). */
export async function seedDemoShop(opts: SeedOptions = {}): Promise<{ seeded: boolean; shopId: string }> {
  const existing = await db().shop.findUnique({ where: { domain: DEMO_SHOP.domain } });
  if (existing) {
    const settings = (existing.settings ?? {}) as Record<string, unknown>;
    if (!settings.sms) {
      await db().shop.update({
        where: { id: existing.id },
        data: { settings: { ...settings, sms: { fromNumber: DEMO_SMS_FROM_NUMBER } } },
      });
    }
    return { seeded: false, shopId: existing.id };
  }

  const at = now();
  const customers = demoCustomers();
  const orders = demoOrders(customers);
  const started = Date.now();

  const shopId = await db().$transaction(
    async (tx) => {
      const shop = await tx.shop.create({
        data: {
          id: demoId("shop", DEMO_SHOP.domain),
          domain: DEMO_SHOP.domain,
          name: DEMO_SHOP.name,
          timezone: DEMO_SHOP.ianaTimezone,
          currency: DEMO_SHOP.currencyCode,
          locale: DEMO_SHOP.locale,
          primaryDomain: DEMO_SHOP.primaryDomain,
          storefrontHosts: DEMO_SHOP.webPresences.flatMap((p) => (p.host && p.host !== DEMO_SHOP.primaryDomain ? [p.host] : [])),
          domainsRefreshedAt: at,
          senderName: DEMO_SHOP.name,
          senderEmail: DEMO_SHOP.email,
          postalAddress: DEMO_SHOP.billingAddress,
          branding: { primaryColor: "#6f4e37", accentColor: "#ffb300" },
          installedAt: new Date(at.getTime() - 200 * DAY),
          catalogSyncedAt: at, // the products below are the catalogue
          // The demo shows every message it would send; real shops keep a holdout (default 10%).
          holdoutPercent: 0,
          // The sender of its texts, which go to the Twilio stand-in (/dev/twilio, shown at /dev/sms).
          settings: { sms: { fromNumber: DEMO_SMS_FROM_NUMBER } },
        },
      });
      // An offline session, as OAuth would leave it; the token only opens the local stand-in.
      await tx.session.create({
        data: {
          id: `offline_${DEMO_SHOP.domain}`,
          shop: DEMO_SHOP.domain,
          state: "demo",
          isOnline: false,
          scope: "read_customers,write_customers,read_orders,read_products,write_discounts",
          accessToken: "shpat_demo_token",
        },
      });
      await tx.product.createMany({
        data: DEMO_PRODUCTS.map((p) => ({
          shopId: shop.id,
          shopifyProductId: BigInt(p.id),
          title: p.title,
          handle: p.handle,
          productType: p.productType,
          imageUrl: `/dev/storefront/image/${p.handle}.svg`,
          priceMin: new Prisma.Decimal(p.price),
          priceMax: new Prisma.Decimal(p.price),
          variants: [{ id: p.variantId, title: "Default Title", price: p.price }],
          shopifyUpdatedAt: at,
        })),
      });
      await tx.customer.createMany({
        data: customers.map((c) => {
          const created = new Date(at.getTime() - c.createdDaysAgo * DAY);
          return {
            id: demoId("customer", shop.id, c.id),
            shopId: shop.id,
            shopifyCustomerId: BigInt(c.id),
            email: c.email,
            phone: c.phone,
            firstName: c.firstName,
            lastName: c.lastName,
            locale: c.locale,
            countryCode: "PL",
            emailConsentState: c.emailConsent,
            emailOptInLevel: c.emailConsent === "not_subscribed" ? null : "single_opt_in",
            emailConsentSource: "shopify",
            emailConsentUpdatedAt: created,
            smsConsentState: c.smsConsent,
            smsOptInLevel: c.smsConsent === "subscribed" ? "single_opt_in" : null,
            smsConsentSource: c.smsConsent === "subscribed" ? "shopify" : null,
            smsConsentUpdatedAt: c.smsConsent === "subscribed" ? created : null,
            createdAt: created,
          };
        }),
      });
      const ids = new Map(
        (await tx.customer.findMany({ where: { shopId: shop.id }, select: { id: true, shopifyCustomerId: true } })).map((r) => [
          Number(r.shopifyCustomerId),
          r.id,
        ]),
      );
      await tx.consentRecord.createMany({
        data: customers
          .filter((c) => c.emailConsent !== "not_subscribed")
          .map((c) => ({
            shopId: shop.id,
            customerId: ids.get(c.id)!,
            channel: "email",
            state: c.emailConsent,
            optInLevel: "single_opt_in",
            source: "shopify",
            occurredAt: new Date(at.getTime() - c.createdDaysAgo * DAY),
          })),
      });
      const orderRows = orders.map((o) => {
        const c = customers.find((x) => x.id === o.customerId)!;
        const total = orderTotal(o).toFixed(2);
        return {
          shopId: shop.id,
          shopifyOrderId: BigInt(o.id),
          name: o.name,
          customerId: ids.get(o.customerId)!,
          shopifyCustomerId: BigInt(o.customerId),
          email: c.email,
          currency: DEMO_SHOP.currencyCode,
          totalPrice: new Prisma.Decimal(total),
          subtotalPrice: new Prisma.Decimal(total),
          financialStatus: "paid",
          fulfillmentStatus: o.daysAgo > 3 ? "fulfilled" : null,
          sourceName: "web",
          // Spread over the day (order ids are sequential, the multiplier scatters them).
          processedAt: new Date(at.getTime() - o.daysAgo * DAY - ((o.id * 7919) % 43_200) * 1000),
          shopifyUpdatedAt: at,
        };
      });
      await tx.order.createMany({ data: orderRows });
      const orderIds = new Map(
        (await tx.order.findMany({ where: { shopId: shop.id }, select: { id: true, shopifyOrderId: true } })).map((r) => [
          Number(r.shopifyOrderId),
          r.id,
        ]),
      );
      await tx.orderLine.createMany({
        data: orders.flatMap((o) =>
          o.lines.map((l) => {
            const p = DEMO_PRODUCTS[l.productIndex]!;
            return {
              shopId: shop.id,
              orderId: orderIds.get(o.id)!,
              shopifyProductId: BigInt(p.id),
              shopifyVariantId: BigInt(p.variantId),
              title: p.title,
              quantity: l.quantity,
              price: new Prisma.Decimal(p.price),
            };
          }),
        ),
      });
      // The aggregates ingestion keeps current (RFM, win-back cadence), computed once here.
      await tx.$executeRaw`
        UPDATE "Customer" c SET
          "ordersCount" = s.n, "totalSpent" = s.total, "firstOrderAt" = s.first, "lastOrderAt" = s.last
        FROM (SELECT "customerId", count(*)::int AS n, sum("totalPrice") AS total,
                     min("processedAt") AS first, max("processedAt") AS last
              FROM "Order" WHERE "shopId" = ${shop.id} GROUP BY "customerId") s
        WHERE c.id = s."customerId" AND c."shopId" = ${shop.id}`;
      await tx.auditLog.create({
        data: {
          shopId: shop.id,
          actor: "system",
          action: "demo.seeded",
          details: { customers: customers.length, orders: orders.length },
          at,
        },
      });
      return shop.id;
    },
    { timeout: 120_000 },
  );
  // The catalogue, with the flows a new merchant would switch on first; the abandoned
  // checkout flow with its SMS reminder, so the flows page shows an SMS cost estimate.
  // Installed with the clock at flowsSince, so the flows and their versions date from then.
  const offset = clockOffsetMs();
  if (opts.flowsSince) setClock(opts.flowsSince);
  try {
    await installCatalogue(shopId);
    await saveFlowSettings(shopId, "abandoned_checkout", { sms: { enabled: true } }, "demo", "SMS reminder on");
    for (const key of ["welcome", "abandoned_checkout", "abandoned_cart", "browse_abandonment", "post_purchase"]) {
      await setFlowStatus(shopId, key, "on", "demo");
    }
  } finally {
    if (opts.flowsSince) setClock(new Date(Date.now() + offset));
  }
  log.info("demo shop seeded", { customers: customers.length, orders: orders.length, ms: Date.now() - started });
  return { seeded: true, shopId };
}
