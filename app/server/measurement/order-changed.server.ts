// Everything measurement derives from an order, re-derived whenever the order (or a
// refund of it) changes, in the transaction that changed it. Each step is idempotent:
// it compares with what it derived last time and moves the rollups by the difference.
import type { Tx } from "../profiles/identity.server";
import { attributeOrder } from "./attribution.server";
import { updateExposures } from "./exposures.server";

export interface ChangedOrder {
  shopId: string;
  /** Order.id */
  orderId: string;
}

/** Called by the order and refund handlers after their writes (same transaction). */
export async function onOrderChanged(tx: Tx, order: ChangedOrder): Promise<void> {
  // Flow-entry outcomes first: they lock the customer's enrollment rows, which must be
  // locked before any rollup row (the runner holds enrollments, then moves rollups).
  await updateExposures(tx, order.shopId, order.orderId);
  await attributeOrder(tx, order.shopId, order.orderId);
}
