import type { RawQuery } from "./clients.server";
import { advisoryXactLock } from "./conversions.server";

// OrderRefund rows (by Shopify's refund id, so refunds/create and an order's own refunds
// list write the same row) and the order's refundedAmount, their sum.

// First key of the advisory locks serializing one Shopify order's handlers ("ordr").
const SHOPIFY_ORDER = 0x6f726472;

/**
 * Serializes the handlers of one Shopify order (orders/*, refunds/create) until the end
 * of the transaction. A refund may arrive before its order: without this, a refund
 * committed while the order's first delivery is in flight is missed by both (the refund
 * finds no order; the order's sum does not see the refund). Taken before the order row
 * is written, by both, so neither holds the row while waiting for the other.
 */
export async function lockShopifyOrder(q: RawQuery, shopId: string, shopifyOrderId: bigint): Promise<void> {
  await advisoryXactLock(q, SHOPIFY_ORDER, `${shopId}:${shopifyOrderId}`);
}

export interface RefundRow {
  shopifyRefundId: bigint;
  /** Merchandise refunded, DECIMAL text. */
  amount: string;
  createdAt: Date;
}

/** Inserts the refunds, or rewrites them when seen before (the same refund always carries the same amount). */
export async function upsertRefunds(q: RawQuery, shopId: string, shopifyOrderId: bigint, refunds: RefundRow[]): Promise<void> {
  if (refunds.length === 0) return;
  await q(
    `INSERT INTO "OrderRefund" (id, "shopId", "shopifyRefundId", "shopifyOrderId", amount, "createdAt")
     SELECT gen_random_uuid()::text, $1, r, $2::bigint, a, t
       FROM unnest($3::bigint[], $4::numeric[], $5::timestamp[]) AS x(r, a, t)
     ON CONFLICT ("shopId", "shopifyRefundId") DO UPDATE SET
       "shopifyOrderId" = EXCLUDED."shopifyOrderId", amount = EXCLUDED.amount, "createdAt" = EXCLUDED."createdAt"`,
    [
      shopId,
      shopifyOrderId.toString(),
      refunds.map((r) => r.shopifyRefundId.toString()),
      refunds.map((r) => r.amount),
      refunds.map((r) => r.createdAt.toISOString()),
    ],
  );
}

/**
 * Sets the order's refundedAmount to the sum of its refunds (index shopId,
 * shopifyOrderId); returns the order's id, or null while the order has not arrived.
 * Writes only when the sum changed.
 */
export async function applyRefunds(q: RawQuery, shopId: string, shopifyOrderId: bigint, at: Date): Promise<string | null> {
  const rows = await q<{ id: string }>(
    `WITH s AS (SELECT coalesce(sum(amount), 0) AS total FROM "OrderRefund" WHERE "shopId" = $1 AND "shopifyOrderId" = $2::bigint),
          o AS (SELECT id FROM "Order" WHERE "shopId" = $1 AND "shopifyOrderId" = $2::bigint),
          u AS (UPDATE "Order" SET "refundedAmount" = s.total, "updatedAt" = $3::timestamp FROM s
                 WHERE "shopId" = $1 AND "shopifyOrderId" = $2::bigint AND "refundedAmount" <> s.total)
     SELECT id FROM o`,
    [shopId, shopifyOrderId.toString(), at.toISOString()],
  );
  return rows[0]?.id ?? null;
}
