// Attribution end to end: messages sent, clicks and opens through the real tracking
// routes, orders and refunds through the real webhook routes with Shopify's signature,
// processed as the worker processes them. Every test ends with the FlowDaily figures
// equal to a recomputation from the raw rows (Conversion, first reliable clicks).
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import type { Shop } from "@prisma/client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock.server";
import { reattributeShop } from "~/server/measurement/attribution.server";
import { createShop } from "../messages/email/support/fixtures";
import { useTestDatabase } from "../support/db";
import {
  clickEmail,
  clickSms,
  DAY,
  flowFigures,
  HOUR,
  newCustomer,
  openEmail,
  orderBody,
  recomputedFigures,
  refundBody,
  sentMessage,
  webhook,
  type TestCustomer,
} from "./support/attribution";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const q = () => getDb().query;

// Friday 10:00 UTC, 11:00 in Warsaw. Each test moves the clock forward from here.
const T0 = Date.parse("2026-11-20T10:00:00Z");
let shop: Shop;
let otherShop: Shop;
let orderIds = 9_100_000_000_000;

beforeAll(async () => {
  setClock(new Date(T0));
  shop = await createShop(prisma(), { timezone: "Europe/Warsaw" });
  otherShop = await createShop(prisma(), { timezone: "America/New_York" });
});

afterEach(async () => {
  for (const s of [shop, otherShop]) expect(await flowFigures(q(), s.id)).toEqual(await recomputedFigures(q(), s.id));
});

const conversions = (orderId?: string) =>
  prisma().conversion.findMany({ where: { shopId: shop.id, ...(orderId ? { orderId } : {}) }, orderBy: { at: "asc" } });
const orderRow = (shopifyOrderId: number, shopId = shop.id) =>
  prisma().order.findUniqueOrThrow({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: BigInt(shopifyOrderId) } } });
/** When the message's (first) touch of this type was recorded: the app clock runs on between setClock and the request. */
const touchedAt = async (messageId: string, type = "clicked") =>
  (await prisma().messageEvent.findFirstOrThrow({ where: { messageId, type }, orderBy: { id: "asc" } })).occurredAt;
const figuresOf = async (flowId: string, shopId = shop.id) => (await flowFigures(q(), shopId)).filter((r) => r.flowId === flowId);

/** A scenario of its own: a customer, a flow id, an order id, and a clock starting a day after the last one's. */
let scenarioStart = T0;
async function scenario(): Promise<{ customer: TestCustomer; flow: string; orderId: number; t: (ms: number) => Date }> {
  scenarioStart += 20 * DAY;
  const start = scenarioStart;
  setClock(new Date(start));
  const customer = await newCustomer(prisma(), shop.id);
  return { customer, flow: `flow-${customer.shopifyId}`, orderId: orderIds++, t: (ms) => new Date(start + ms) };
}

