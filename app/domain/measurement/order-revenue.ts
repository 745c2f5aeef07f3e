// What an order earned, as every measurement counts it (attribution, flow outcomes,
// reports). Money is summed in integer cents: 0.1 + 0.2 must not become 0.30000000000000004
// on its way into a DECIMAL column, and revenue² (for variances) must be exact.

/** A money amount as the database or a payload hands it over: Prisma's Decimal, its text, or a number. */
export type MoneyValue = { toString(): string } | string | number;

export interface OrderAmounts {
  /** After discounts, before shipping and tax; null when Shopify did not send it. */
  subtotalPrice: MoneyValue | null;
  totalPrice: MoneyValue;
  /** Sum of the order's refunds (merchandise refunded). */
  refundedAmount: MoneyValue | null;
  cancelledAt: Date | null;
}

const DECIMAL = /^(-)?(\d*)(?:\.(\d*))?$/;

/** An amount in whole cents, rounded half away from zero past the second decimal. */
export function toCents(value: MoneyValue): number {
  if (typeof value === "number") return Math.round(value * 100);
  const text = value.toString().trim();
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  const fraction = (m[3] ?? "").padEnd(3, "0");
  const cents = Number(m[2] || "0") * 100 + Number(fraction.slice(0, 2)) + (Number(fraction[2]) >= 5 ? 1 : 0);
  return m[1] ? -cents : cents;
}

/**
 * Net revenue of an order in cents: (subtotal, else total) minus refunds, never below
 * zero; zero once cancelled. The subtotal is Shopify's subtotal_price: after discounts,
 * before shipping and tax ("net of discounts"); refunds count their merchandise only
 * (see the refunds handler), so the two are on the same footing.
 */
export function netRevenueCents(o: OrderAmounts): number {
  if (o.cancelledAt) return 0;
  const gross = toCents(o.subtotalPrice ?? o.totalPrice);
  const refunded = o.refundedAmount == null ? 0 : toCents(o.refundedAmount);
  return Math.max(gross - refunded, 0);
}

/** Net revenue in the shop's currency (two decimals). */
export function netRevenue(o: OrderAmounts): number {
  return netRevenueCents(o) / 100;
}
