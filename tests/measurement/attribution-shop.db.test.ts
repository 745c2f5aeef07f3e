// The set-based recomputation of a whole shop (reattributeShop) and the per-order path
// (attributeOrder) agree on a randomized shop: same Conversion rows, same FlowDaily
// figures, and both equal to a recomputation from the Conversion rows. The shop has what
// makes attribution hard: two channels with different windows, clicks and opens by
// people and machines, ties at one instant, transactional messages, messages outside
// flows, unsent messages, orders without a customer, cancelled, refunded and
// subtotal-less orders, and days that differ between UTC and the shop's zone.
import crypto from "node:crypto";
import type { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { db } from "~/server/db/client.server";
import { attributeOrder, reattributeShop } from "~/server/measurement/attribution.server";
import { useTestDatabase } from "../support/db";
import { attributionOnly, DAY, flowFigures, HOUR, recomputedFigures } from "./support/attribution";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const q = () => getDb().query;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = Date.parse("2026-09-01T00:00:00Z");

async function randomShop(seed: number): Promise<string> {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const instant = (spanDays: number) => new Date(START + Math.floor(rnd() * spanDays * DAY));
  const shop = await prisma().shop.create({
    data: {
      domain: `random-${seed}.myshopify.com`,
      name: "Random",
      timezone: pick(["Europe/Warsaw", "America/Los_Angeles", "Asia/Tokyo"]),
      attributionEmailDays: 5,
      attributionSmsDays: 2,
    },
  });
  const messages: Prisma.MessageCreateManyInput[] = [];
  const events: Prisma.MessageEventCreateManyInput[] = [];
  const orders: Prisma.OrderCreateManyInput[] = [];
  let shopifyOrderId = 1;
  for (let c = 0; c < 40; c++) {
    const customer = await prisma().customer.create({ data: { shopId: shop.id, email: `c${c}.${seed}@example.com` } });
    // Each customer is active for a fortnight; a few touches land on one shared instant (ties).
    const base = instant(50).getTime();
    const around = (days: number) => new Date(base + Math.floor(rnd() * days * DAY));
    const sharedInstant = around(8);
    for (let i = Math.floor(rnd() * 9); i > 0; i--) {
      const id = crypto.randomUUID();
      const sent = rnd() < 0.9;
      const sentAt = rnd() < 0.15 ? new Date(sharedInstant.getTime() - 3 * HOUR) : around(10);
      messages.push({
        id,
        shopId: shop.id,
        customerId: customer.id,
        flowId: rnd() < 0.1 ? null : pick(["f-cart", "f-checkout", "f-welcome", "f-winback"]),
        stepId: pick(["s1", "s2"]),
        variant: pick([null, "a", "b"]),
        channel: pick(["email", "email", "sms"]),
        purpose: rnd() < 0.1 ? "transactional" : "marketing",
        idempotencyKey: id,
        status: sent ? "sent" : "pending",
        toAddress: "x",
        templateKey: "t",
        sentAt: sent ? sentAt : null,
      });
      if (!sent) continue;
      for (let e = Math.floor(rnd() * 4); e > 0; e--) {
        const tie = rnd() < 0.2;
        events.push({
          shopId: shop.id,
          messageId: id,
          type: pick(["clicked", "clicked", "opened"]),
          reliable: rnd() < 0.8,
          occurredAt: tie ? sharedInstant : new Date(sentAt.getTime() + Math.floor(rnd() * 8 * DAY)),
        });
      }
    }
    if (c % 5 === 0) {
      // Two messages clicked at the same instant, then an order: the tie-break decides.
      for (const step of ["s1", "s2"]) {
        const id = crypto.randomUUID();
        const sentAt = new Date(sharedInstant.getTime() - DAY);
        messages.push({
          id,
          shopId: shop.id,
          customerId: customer.id,
          flowId: "f-tie",
          stepId: step,
          channel: "email",
          purpose: "marketing",
          idempotencyKey: id,
          status: "sent",
          toAddress: "x",
          templateKey: "t",
          sentAt,
        });
        events.push({ shopId: shop.id, messageId: id, type: "clicked", reliable: true, occurredAt: sharedInstant });
      }
      orders.push({
        shopId: shop.id,
        shopifyOrderId: BigInt(shopifyOrderId++),
        name: `#${shopifyOrderId}`,
        customerId: customer.id,
        currency: "PLN",
        totalPrice: "99.00",
        processedAt: new Date(sharedInstant.getTime() + HOUR),
      });
    }
    if (c % 7 === 3) {
      // An email and an SMS sent at the very instant of an order, long after the customer's
      // touches: sent at processedAt counts as before the order, and the larger id of the two wins.
      const at = new Date(base + 30 * DAY);
      for (const channel of ["email", "sms"]) {
        const id = crypto.randomUUID();
        messages.push({
          id,
          shopId: shop.id,
          customerId: customer.id,
          flowId: "f-instant",
          stepId: channel,
          channel,
          purpose: "marketing",
          idempotencyKey: id,
          status: "sent",
          toAddress: "x",
          templateKey: "t",
          sentAt: at,
        });
      }
      orders.push({
        shopId: shop.id,
        shopifyOrderId: BigInt(shopifyOrderId++),
        name: `#${shopifyOrderId}`,
        customerId: customer.id,
        currency: "PLN",
        totalPrice: "45.00",
        processedAt: at,
      });
    }
    for (let o = Math.floor(rnd() * 5); o > 0; o--) {
      const total = (1000 + Math.floor(rnd() * 40000)) / 100;
      const processedAt = rnd() < 0.15 ? new Date(sharedInstant.getTime() + Math.floor(rnd() * 3 * DAY)) : around(16);
      orders.push({
        shopId: shop.id,
        shopifyOrderId: BigInt(shopifyOrderId++),
        name: `#${shopifyOrderId}`,
        customerId: rnd() < 0.05 ? null : customer.id,
        currency: "PLN",
        totalPrice: total.toFixed(2),
        subtotalPrice: rnd() < 0.1 ? null : (total - 10).toFixed(2),
        refundedAmount: rnd() < 0.2 ? (Math.floor(rnd() * total * 100) / 100).toFixed(2) : "0",
        cancelledAt: rnd() < 0.1 ? processedAt : null,
        processedAt,
      });
    }
  }
  await prisma().message.createMany({ data: messages });
  await prisma().messageEvent.createMany({ data: events });
  await prisma().order.createMany({ data: orders });
  return shop.id;
}

async function conversionSnapshot(shopId: string) {
  const rows = await prisma().conversion.findMany({ where: { shopId }, orderBy: { orderId: "asc" } });
  return rows.map((c) => ({
    orderId: c.orderId,
    kind: c.kind,
    messageId: c.messageId,
    flowId: c.flowId,
    stepId: c.stepId,
    variant: c.variant,
    channel: c.channel,
    touchAt: c.touchAt.getTime(),
    revenue: Number(c.revenue).toFixed(2),
    at: c.at.getTime(),
  }));
}

async function attributeEachOrder(shopId: string): Promise<void> {
  const orders = await prisma().order.findMany({ where: { shopId }, select: { id: true }, orderBy: { id: "asc" } });
  for (const o of orders) await db().$transaction((tx) => attributeOrder(tx, shopId, o.id));
}

/** Forgets all attribution: no Conversion rows, attribution figures back to zero. */
async function forgetAttribution(shopId: string): Promise<void> {
  await prisma().conversion.deleteMany({ where: { shopId } });
  await prisma().flowDaily.updateMany({
    where: { shopId },
    data: { attributedOrders: 0, attributedRevenue: 0, attributedRevenueSq: 0, influencedOrders: 0, influencedRevenue: 0 },
  });
}

async function state(shopId: string) {
  // Clicks here are raw rows written past the click path: only the attribution figures are compared.
  const figures = attributionOnly(await flowFigures(q(), shopId));
  expect(figures).toEqual(attributionOnly(await recomputedFigures(q(), shopId)));
  // No foreign keys guard Conversion (see its migration): every row must name an order and a message of its shop.
  const [orphans] = await q()<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Conversion" c
      WHERE c."shopId" = $1
        AND (NOT EXISTS (SELECT 1 FROM "Order" o WHERE o.id = c."orderId" AND o."shopId" = c."shopId")
             OR (c."messageId" IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m.id = c."messageId" AND m."shopId" = c."shopId")))`,
    [shopId],
  );
  expect(orphans!.n).toBe(0);
  return { conversions: await conversionSnapshot(shopId), figures };
}

describe("reattributeShop agrees with attributeOrder", () => {
  for (const seed of [15, 1507]) {
    it(`on randomized shop ${seed}, under the default settings and after they change`, { timeout: 120_000 }, async () => {
      const shopId = await randomShop(seed);

      // Ties happen: reliable clicks of two messages of one customer at one instant.
      const [ties] = await q()<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT 1 FROM "MessageEvent" e JOIN "Message" m ON m.id = e."messageId"
            WHERE e."shopId" = $1 AND e.type = 'clicked' AND e.reliable
            GROUP BY m."customerId", e."occurredAt" HAVING count(DISTINCT m.id) > 1) x`,
        [shopId],
      );
      expect(ties!.n).toBeGreaterThan(0);

      await attributeEachOrder(shopId);
      const perOrder = await state(shopId);
      const kinds = new Set(perOrder.conversions.map((c) => c.kind));
      expect(perOrder.conversions.filter((c) => c.flowId === "f-instant" && c.kind === "influenced").length).toBeGreaterThan(0);
      expect(kinds).toEqual(new Set(["click", "influenced"]));
      expect(perOrder.conversions.length).toBeGreaterThan(20);

      // Nothing to change when every order is already attributed.
      expect((await reattributeShop(shopId)).changed).toBe(0);
      expect(await state(shopId)).toEqual(perOrder);

      // From nothing, the set-based path writes what the per-order path wrote.
      await forgetAttribution(shopId);
      const rewritten = await reattributeShop(shopId);
      expect(rewritten).toEqual({ attributed: perOrder.conversions.length, changed: perOrder.conversions.length });
      expect(await state(shopId)).toEqual(perOrder);

      // Other windows and opens counted: the set-based path moves the rollups as the per-order path would.
      await prisma().shop.update({ where: { id: shopId }, data: { attributionEmailDays: 3, attributionSmsDays: 7, attributeOpens: true } });
      await reattributeShop(shopId);
      const changed = await state(shopId);
      expect(changed.conversions.some((c) => c.kind === "open")).toBe(true);
      expect(changed).not.toEqual(perOrder);
      await attributeEachOrder(shopId);
      expect(await state(shopId)).toEqual(changed);
      await forgetAttribution(shopId);
      await attributeEachOrder(shopId);
      expect(await state(shopId)).toEqual(changed);
    });
  }
});
