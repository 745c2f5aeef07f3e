// The report rollups recomputed from the raw rows by plain SQL aggregates, written
// independently of the code that maintains them (app/server/measurement/flow-figures.server.ts
// says what each figure means). The shop-local day is PostgreSQL's own time zone
// conversion, not the app's shopDay.
import type { Database } from "~/server/db/client.server";

/** The FlowDaily figures the entry, outbox and holdout paths own. */
export interface OwnFigures {
  key: string;
  entered: number;
  sent: number;
  delivered: number;
  heldOut: number;
  converted: number;
  outcomeRevenue: number;
  outcomeRevenueSq: number;
}

const FIGURES = ["entered", "sent", "delivered", "heldOut", "converted", "outcomeRevenue", "outcomeRevenueSq"] as const;

type Row = Record<string, unknown>;

function toFigures(rows: Row[]): OwnFigures[] {
  return rows
    .map((r) => ({
      key: [r.flowId, r.day, r.stepId, r.variant, r.channel, r.cohort].join("|"),
      ...(Object.fromEntries(FIGURES.map((f) => [f, Number(r[f])])) as Omit<OwnFigures, "key">),
    }))
    .filter((r) => FIGURES.some((f) => r[f] !== 0))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

const LOCAL_DAY = (col: string) => `((${col} AT TIME ZONE 'UTC') AT TIME ZONE z.timezone)::date::text`;

/** FlowDaily's own figures as stored. */
export async function storedFigures(db: Database, shopId: string): Promise<OwnFigures[]> {
  const rows = await db.query<Row>(
    `SELECT "flowId", day::text AS day, "stepId", variant, channel, cohort, entered, sent, delivered, "heldOut", converted,
            "outcomeRevenue"::text AS "outcomeRevenue", "outcomeRevenueSq"::text AS "outcomeRevenueSq"
     FROM "FlowDaily" WHERE "shopId" = $1`,
    [shopId],
  );
  return toFigures(rows);
}

/**
 * The same figures from Enrollment, ExposureConversion, Message, MessageEvent and
 * Decision: entries by entry day and cohort with their outcome orders; flow messages
 * settled as sent by the day of sentAt (delivered unless a bounce came back); holdout
 * decisions on send steps by their day.
 */
export async function recountedFigures(db: Database, shopId: string): Promise<OwnFigures[]> {
  const rows = await db.query<Row>(
    `WITH z AS (SELECT id, timezone FROM "Shop" WHERE id = $1),
     entries AS (
       SELECT e."flowId", ${LOCAL_DAY(`e."enteredAt"`)} AS day, CASE WHEN e.holdout THEN 'holdout' ELSE 'treated' END AS cohort,
              (SELECT count(*) FROM "ExposureConversion" c WHERE c."shopId" = e."shopId" AND c."enrollmentId" = e.id) AS n,
              (SELECT COALESCE(sum(c.revenue), 0) FROM "ExposureConversion" c WHERE c."shopId" = e."shopId" AND c."enrollmentId" = e.id) AS r
       FROM "Enrollment" e JOIN z ON z.id = e."shopId"),
     fig AS (
       SELECT "flowId", day, '' AS "stepId", '' AS variant, '' AS channel, cohort, count(*) AS entered, 0 AS sent, 0 AS delivered,
              0 AS "heldOut", count(*) FILTER (WHERE n > 0) AS converted, sum(r) AS "outcomeRevenue", sum(r * r) AS "outcomeRevenueSq"
       FROM entries GROUP BY "flowId", day, cohort
       UNION ALL
       SELECT m."flowId", ${LOCAL_DAY(`m."sentAt"`)}, COALESCE(m."stepId", ''), COALESCE(m.variant, ''), m.channel, '', 0, count(*),
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM "MessageEvent" b
                                                 WHERE b."shopId" = m."shopId" AND b."messageId" = m.id AND b.type IN ('bounced', 'undelivered'))),
              0, 0, 0, 0
       FROM "Message" m JOIN z ON z.id = m."shopId"
       WHERE m."flowId" IS NOT NULL AND m.status = 'sent'
       GROUP BY 1, 2, 3, 4, 5
       UNION ALL
       SELECT d."flowId", ${LOCAL_DAY(`d.at`)}, d."stepId", COALESCE(d.details->>'variant', ''), COALESCE(d.details->>'channel', ''), '',
              0, 0, 0, count(*), 0, 0, 0
       FROM "Decision" d JOIN z ON z.id = d."shopId"
       WHERE d."flowId" IS NOT NULL AND d.outcome = 'holdout' AND d."stepId" IS NOT NULL
       GROUP BY 1, 2, 3, 4, 5)
     SELECT "flowId", day, "stepId", variant, channel, cohort, sum(entered) AS entered, sum(sent) AS sent, sum(delivered) AS delivered,
            sum("heldOut") AS "heldOut", sum(converted) AS converted, sum("outcomeRevenue")::text AS "outcomeRevenue",
            sum("outcomeRevenueSq")::text AS "outcomeRevenueSq"
     FROM fig GROUP BY 1, 2, 3, 4, 5, 6`,
    [shopId],
  );
  return toFigures(rows);
}

export interface ReasonCount {
  key: string;
  count: number;
}

export async function storedReasons(db: Database, shopId: string): Promise<ReasonCount[]> {
  const rows = await db.query<Row>(
    `SELECT "flowId", day::text AS day, "stepId", outcome, reason, count FROM "FlowReasonDaily" WHERE "shopId" = $1 AND count <> 0`,
    [shopId],
  );
  return reasons(rows);
}

/** One per Decision row written for a flow, by the shop-local day of the decision. */
export async function recountedReasons(db: Database, shopId: string): Promise<ReasonCount[]> {
  const rows = await db.query<Row>(
    `SELECT d."flowId", ((d.at AT TIME ZONE 'UTC') AT TIME ZONE z.timezone)::date::text AS day, COALESCE(d."stepId", '') AS "stepId",
            d.outcome, d.reason, count(*) AS count
     FROM "Decision" d JOIN "Shop" z ON z.id = d."shopId"
     WHERE d."shopId" = $1 AND d."flowId" IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5`,
    [shopId],
  );
  return reasons(rows);
}

function reasons(rows: Row[]): ReasonCount[] {
  return rows
    .map((r) => ({ key: [r.flowId, r.day, r.stepId, r.outcome, r.reason].join("|"), count: Number(r.count) }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

export interface Exposure {
  orderId: string;
  enrollmentId: string;
  revenue: number;
}

export async function storedExposures(db: Database, shopId: string): Promise<Exposure[]> {
  const rows = await db.query<Row>(
    `SELECT "orderId", "enrollmentId", revenue::text AS revenue FROM "ExposureConversion" WHERE "shopId" = $1`,
    [shopId],
  );
  return exposures(rows);
}

/**
 * Which entries each order counts for, by the rule (enteredAt <= processedAt <
 * enteredAt + the flow's measurementDays), with the order's net revenue: the subtotal
 * (else the total) minus refunds, at least 0. A cancelled order counts for none.
 */
export async function recountedExposures(db: Database, shopId: string): Promise<Exposure[]> {
  const rows = await db.query<Row>(
    `SELECT o.id AS "orderId", e.id AS "enrollmentId",
            GREATEST(0, COALESCE(o."subtotalPrice", o."totalPrice") - o."refundedAmount")::text AS revenue
     FROM "Order" o
     JOIN "Enrollment" e ON e."shopId" = o."shopId" AND e."customerId" = o."customerId"
     JOIN "Flow" f ON f.id = e."flowId"
     WHERE o."shopId" = $1 AND o."cancelledAt" IS NULL AND e."enteredAt" <= o."processedAt" AND o."processedAt" < e."enteredAt" + make_interval(days => f."measurementDays")`,
    [shopId],
  );
  return exposures(rows);
}

function exposures(rows: Row[]): Exposure[] {
  return rows
    .map((r) => ({ orderId: String(r.orderId), enrollmentId: String(r.enrollmentId), revenue: Number(r.revenue) }))
    .sort((a, b) => (a.orderId + a.enrollmentId < b.orderId + b.enrollmentId ? -1 : 1));
}

/** Enrollments whose kept sums differ from their ExposureConversion rows (none expected). */
export async function entrySumsOffBy(db: Database, shopId: string): Promise<Row[]> {
  return db.query<Row>(
    `SELECT e.id, e."outcomeOrders", e."outcomeRevenue"::text AS "outcomeRevenue", count(c."orderId")::int AS n,
            COALESCE(sum(c.revenue), 0)::text AS r
     FROM "Enrollment" e LEFT JOIN "ExposureConversion" c ON c."shopId" = e."shopId" AND c."enrollmentId" = e.id
     WHERE e."shopId" = $1
     GROUP BY e.id
     HAVING e."outcomeOrders" <> count(c."orderId") OR e."outcomeRevenue" <> COALESCE(sum(c.revenue), 0)`,
    [shopId],
  );
}