describe("last-click attribution", () => {
  it("a click, then an order within the window: the order is the click's, by the order's shop-local day", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, stepId: "email-1", variant: "b", sentAt: t(-DAY) });
    await clickEmail(m);
    // 23:30 UTC is 00:30 the next day in Warsaw: the rollup day is the shop's.
    const placed = new Date(Math.floor(t(0).getTime() / DAY) * DAY + 23.5 * HOUR);
    setClock(new Date(placed.getTime() + 60_000));
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: placed }));

    const order = await orderRow(orderId);
    expect(await conversions(order.id)).toMatchObject([
      { kind: "click", messageId: m.id, flowId: flow, stepId: "email-1", variant: "b", channel: "email", touchAt: await touchedAt(m.id) },
    ]);
    expect((await conversions(order.id))[0]!.revenue.toString()).toBe("244");
    const localNextDay = new Date(placed.getTime() + DAY).toISOString().slice(0, 10);
    expect(await figuresOf(flow)).toEqual([
      expect.objectContaining({ day: t(0).toISOString().slice(0, 10), clicked: 1, attributedOrders: 0 }),
      expect.objectContaining({
        day: localNextDay,
        stepId: "email-1",
        variant: "b",
        channel: "email",
        clicked: 0,
        attributedOrders: 1,
        attributedRevenue: "244.00",
        attributedRevenueSq: "59536.0000",
        influencedOrders: 0,
      }),
    ]);
  });

  it("a click outside the window does not attribute, nor does a message received before it", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-HOUR) });
    await clickEmail(m);
    setClock(t(5 * DAY + HOUR));
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: t(5 * DAY + 1000) }));
    expect(await conversions((await orderRow(orderId)).id)).toEqual([]);
    expect(await figuresOf(flow)).toEqual([expect.objectContaining({ clicked: 1, attributedOrders: 0, influencedOrders: 0 })]);
  });

  it("two clicks from two flows: the last click wins, and only its flow gets the order", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const other = `${flow}-other`;
    const first = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-2 * DAY) });
    const second = await sentMessage(prisma(), shop.id, customer, { flowId: other, stepId: "email-2", sentAt: t(-DAY) });
    await clickEmail(second);
    setClock(t(HOUR));
    await clickEmail(first);
    setClock(t(2 * HOUR));
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: t(2 * HOUR) }));
    expect(await conversions((await orderRow(orderId)).id)).toMatchObject([{ kind: "click", messageId: first.id, flowId: flow }]);
    expect((await figuresOf(flow)).map((r) => r.attributedOrders)).toEqual([1]);
    expect((await figuresOf(other)).map((r) => [r.clicked, r.attributedOrders])).toEqual([[1, 0]]);
  });

  it("an open only: influenced by default (shown apart); attributed as an open once the shop counts opens", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-DAY) });
    await openEmail(m);
    setClock(t(HOUR));
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: t(HOUR) }));
    const order = await orderRow(orderId);
    expect(await conversions(order.id)).toMatchObject([{ kind: "influenced", messageId: m.id, touchAt: t(-DAY) }]);
    expect(await figuresOf(flow)).toEqual([
      expect.objectContaining({
        clicked: 0,
        attributedOrders: 0,
        attributedRevenue: "0.00",
        influencedOrders: 1,
        influencedRevenue: "244.00",
      }),
    ]);

    await prisma().shop.update({ where: { id: shop.id }, data: { attributeOpens: true } });
    try {
      await reattributeShop(shop.id);
      expect(await conversions(order.id)).toMatchObject([{ kind: "open", messageId: m.id, touchAt: await touchedAt(m.id, "opened") }]);
      expect(await figuresOf(flow)).toEqual([
        expect.objectContaining({ attributedOrders: 1, attributedRevenue: "244.00", influencedOrders: 0, influencedRevenue: "0.00" }),
      ]);
      // A machine's open (Apple Mail's privacy proxy) never attributes, even then.
      const { customer: c2, orderId: o2, t: t2 } = await scenario();
      const m2 = await sentMessage(prisma(), shop.id, c2, { flowId: flow, sentAt: t2(-DAY) });
      await openEmail(m2, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)");
      setClock(t2(HOUR));
      await webhook(shop.domain, "orders/create", orderBody(c2, { id: o2, processedAt: t2(HOUR) }));
      expect(await conversions((await orderRow(o2)).id)).toMatchObject([{ kind: "influenced" }]);
    } finally {
      await prisma().shop.update({ where: { id: shop.id }, data: { attributeOpens: false } });
      await reattributeShop(shop.id);
    }
    expect(await conversions(order.id)).toMatchObject([{ kind: "influenced" }]);
  });

  it("an SMS short-link tap is a click of the SMS, within the SMS window", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const sms = await sentMessage(prisma(), shop.id, customer, {
      flowId: flow,
      stepId: "sms-1",
      channel: "sms",
      toAddress: "+48601000001",
      payload: { body: "Your cart is waiting: https://kawa.example.com/cart" },
      sentAt: t(-HOUR),
    });
    await clickSms(sms);
    setClock(t(DAY));
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: t(DAY) }));
    expect(await conversions((await orderRow(orderId)).id)).toMatchObject([{ kind: "click", messageId: sms.id, channel: "sms" }]);
    expect(await figuresOf(flow)).toEqual([
      expect.objectContaining({ stepId: "sms-1", channel: "sms", clicked: 1, attributedOrders: 0 }),
      expect.objectContaining({ stepId: "sms-1", channel: "sms", clicked: 0, attributedOrders: 1 }),
    ]);
  });

  it("a transactional message's click never attributes", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, purpose: "transactional", sentAt: t(-HOUR) });
    await clickEmail(m);
    setClock(t(HOUR));
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: t(HOUR) }));
    expect(await conversions((await orderRow(orderId)).id)).toEqual([]);
  });
});

