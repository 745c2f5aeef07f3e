// Attribution of one order, recomputed whenever the order, its refunds, or the
// customer's touches change (order and refund webhooks through onOrderChanged; a new
// reliable click or counted open through reattributeCustomerOrders). Idempotent: it
// compares with the Conversion row it wrote last time and moves the FlowDaily rollups by
// exactly the difference, in the caller's transaction.
import {
  attributeOrderTo,
  attributionRollupChanges,
  DAY_MS,
  earliestMessageSentAt,
  earliestTouchAt,
  maxWindowDays,
  type AttributionSettings,
  type ConversionFigures,
} from "~/domain/measurement/attribution";
import { netRevenueCents, toCents } from "~/domain/measurement/order-revenue";
import { shopDay } from "~/domain/measurement/shop-day";
import { database } from "../db/client.server";
import { rawQueryOf, type RawQuery } from "../db/sql/clients.server";
import {
  candidateTouches,
  conversionOf,
  customerOrdersBetween,
  deleteConversion,
  lockCustomerTouches,
  lockOrderForAttribution,
  lockShopAttribution,
  putConversion,
  type ConversionRow,
  type OrderForAttribution,
} from "../db/sql/conversions.server";
import { rewriteShopAttribution } from "../db/sql/shop-attribution.server";
import type { Tx } from "../profiles/identity.server";
import { bumpFlowDaily } from "./rollup.server";

const centsText = (cents: number) => (cents / 100).toFixed(2);

function figuresOf(c: ConversionRow | null): ConversionFigures | null {
  return c && { ...c, revenueCents: toCents(c.revenue) };
}

/**
 * Recomputes the order's attribution: locks the order row, then (in this order) the
 * shop's attribution in shared mode and the customer's touches, reads the candidates,
 * writes or deletes the one Conversion row and moves the rollups by the difference.
 */
export async function attributeOrder(tx: Tx, shopId: string, orderId: string): Promise<void> {
  const q = rawQueryOf(tx);
  const order = await lockOrderForAttribution(q, shopId, orderId);
  if (!order) return;
  await lockShopAttribution(q, shopId, "shared");
  if (order.customerId) await lockCustomerTouches(q, shopId, order.customerId);

  const previous = await conversionOf(q, shopId, orderId);
  const chosen = order.customerId
    ? attributeOrderTo(order, ...(await candidatesOf(q, shopId, order.customerId, order)), order.settings)
    : null;
  const revenueCents = netRevenueCents(order);
  const next: ConversionRow | null = chosen && {
    kind: chosen.kind,
    messageId: chosen.message.id,
    flowId: chosen.message.flowId,
    stepId: chosen.message.stepId,
    variant: chosen.message.variant,
    channel: chosen.message.channel,
    touchAt: chosen.touchAt,
    revenue: centsText(revenueCents),
    at: order.processedAt,
  };
  if (next) {
    if (!previous || !sameConversion(previous, next)) await putConversion(q, shopId, orderId, next);
  } else if (previous) {
    await deleteConversion(q, shopId, orderId);
  }

  const dayKey = (at: Date) => shopDay(at, order.timezone).toISOString().slice(0, 10);
  for (const change of attributionRollupChanges(figuresOf(previous), next && { ...next, revenueCents }, dayKey)) {
    await bumpFlowDaily(
      tx,
      {
        shopId,
        flowId: change.flowId,
        day: shopDay(change.at, order.timezone),
        stepId: change.stepId,
        variant: change.variant,
        channel: change.channel,
        cohort: "",
      },
      {
        attributedOrders: change.attributedOrders,
        attributedRevenue: change.attributedRevenueCents / 100,
        attributedRevenueSq: change.attributedRevenueSqCents / 10_000,
        influencedOrders: change.influencedOrders,
        influencedRevenue: change.influencedRevenueCents / 100,
      },
    );
  }
}

/** The customer's messages and touches that can bear on an order placed at `processedAt` (bounded reads). */
async function candidatesOf(q: RawQuery, shopId: string, customerId: string, order: OrderForAttribution) {
  const { messages, touches } = await candidateTouches(q, {
    shopId,
    customerId,
    sentFrom: earliestMessageSentAt(order.processedAt, order.settings),
    touchFrom: earliestTouchAt(order.processedAt, order.settings),
    to: order.processedAt,
    opens: order.settings.attributeOpens,
  });
  return [messages, touches] as const;
}

function sameConversion(a: ConversionRow, b: ConversionRow): boolean {
  return (
    a.kind === b.kind &&
    a.messageId === b.messageId &&
    a.flowId === b.flowId &&
    a.stepId === b.stepId &&
    a.variant === b.variant &&
    a.channel === b.channel &&
    a.touchAt.getTime() === b.touchAt.getTime() &&
    toCents(a.revenue) === toCents(b.revenue) &&
    a.at.getTime() === b.at.getTime()
  );
}

/**
 * After a new touch of a customer (reliable click, or open when the shop counts them) at
 * `at`: the orders it may now be credited with are the customer's orders processed in
 * [at, at + the longest window] that were attributed before the touch was recorded (the
 * order's webhook overtook the click). Each is recomputed in its own transaction, after
 * the touch's transaction committed (see recordEngagement for why that is race-free).
 */
export async function reattributeCustomerOrders(
  run: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>,
  shopId: string,
  customerId: string,
  at: Date,
  settings: AttributionSettings,
): Promise<number> {
  const until = new Date(at.getTime() + maxWindowDays(settings) * DAY_MS);
  const orderIds = await run((tx) => customerOrdersBetween(rawQueryOf(tx), shopId, customerId, at, until));
  for (const orderId of orderIds) await run((tx) => attributeOrder(tx, shopId, orderId));
  return orderIds.length;
}

/**
 * Recomputes the attribution of every order of the shop in a few set-based statements
 * (after the shop's windows or open setting changed): the same result as attributeOrder
 * on each order, with the rollups moved by the same differences. Holds the shop's
 * attribution lock exclusively, so no single order's attribution interleaves.
 */
export async function reattributeShop(shopId: string): Promise<{ attributed: number; changed: number }> {
  return database().transaction(async (q) => {
    await lockShopAttribution(q, shopId, "exclusive");
    return rewriteShopAttribution(q, shopId);
  });
}
