// Flow-entry outcomes, the holdout analysis's raw material: an order counts for every
// entry of its customer (any flow, any status, treated or held out) whose measurement
// window holds it, enteredAt <= processedAt < enteredAt + the flow's measurementDays.
//
// Re-derived whenever the order changes (created, edited, refunded, cancelled, delivered
// twice): the entries it counts for now are compared with the ExposureConversion rows
// written last time, and only the difference is written, to those rows, to the entries'
// sums (outcomeOrders, outcomeRevenue) and to FlowDaily at (flow, ENTRY day, step '',
// the entry's cohort): converted moves when an entry's order count crosses zero,
// outcomeRevenueSq by r'^2 - r^2 of the entry's sum. So an unchanged order moves nothing.
// A cancelled order is no sale: it counts for no entry (its rows go when it is
// cancelled); a refund lowers its revenue (netRevenue), a full refund to 0, but the
// customer did buy, so the order still counts.
//
// Timing: an order placed before an entry never counts for it, so entering needs no
// look back. An order that arrives late (its webhook delayed past the entry) is counted
// when it arrives, by this same path: the window is read from processedAt, not from when
// we learn of the order. A change of a flow's measurementDays applies to orders processed
// (or changed) after it; entries already counted keep what they have.
import { netRevenue } from "~/domain/measurement/order-revenue";
import { shopDay } from "~/domain/measurement/shop-day";
import {
  entriesAroundOrder,
  loadOrderExposures,
  lockEntryOutcomes,
  lockOrderAmounts,
  writeExposureChanges,
  type ExposureChange,
} from "../db/sql/exposures.server";
import type { Tx } from "../profiles/identity.server";
import { cohortOf } from "./flow-figures.server";
import { RollupBuffer } from "./rollup-buffer.server";

// Money in whole cents while it is summed, so sums and squares stay exact.
const cents = (text: string) => Math.round(Number(text) * 100);
const money = (c: number) => (c / 100).toFixed(2);

/**
 * Brings the order's entry outcomes up to date, in the caller's transaction. Locks, in
 * this order: the order row, then the entries whose figures change (by id), then the
 * rollup rows: the same order as every other writer of those rows, so two workers
 * processing two orders of one customer wait for each other and never deadlock.
 */
export async function updateExposures(tx: Tx, shopId: string, orderId: string): Promise<void> {
  const order = await lockOrderAmounts(tx, shopId, orderId);
  if (!order) return;
  const before = new Map((await loadOrderExposures(tx, shopId, orderId)).map((r) => [r.enrollmentId, cents(r.revenue)]));
  const revenue = Math.round(
    netRevenue({
      subtotalPrice: order.subtotalPrice === null ? null : Number(order.subtotalPrice),
      totalPrice: Number(order.totalPrice),
      refundedAmount: Number(order.refundedAmount),
      cancelledAt: order.cancelledAt,
    }) * 100,
  );
  // An order without a customer (a guest order no profile claims, or one an erasure
  // unlinked) keeps the entries it counted for: who placed it can no longer be read
  // again, and the counts outlive the person. Only its revenue still follows the order.
  const entries = order.cancelledAt ? [] : order.customerId ? await entriesAroundOrder(tx, shopId, orderId) : [...before.keys()];
  const after = new Map(entries.map((id) => [id, revenue]));
  const touched = [...new Set([...before.keys(), ...after.keys()])].filter((id) => before.get(id) !== after.get(id)).sort();
  if (touched.length === 0) return;

  const rollups = new RollupBuffer();
  const changes: ExposureChange[] = [];
  for (const e of await lockEntryOutcomes(tx, shopId, touched)) {
    const was = before.get(e.id);
    const now = after.get(e.id);
    const orders0 = Number(e.outcomeOrders);
    const revenue0 = cents(e.outcomeRevenue);
    const orders1 = orders0 + (now === undefined ? 0 : 1) - (was === undefined ? 0 : 1);
    const revenue1 = revenue0 + (now ?? 0) - (was ?? 0);
    changes.push({
      enrollmentId: e.id,
      flowId: e.flowId,
      revenue: now === undefined ? null : money(now),
      outcomeOrders: orders1,
      outcomeRevenue: money(revenue1),
    });
    rollups.addDaily(
      { shopId, flowId: e.flowId, day: shopDay(e.enteredAt, e.timezone), cohort: cohortOf(e.holdout) },
      {
        converted: (orders1 > 0 ? 1 : 0) - (orders0 > 0 ? 1 : 0),
        outcomeRevenue: (revenue1 - revenue0) / 100,
        outcomeRevenueSq: (revenue1 * revenue1 - revenue0 * revenue0) / 10_000,
      },
    );
  }
  if (changes.length === 0) return; // the entries are gone (their customer was deleted)
  await writeExposureChanges(tx, shopId, orderId, changes);
  await rollups.flush(tx);
}
