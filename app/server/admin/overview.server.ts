import type { Shop } from "@prisma/client";
import { db } from "../db/client.server";
import { now, clockOffsetMs } from "../clock.server";
import { databaseHealth } from "../db/health.server";

const DAY = 86_400_000;

/** Everything the Overview page shows, every query scoped by the shop. */
export async function loadOverview(shop: Shop) {
  const at = now();
  const since30 = new Date(at.getTime() - 30 * DAY);
  const since24h = new Date(at.getTime() - DAY);
  const shopId = shop.id;
  const [customers, emailSubs, smsSubs, orders30, events24, webhooks, rejected, recent, health, inDoubt] = await Promise.all([
    db().customer.count({ where: { shopId, mergedIntoId: null, redactedAt: null } }),
    db().customer.count({ where: { shopId, emailConsentState: "subscribed" } }),
    db().customer.count({ where: { shopId, smsConsentState: "subscribed" } }),
    db().order.aggregate({
      where: { shopId, processedAt: { gte: since30, lte: at }, cancelledAt: null },
      _count: true,
      _sum: { totalPrice: true },
    }),
    db().event.count({ where: { shopId, occurredAt: { gte: since24h } } }),
    // Delivery records are kept 30 days (app/domain/privacy/retention.ts).
    db().webhookDelivery.count({ where: { shopId, receivedAt: { gte: since30 } } }),
    db().webhookDelivery.count({ where: { shopId, status: "rejected", receivedAt: { gte: since30 } } }),
    db().order.findMany({
      where: { shopId, processedAt: { lte: at } },
      orderBy: { processedAt: "desc" },
      take: 8,
      select: {
        id: true,
        name: true,
        processedAt: true,
        totalPrice: true,
        currency: true,
        customer: { select: { firstName: true, lastName: true } },
      },
    }),
    databaseHealth(),
    // Sends whose outcome nobody knows (the worker stopped mid-send): never re-sent, so
    // the merchant is told. updatedAt is when the row became "unknown".
    db().message.count({ where: { shopId, status: "unknown", updatedAt: { gte: since30 } } }),
  ]);
  return {
    shop: { name: shop.name, timezone: shop.timezone, currency: shop.currency, domain: shop.domain },
    kpis: {
      customers,
      emailSubs,
      smsSubs,
      orders30: orders30._count,
      revenue30: orders30._sum.totalPrice?.toString() ?? "0",
      events24,
    },
    health: { database: health, webhooks, rejected, inDoubt, clockOffsetHours: Math.round(clockOffsetMs() / 36e5) },
    recentOrders: recent.map((o) => ({
      id: o.id,
      name: o.name,
      processedAt: o.processedAt.toISOString(),
      total: o.totalPrice.toString(),
      currency: o.currency,
      customer: [o.customer?.firstName, o.customer?.lastName].filter(Boolean).join(" "),
    })),
  };
}

export type Overview = Awaited<ReturnType<typeof loadOverview>>;
