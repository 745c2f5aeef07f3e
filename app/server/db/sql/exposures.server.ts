import type { PrismaSql } from "./clients.server";

// Flow-entry outcomes: which enrollments an order counts for (ExposureConversion), and
// the sums kept on the enrollment (outcomeOrders, outcomeRevenue). Money travels as
// text, so no cent is lost on the way to a number.

export interface OrderAmountsRow {
  customerId: string | null;
  subtotalPrice: string | null;
  totalPrice: string;
  refundedAmount: string;
  cancelledAt: Date | null;
}

/**
 * The order's amounts, its row locked: two deliveries of the same order (orders/create
 * and orders/updated, a refund) compute its outcomes one after the other. The order
 * handler's own upsert already holds the lock; a refund handler may not.
 */
export async function lockOrderAmounts(sql: PrismaSql, shopId: string, orderId: string): Promise<OrderAmountsRow | null> {
  const rows = await sql.$queryRaw<OrderAmountsRow[]>`
    SELECT "customerId", "subtotalPrice"::text AS "subtotalPrice", "totalPrice"::text AS "totalPrice",
           "refundedAmount"::text AS "refundedAmount", "cancelledAt"
    FROM "Order" WHERE id = ${orderId} AND "shopId" = ${shopId}
    FOR UPDATE`;
  return rows[0] ?? null;
}

/** The entries this order counted for when it was last seen, with the revenue it added to each. */
export function loadOrderExposures(sql: PrismaSql, shopId: string, orderId: string): Promise<{ enrollmentId: string; revenue: string }[]> {
  return sql.$queryRaw<{ enrollmentId: string; revenue: string }[]>`
    SELECT "enrollmentId", revenue::text AS revenue FROM "ExposureConversion" WHERE "shopId" = ${shopId} AND "orderId" = ${orderId}`;
}

/**
 * The customer's entries (any flow, any status) whose measurement window holds the
 * order: enteredAt <= processedAt < enteredAt + the flow's measurementDays.
 */
export async function entriesAroundOrder(sql: PrismaSql, shopId: string, orderId: string): Promise<string[]> {
  const rows = await sql.$queryRaw<{ id: string }[]>`
    SELECT e.id FROM "Order" o
    JOIN "Enrollment" e ON e."shopId" = o."shopId" AND e."customerId" = o."customerId"
    JOIN "Flow" f ON f.id = e."flowId"
    WHERE o.id = ${orderId} AND o."shopId" = ${shopId}
      AND e."enteredAt" <= o."processedAt" AND o."processedAt" < e."enteredAt" + make_interval(days => f."measurementDays")`;
  return rows.map((r) => r.id);
}

export interface LockedEntry {
  id: string;
  flowId: string;
  enteredAt: Date;
  holdout: boolean;
  outcomeOrders: number;
  outcomeRevenue: string;
  timezone: string;
}

/**
 * Locks these enrollments in id order (every writer of their outcomes locks in this
 * order, so two orders of one customer met by two workers wait, never deadlock) and
 * returns their current outcome sums.
 */
export function lockEntryOutcomes(sql: PrismaSql, shopId: string, ids: string[]): Promise<LockedEntry[]> {
  return sql.$queryRaw<LockedEntry[]>`
    SELECT e.id, e."flowId", e."enteredAt", e.holdout, e."outcomeOrders", e."outcomeRevenue"::text AS "outcomeRevenue", s.timezone
    FROM "Enrollment" e JOIN "Shop" s ON s.id = e."shopId"
    WHERE e."shopId" = ${shopId} AND e.id = ANY(${ids}::text[])
    ORDER BY e.id
    FOR UPDATE OF e`;
}

export interface ExposureChange {
  enrollmentId: string;
  flowId: string;
  /** The order's revenue for this entry now; null: the order no longer counts for it. */
  revenue: string | null;
  outcomeOrders: number;
  outcomeRevenue: string;
}

/** Writes the order's changed exposures and the new sums of the entries they belong to. */
export async function writeExposureChanges(sql: PrismaSql, shopId: string, orderId: string, changes: ExposureChange[]): Promise<void> {
  const gone = changes.filter((c) => c.revenue === null).map((c) => c.enrollmentId);
  const kept = changes.filter((c): c is ExposureChange & { revenue: string } => c.revenue !== null);
  if (gone.length) {
    await sql.$executeRaw`
      DELETE FROM "ExposureConversion" WHERE "shopId" = ${shopId} AND "orderId" = ${orderId} AND "enrollmentId" = ANY(${gone}::text[])`;
  }
  if (kept.length) {
    await sql.$executeRaw`
      INSERT INTO "ExposureConversion" ("shopId", "orderId", "enrollmentId", "flowId", revenue)
      SELECT ${shopId}, ${orderId}, x.e, x.f, x.r::numeric
      FROM unnest(${kept.map((c) => c.enrollmentId)}::text[], ${kept.map((c) => c.flowId)}::text[], ${kept.map((c) => c.revenue)}::text[]) AS x(e, f, r)
      ON CONFLICT ("orderId", "enrollmentId") DO UPDATE SET revenue = EXCLUDED.revenue`;
  }
  await sql.$executeRaw`
    UPDATE "Enrollment" e SET "outcomeOrders" = x.o, "outcomeRevenue" = x.r::numeric
    FROM unnest(${changes.map((c) => c.enrollmentId)}::text[], ${changes.map((c) => c.outcomeOrders)}::int[],
                ${changes.map((c) => c.outcomeRevenue)}::text[]) AS x(id, o, r)
    WHERE e.id = x.id AND e."shopId" = ${shopId}`;
}
