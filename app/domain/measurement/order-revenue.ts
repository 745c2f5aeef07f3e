/** What an order is worth to the measurement: the amounts as numbers (Decimal columns converted by the caller). */
export interface OrderAmounts {
  subtotalPrice: number | null;
  totalPrice: number;
  refundedAmount: number;
  cancelledAt: Date | null;
}

/**
 * Net revenue of an order: the subtotal (after discounts, before shipping and tax), or
 * the total when Shopify sent no subtotal, minus refunds, floored at 0; 0 once the order
 * is cancelled. Rounded to cents.
 */
export function netRevenue({ subtotalPrice, totalPrice, refundedAmount, cancelledAt }: OrderAmounts): number {
  if (cancelledAt) return 0;
  return Math.round(Math.max(0, (subtotalPrice ?? totalPrice) - refundedAmount) * 100) / 100;
}
