import type { RefundPayload } from "~/domain/capture/shopify-payloads";
import { RefundPayload as RefundSchema } from "~/domain/capture/shopify-payloads";
import { toCents } from "~/domain/measurement/order-revenue";
import { rawQueryOf } from "../../db/sql/clients.server";
import { applyRefunds, lockShopifyOrder, upsertRefunds, type RefundRow } from "../../db/sql/refunds.server";
import { onOrderChanged } from "../../measurement/order-changed.server";
import type { Tx } from "../../profiles/identity.server";
import { parsePayload } from "./parse";
import type { TopicContext } from "./types";

// Refunds reduce an order's net revenue (app/domain/measurement/order-revenue.ts). A
// refund counts the merchandise it refunds: the sum of its lines' subtotals (after the
// lines' discounts, before tax), which is what the order's subtotal_price counts.
// Refunded shipping, duties, and amounts refunded without lines (order adjustments)
// are left out: they were never part of the revenue measured.

/** A refund as stored: its id, the merchandise refunded, when it was made. */
export function refundRow(r: Omit<RefundPayload, "order_id">, at: Date): RefundRow {
  const cents = r.refund_line_items.reduce((sum, l) => sum + toCents(l.subtotal ?? l.subtotal_set?.shop_money?.amount ?? 0), 0);
  return { shopifyRefundId: r.id, amount: (cents / 100).toFixed(2), createdAt: r.created_at ?? r.processed_at ?? at };
}

/**
 * Stores refunds of one Shopify order and brings the order's refundedAmount up to date.
 * Returns the order's id, or null when the order has not arrived yet: its refunds wait
 * in OrderRefund and are summed when it does. The caller holds lockShopifyOrder.
 */
export async function storeRefunds(tx: Tx, shopId: string, shopifyOrderId: bigint, refunds: RefundRow[], at: Date): Promise<string | null> {
  const q = rawQueryOf(tx);
  await upsertRefunds(q, shopId, shopifyOrderId, refunds);
  return applyRefunds(q, shopId, shopifyOrderId, at);
}

/** refunds/create: deduplicated by refund id, applied whichever of refund and order comes first. */
export async function handleRefund({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const r = parsePayload(RefundSchema, payload);
  await lockShopifyOrder(rawQueryOf(tx), shop.id, r.order_id);
  const orderId = await storeRefunds(tx, shop.id, r.order_id, [refundRow(r, at)], at);
  if (orderId) await onOrderChanged(tx, { shopId: shop.id, orderId });
}