describe("the clicked figure", () => {
  it("counts a message once, at its first reliable click: not a scanner's click, not the person's second", async () => {
    const { customer, flow, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-HOUR) });
    await clickEmail(m); // reliable
    await clickEmail(m); // the same slot: deduplicated
    setClock(t(HOUR));
    await clickEmail(m, "https://kawa.example.com/products/other"); // another link: a second reliable click row
    const scanned = await sentMessage(prisma(), shop.id, customer, { flowId: flow, stepId: "email-2", sentAt: t(HOUR - 1000) });
    await clickEmail(scanned); // within 2 s of sending: a machine
    expect(await prisma().messageEvent.count({ where: { messageId: m.id, type: "clicked", reliable: true } })).toBe(2);
    expect((await figuresOf(flow)).map((r) => [r.stepId, r.clicked])).toEqual([["email-1", 1]]);
  });
});

describe("orders that change", () => {
  it("a refund after attribution reduces the revenue and the rollups; its redelivery and the order's refunds list change nothing", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-HOUR) });
    await clickEmail(m);
    setClock(t(HOUR));
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: t(HOUR) }));
    setClock(t(2 * DAY));
    const refund = refundBody(orderId, orderId + 7, ["54.00", 45.5], t(2 * DAY));
    await webhook(shop.domain, "refunds/create", refund);
    const order = await orderRow(orderId);
    expect(order.refundedAmount.toString()).toBe("99.5");
    expect((await conversions(order.id))[0]!.revenue.toString()).toBe("144.5");
    const after = await figuresOf(flow);
    expect(after.find((r) => r.attributedOrders === 1)).toMatchObject({ attributedRevenue: "144.50", attributedRevenueSq: "20880.2500" });

    await webhook(shop.domain, "refunds/create", refund); // another delivery of the same refund
    setClock(t(2 * DAY + HOUR));
    await webhook(
      shop.domain,
      "orders/updated",
      orderBody(customer, { id: orderId, processedAt: t(HOUR), updatedAt: t(2 * DAY + HOUR), refunds: [refund] }),
    );
    expect(await prisma().orderRefund.count({ where: { shopId: shop.id, shopifyOrderId: BigInt(orderId) } })).toBe(1);
    expect((await orderRow(orderId)).refundedAmount.toString()).toBe("99.5");
    expect(await figuresOf(flow)).toEqual(after);
  });

  it("a refund that arrives before its order is kept, and applied when the order arrives", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-HOUR) });
    await clickEmail(m);
    setClock(t(HOUR));
    await webhook(shop.domain, "refunds/create", refundBody(orderId, orderId + 7, ["44.00"], t(HOUR)));
    expect(await prisma().orderRefund.count({ where: { shopId: shop.id, shopifyOrderId: BigInt(orderId) } })).toBe(1);
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: t(30 * 60_000) }));
    const order = await orderRow(orderId);
    expect(order.refundedAmount.toString()).toBe("44");
    expect(await conversions(order.id)).toMatchObject([{ kind: "click" }]);
    expect((await conversions(order.id))[0]!.revenue.toString()).toBe("200");
  });

  it("the same order webhook delivered twice (a redelivery, and the same content under a new id): one row, rollups unchanged", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-HOUR) });
    await clickEmail(m);
    setClock(t(HOUR));
    const body = orderBody(customer, { id: orderId, processedAt: t(HOUR) });
    await webhook(shop.domain, "orders/create", body, { webhookId: `wh-${orderId}` });
    const once = await figuresOf(flow);
    await webhook(shop.domain, "orders/create", body, { webhookId: `wh-${orderId}` });
    await webhook(shop.domain, "orders/updated", body);
    expect(await prisma().conversion.count({ where: { shopId: shop.id, orderId: (await orderRow(orderId)).id } })).toBe(1);
    expect(await figuresOf(flow)).toEqual(once);
    expect(once.find((r) => r.attributedOrders === 1)).toMatchObject({ attributedRevenue: "244.00" });
  });

  it("a cancelled order keeps its attribution with no revenue", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-HOUR) });
    await clickEmail(m);
    setClock(t(HOUR));
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: t(HOUR) }));
    setClock(t(DAY));
    await webhook(
      shop.domain,
      "orders/cancelled",
      orderBody(customer, { id: orderId, processedAt: t(HOUR), updatedAt: t(DAY), cancelledAt: t(DAY) }),
    );
    expect(await conversions((await orderRow(orderId)).id)).toMatchObject([{ kind: "click" }]);
    expect((await conversions((await orderRow(orderId)).id))[0]!.revenue.toString()).toBe("0");
    expect((await figuresOf(flow)).find((r) => r.attributedOrders === 1)).toMatchObject({
      attributedRevenue: "0.00",
      attributedRevenueSq: "0.0000",
    });
  });

  it("an order whose webhook was processed before the click was recorded is attributed when the click is", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-HOUR) });
    // The order is placed a minute after the click and its webhook processed at once; the
    // click's request (at t(0)) writes its row only after that.
    setClock(t(2 * 60_000));
    await webhook(shop.domain, "orders/create", orderBody(customer, { id: orderId, processedAt: t(60_000) }));
    const order = await orderRow(orderId);
    expect(await conversions(order.id)).toMatchObject([{ kind: "influenced" }]);
    setClock(t(0));
    await clickEmail(m);
    setClock(t(3 * 60_000));
    expect(await conversions(order.id)).toMatchObject([{ kind: "click", messageId: m.id, touchAt: await touchedAt(m.id) }]);
    expect((await figuresOf(flow)).find((r) => r.attributedOrders === 1)).toMatchObject({
      influencedOrders: 0,
      attributedRevenue: "244.00",
    });
  });
});

