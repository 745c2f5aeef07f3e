// Workers meeting on the same rows (PostgreSQL: PGlite has one connection). A third
// session holds a lock one worker needs late in its transaction, so the other worker
// arrives exactly while the first is in the middle of its work (tests/support/lock-waits.ts).
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import type { Message, Shop } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock.server";
import { rawQueryOf } from "~/server/db/sql/clients.server";
import { lockShopAttribution } from "~/server/db/sql/conversions.server";
import { processWebhookBatch } from "~/server/ingestion/webhook-processor.server";
import { reattributeShop } from "~/server/measurement/attribution.server";
import { createShop } from "../messages/email/support/fixtures";
import { useTestDatabase } from "../support/db";
import { untilLockWaiters, whileHolding } from "../support/lock-waits";
import { deliver } from "../support/webhooks";
import {
  clickEmail,
  DAY,
  flowFigures,
  HOUR,
  newCustomer,
  orderBody,
  recomputedFigures,
  refundBody,
  sentMessage,
  type TestCustomer,
} from "./support/attribution";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const q = () => getDb().query;
// 23:59 in Warsaw: a click now and an order two minutes later fall on different shop days.
const T0 = Date.parse("2026-11-20T22:59:00Z");
let shop: Shop;
let orderIds = 9_200_000_000_000;

beforeAll(async () => {
  setClock(new Date(T0));
  shop = await createShop(prisma(), { timezone: "Europe/Warsaw" });
});

async function expectRollupsRecomputable(): Promise<void> {
  expect(await flowFigures(q(), shop.id)).toEqual(await recomputedFigures(q(), shop.id));
}

/** An order of `customer` whose webhook is stored, not yet processed; its checkout row (token) exists. */
async function storedOrder(customer: TestCustomer, processedAt: Date, extra: Record<string, unknown> = {}) {
  const id = orderIds++;
  const token = `chk-race-${id}`;
  await prisma().checkout.create({ data: { shopId: shop.id, token } });
  const res = await deliver(shop.domain, "orders/create", { ...orderBody(customer, { id, processedAt }), checkout_token: token, ...extra });
  expect(res.status).toBe(200);
  return { id, token };
}

/** Holds the order's checkout row: the order handler marks it completed after its attribution, and waits there. */
const holdCheckout = (token: string) => (tx: Parameters<Parameters<typeof whileHolding>[1]>[0]) =>
  tx.$queryRaw`SELECT id FROM "Checkout" WHERE "shopId" = ${shop.id} AND token = ${token} FOR UPDATE`;

const conversionOf = async (shopifyOrderId: number) => {
  const order = await prisma().order.findUniqueOrThrow({
    where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: BigInt(shopifyOrderId) } },
  });
  return { order, conversions: await prisma().conversion.findMany({ where: { shopId: shop.id, orderId: order.id } }) };
};

