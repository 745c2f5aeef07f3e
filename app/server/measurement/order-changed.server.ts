// Everything measurement derives from an order, re-derived whenever the order (or a
// refund of it) changes, in the transaction that changed it. Each step is idempotent:
// it compares with what it derived last time and moves the rollups by the difference.
import type { Tx } from "../profiles/identity.server";
import { attributeOrder } from "./attribution.server";

export interface ChangedOrder {
  shopId: string;
  /** Order.id */
  orderId: string;
}

/** Called by the order and refund handlers after their writes (same transaction). */
export async function onOrderChanged(tx: Tx, order: ChangedOrder): Promise<void> {
  await attributeOrder(tx, order.shopId, order.orderId);
  // Filled by: flow-entry outcomes (exposures.server.ts).
}