describe("tenants", () => {
  it("another shop's order by the same person is not attributed to this shop's click, and moves nothing here", async () => {
    const { customer, flow, orderId, t } = await scenario();
    const m = await sentMessage(prisma(), shop.id, customer, { flowId: flow, sentAt: t(-HOUR) });
    await clickEmail(m);
    const before = await flowFigures(q(), shop.id);
    // The same Shopify customer id and email, in the other shop (its own profile there).
    const twin = await prisma().customer.create({
      data: { shopId: otherShop.id, shopifyCustomerId: BigInt(customer.shopifyId), email: customer.email },
    });
    setClock(t(HOUR));
    await webhook(otherShop.domain, "orders/create", orderBody({ ...customer, id: twin.id }, { id: orderId, processedAt: t(HOUR) }));
    const order = await orderRow(orderId, otherShop.id);
    expect(order.customerId).toBe(twin.id);
    expect(await prisma().conversion.count({ where: { orderId: order.id } })).toBe(0);
    expect(await flowFigures(q(), shop.id)).toEqual(before);
    expect(await flowFigures(q(), otherShop.id)).toEqual([]);
    // A click token naming this shop's message under the other shop records nothing.
    await clickEmail({ ...m, shopId: otherShop.id });
    expect(await prisma().messageEvent.count({ where: { shopId: otherShop.id } })).toBe(0);
  });
});