describe.skipIf(!process.env.DATABASE_URL)("attribution with concurrent workers", () => {
  it(
    "a click recorded while the order's webhook is being processed (the order read touches first): one row, the click's",
    { timeout: 60_000 },
    async () => {
      // The click's day and the order's (00:01 the next day) differ, so the two workers share
      // no rollup row, and only the touch lock can order them.
      const t = T0;
      const customer = await newCustomer(prisma(), shop.id);
      const m: Message = await sentMessage(prisma(), shop.id, customer, { flowId: "flow-race", sentAt: new Date(t - HOUR) });
      const { id, token } = await storedOrder(customer, new Date(t + 2 * 60_000));
      const database = getDb();
      await whileHolding(database, holdCheckout(token), async () => {
        // The order's worker attributes (no click yet: influenced) and waits at its checkout, holding the customer's touch lock.
        const worker = processWebhookBatch("worker-order", 1);
        await untilLockWaiters(database, 1);
        // The click arrives now: it waits for the order's transaction, then re-attributes the order it finds.
        const click = clickEmail(m);
        return Promise.all([worker, click]);
      });
      const { conversions } = await conversionOf(id);
      expect(conversions).toMatchObject([{ kind: "click", messageId: m.id }]);
      await expectRollupsRecomputable();
    },
  );

  it(
    "an order processed while a click is being recorded (the click holds the touch lock): one row, the click's",
    { timeout: 60_000 },
    async () => {
      const customer = await newCustomer(prisma(), shop.id);
      const m = await sentMessage(prisma(), shop.id, customer, { flowId: "flow-race", stepId: "email-2", sentAt: new Date(T0 - HOUR) });
      const { id } = await storedOrder(customer, new Date(T0 + 60_000));
      const database = getDb();
      await whileHolding(
        database,
        // The click takes the customer's touch lock, then waits for the message row.
        (tx) => tx.$queryRaw`SELECT id FROM "Message" WHERE id = ${m.id} FOR UPDATE`,
        async () => {
          const click = clickEmail(m);
          await untilLockWaiters(database, 1);
          return Promise.all([click, processWebhookBatch("worker-order", 1)]);
        },
      );
      expect((await conversionOf(id)).conversions).toMatchObject([{ kind: "click", messageId: m.id }]);
      await expectRollupsRecomputable();
    },
  );

  it("two first clicks of one message at once count it clicked once", { timeout: 60_000 }, async () => {
    const customer = await newCustomer(prisma(), shop.id);
    // Without a customer only the message row orders the two (no touch lock is taken).
    const m = await sentMessage(prisma(), shop.id, customer, { customerId: null, flowId: "flow-twice", sentAt: new Date(T0 - HOUR) });
    const database = getDb();
    await whileHolding(
      database,
      (tx) => tx.$queryRaw`SELECT id FROM "Message" WHERE id = ${m.id} FOR UPDATE`,
      () => Promise.all([clickEmail(m, "https://kawa.example.com/a"), clickEmail(m, "https://kawa.example.com/b")]),
    );
    expect(await prisma().messageEvent.count({ where: { messageId: m.id, type: "clicked", reliable: true } })).toBe(2);
    expect((await flowFigures(q(), shop.id)).filter((r) => r.flowId === "flow-twice").map((r) => r.clicked)).toEqual([1]);
    await expectRollupsRecomputable();
  });

  it("a refund processed while its order's first delivery is in flight is applied to the order", { timeout: 60_000 }, async () => {
    const customer = await newCustomer(prisma(), shop.id);
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: "flow-refund", sentAt: new Date(T0 - HOUR) });
    await clickEmail(m);
    const { id, token } = await storedOrder(customer, new Date(T0 + HOUR));
    expect((await deliver(shop.domain, "refunds/create", refundBody(id, id + 1, ["40.00"], new Date(T0 + DAY)))).status).toBe(200);
    const database = getDb();
    await whileHolding(database, holdCheckout(token), async () => {
      const order = processWebhookBatch("worker-order", 1);
      await untilLockWaiters(database, 1);
      return Promise.all([order, processWebhookBatch("worker-refund", 1)]);
    });
    const { order, conversions } = await conversionOf(id);
    expect(order.refundedAmount.toString()).toBe("40");
    expect(conversions.map((c) => [c.kind, c.revenue.toString()])).toEqual([["click", "204"]]);
    await expectRollupsRecomputable();
  });

  it("a whole-shop recomputation and an order's attribution at once: neither moves the rollups twice", { timeout: 60_000 }, async () => {
    const customer = await newCustomer(prisma(), shop.id);
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: "flow-shop", sentAt: new Date(T0 - HOUR) });
    await clickEmail(m);
    const { id } = await storedOrder(customer, new Date(T0 + HOUR));
    const database = getDb();
    await whileHolding(
      database,
      (tx) => lockShopAttribution(rawQueryOf(tx), shop.id, "exclusive"),
      () => Promise.all([processWebhookBatch("worker-order", 1), reattributeShop(shop.id)]),
    );
    expect((await conversionOf(id)).conversions).toMatchObject([{ kind: "click" }]);
    await expectRollupsRecomputable();
    expect((await reattributeShop(shop.id)).changed).toBe(0);
  });
});
