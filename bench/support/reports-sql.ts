// The reports benchmark's plain-SQL sides: the hand-written last-click attribution of a
// whole shop, and a flow report's figures computed with one aggregate over the raw rows
// (also what fills the rollups when the product has no rebuild of its own).
//
// Definitions (docs/benchmarks.md, design of issue 15):
// - an order's net revenue: (subtotal, else total) minus refunds, never below 0; a cancelled
//   order is no sale (never attributed);
// - the order goes to the customer's last reliable click (an open too when the shop counts
//   opens; at the same instant a click beats an open) within the message channel's window
//   before the order, on a marketing email or SMS sent at most window + 30 days before the
//   order (the product's bound on which messages carry touches); ties: the larger message
//   id in byte order. No touch: the last such message sent within its window "influenced"
//   the order. Else no conversion. Orders without a customer are never attributed.

/** Name of the table the hand-written query writes its result to. */
export const HAND_TABLE = "bench_hand_attribution";

const netRevenue = (o: string) =>
  `CASE WHEN ${o}."cancelledAt" IS NOT NULL THEN 0::numeric ELSE greatest(coalesce(${o}."subtotalPrice", ${o}."totalPrice") - ${o}."refundedAmount", 0) END`;

/**
 * One statement: last-click attribution of every order of shop $1, written to HAND_TABLE
 * (order_id, message_id, kind, touch_at, revenue). Touches are few (a click per 30
 * messages), so they are joined to the orders by customer and window; the "influenced"
 * message of an order without a touch is the customer's last send before it, found by
 * two backward range reads (email, SMS) of the product's (shopId, customerId, channel,
 * sentAt) index, the way one would write it by hand.
 */
export function handAttributionSql(variant: "lateral" | "timeline" = "lateral"): string {
  if (variant === "timeline") return timelineAttributionSql();
  return `
CREATE TABLE ${HAND_TABLE} AS
WITH shop AS (
  SELECT "attributionEmailDays" * interval '1 day' AS email_window, "attributionSmsDays" * interval '1 day' AS sms_window,
         "attributeOpens" AS opens
    FROM "Shop" WHERE id = $1
),
orders AS (
  SELECT o.id, o."customerId", o."processedAt", ${netRevenue("o")} AS revenue
    FROM "Order" o WHERE o."shopId" = $1 AND o."customerId" IS NOT NULL AND o."cancelledAt" IS NULL
),
touches AS (
  SELECT m."customerId", m.id AS message_id, m."sentAt", e."occurredAt" AS at,
         CASE e.type WHEN 'clicked' THEN 'click' ELSE 'open' END AS kind,
         CASE m.channel WHEN 'sms' THEN shop.sms_window ELSE shop.email_window END AS win
    FROM "MessageEvent" e JOIN "Message" m ON m.id = e."messageId" CROSS JOIN shop
   WHERE e."shopId" = $1 AND m."shopId" = $1 AND e.reliable AND (e.type = 'clicked' OR (e.type = 'opened' AND shop.opens))
     AND m.purpose <> 'transactional' AND m.channel IN ('email', 'sms') AND m."sentAt" IS NOT NULL
),
last_touch AS (
  SELECT DISTINCT ON (o.id) o.id AS order_id, t.message_id, t.kind, t.at
    FROM orders o JOIN touches t ON t."customerId" = o."customerId"
     AND t.at <= o."processedAt" AND t.at >= o."processedAt" - t.win
     AND t."sentAt" <= o."processedAt" AND t."sentAt" >= o."processedAt" - t.win - interval '30 days'
   ORDER BY o.id, t.at DESC, t.kind = 'click' DESC, t.message_id COLLATE "C" DESC
)
SELECT o.id AS order_id, coalesce(lt.message_id, ls.id) AS message_id, coalesce(lt.kind, 'influenced') AS kind,
       coalesce(lt.at, ls."sentAt") AS touch_at, o.revenue
  FROM orders o CROSS JOIN shop
  LEFT JOIN last_touch lt ON lt.order_id = o.id
  LEFT JOIN LATERAL (
    SELECT x.id, x."sentAt" FROM (
      (SELECT m.id, m."sentAt" FROM "Message" m
        WHERE m."shopId" = $1 AND m."customerId" = o."customerId" AND m.channel = 'email' AND m.purpose <> 'transactional'
          AND m."sentAt" <= o."processedAt" AND m."sentAt" >= o."processedAt" - shop.email_window
        ORDER BY m."sentAt" DESC, m.id COLLATE "C" DESC LIMIT 1)
      UNION ALL
      (SELECT m.id, m."sentAt" FROM "Message" m
        WHERE m."shopId" = $1 AND m."customerId" = o."customerId" AND m.channel = 'sms' AND m.purpose <> 'transactional'
          AND m."sentAt" <= o."processedAt" AND m."sentAt" >= o."processedAt" - shop.sms_window
        ORDER BY m."sentAt" DESC, m.id COLLATE "C" DESC LIMIT 1)
    ) x
    WHERE lt.order_id IS NULL
    ORDER BY x."sentAt" DESC, x.id COLLATE "C" DESC LIMIT 1
  ) ls ON true
 WHERE lt.order_id IS NOT NULL OR ls.id IS NOT NULL`;
}

/**
 * The same attribution with the "influenced" message found by one sort instead of index
 * reads: the customer's sends and orders in time order, each order carrying the last
 * email and the last SMS sent before it (key: sentAt then id, compared byte-wise).
 */
function timelineAttributionSql(): string {
  const key = (m: string) => `to_char(${m}."sentAt", 'YYYYMMDDHH24MISSMS') || ${m}.id`;
  return `
CREATE TABLE ${HAND_TABLE} AS
WITH shop AS (
  SELECT "attributionEmailDays" * interval '1 day' AS email_window, "attributionSmsDays" * interval '1 day' AS sms_window,
         "attributeOpens" AS opens
    FROM "Shop" WHERE id = $1
),
orders AS (
  SELECT o.id, o."customerId", o."processedAt", ${netRevenue("o")} AS revenue
    FROM "Order" o WHERE o."shopId" = $1 AND o."customerId" IS NOT NULL AND o."cancelledAt" IS NULL
),
sends AS (
  SELECT m.id, m."customerId", m."sentAt", m.channel FROM "Message" m
   WHERE m."shopId" = $1 AND m.purpose <> 'transactional' AND m.channel IN ('email', 'sms') AND m."sentAt" IS NOT NULL
),
touches AS (
  SELECT m."customerId", m.id AS message_id, m."sentAt", e."occurredAt" AS at,
         CASE e.type WHEN 'clicked' THEN 'click' ELSE 'open' END AS kind,
         CASE m.channel WHEN 'sms' THEN shop.sms_window ELSE shop.email_window END AS win
    FROM "MessageEvent" e JOIN sends m ON m.id = e."messageId" CROSS JOIN shop
   WHERE e."shopId" = $1 AND e.reliable AND (e.type = 'clicked' OR (e.type = 'opened' AND shop.opens))
),
last_touch AS (
  SELECT DISTINCT ON (o.id) o.id AS order_id, t.message_id, t.kind, t.at
    FROM orders o JOIN touches t ON t."customerId" = o."customerId"
     AND t.at <= o."processedAt" AND t.at >= o."processedAt" - t.win
     AND t."sentAt" <= o."processedAt" AND t."sentAt" >= o."processedAt" - t.win - interval '30 days'
   ORDER BY o.id, t.at DESC, t.kind = 'click' DESC, t.message_id COLLATE "C" DESC
),
timeline AS (
  SELECT x.order_id, x.at,
         max(x.email_key) OVER w AS last_email, max(x.sms_key) OVER w AS last_sms
    FROM (
      SELECT m."customerId", m."sentAt" AS at, 0 AS is_order, NULL::text AS order_id,
             CASE WHEN m.channel = 'email' THEN ${key("m")} END COLLATE "C" AS email_key,
             CASE WHEN m.channel = 'sms' THEN ${key("m")} END COLLATE "C" AS sms_key
        FROM sends m
      UNION ALL
      SELECT o."customerId", o."processedAt", 1, o.id, NULL, NULL FROM orders o
    ) x
  WINDOW w AS (PARTITION BY x."customerId" ORDER BY x.at, x.is_order ROWS UNBOUNDED PRECEDING)
),
last_sent AS (
  SELECT t.order_id, max(c.key) AS key
    FROM timeline t CROSS JOIN shop
   CROSS JOIN LATERAL (VALUES (t.last_email, shop.email_window), (t.last_sms, shop.sms_window)) AS c(key, win)
   WHERE t.order_id IS NOT NULL AND c.key IS NOT NULL
     AND to_timestamp(left(c.key, 17), 'YYYYMMDDHH24MISSMS')::timestamp >= t.at - c.win
   GROUP BY t.order_id
)
SELECT o.id AS order_id, coalesce(lt.message_id, substr(ls.key, 18)) AS message_id, coalesce(lt.kind, 'influenced') AS kind,
       coalesce(lt.at, to_timestamp(left(ls.key, 17), 'YYYYMMDDHH24MISSMS')::timestamp) AS touch_at, o.revenue
  FROM orders o
  LEFT JOIN last_touch lt ON lt.order_id = o.id
  LEFT JOIN last_sent ls ON ls.order_id = o.id AND lt.order_id IS NULL
 WHERE lt.order_id IS NOT NULL OR ls.key IS NOT NULL`;
}

/** Rows in one attribution and not the other, both ways: (order, message, kind, revenue). */
export function attributionDifferenceSql(): string {
  const ours = `SELECT "orderId" AS order_id, "messageId" AS message_id, kind, revenue FROM "Conversion" WHERE "shopId" = $1`;
  const hand = `SELECT order_id, message_id, kind, revenue FROM ${HAND_TABLE}`;
  return `
SELECT 'only_ours' AS side, count(*)::int AS n, (array_agg(d.order_id ORDER BY d.order_id))[1:5] AS sample FROM ((${ours}) EXCEPT (${hand})) d
UNION ALL
SELECT 'only_hand', count(*)::int, (array_agg(d.order_id ORDER BY d.order_id))[1:5] FROM ((${hand}) EXCEPT (${ours})) d`;
}

// --- flow figures from the raw rows --------------------------------------------------

const FIGURES = [
  "entered",
  "sent",
  "delivered",
  "clicked",
  "heldOut",
  "attributedOrders",
  "attributedRevenue",
  "attributedRevenueSq",
  "influencedOrders",
  "influencedRevenue",
  "converted",
  "outcomeRevenue",
  "outcomeRevenueSq",
] as const;
export type FigureName = (typeof FIGURES)[number];
export const FIGURE_NAMES: readonly FigureName[] = FIGURES;

interface FactKey {
  flow: string;
  at: string;
  step?: string;
  variant?: string;
  channel?: string;
  cohort?: string;
}

/** Where the facts come from: a flow ($2) and a period of instants [$3, $4), or everything. */
interface Scope {
  flowParam?: string;
  fromParam?: string;
  toParam?: string;
  /** The shop's IANA time zone, as a parameter or literal. */
  tz: string;
}

function fact(scope: Scope, key: FactKey, figures: Partial<Record<FigureName, string>>): string {
  const day = `((${key.at} AT TIME ZONE 'UTC') AT TIME ZONE ${scope.tz})::date`;
  const cols = FIGURES.map((f) => `${figures[f] ?? "0"}::numeric AS "${f}"`).join(", ");
  return `SELECT ${key.flow} AS "flowId", ${day} AS day, ${key.step ?? "''"} AS "stepId", ${key.variant ?? "''"} AS variant,
         ${key.channel ?? "''"} AS channel, ${key.cohort ?? "''"} AS cohort, ${cols}`;
}

function within(scope: Scope, flowCol: string, at: string): string {
  const parts = [];
  if (scope.flowParam) parts.push(`${flowCol} = ${scope.flowParam}`);
  else parts.push(`${flowCol} IS NOT NULL`);
  if (scope.fromParam) parts.push(`${at} >= ${scope.fromParam}`);
  if (scope.toParam) parts.push(`${at} < ${scope.toParam}`);
  return parts.join(" AND ");
}

/**
 * Every raw row's contribution to the FlowDaily figures, at its grain (flow, shop-local
 * day, step, variant, channel, cohort), as the product counts them:
 * - an entry: entered +1 on its entry day and cohort; converted when it had an order in
 *   its measurement window, outcome revenue and its square;
 * - a message sent: sent +1 and delivered +1 on the day of sentAt; a bounce takes
 *   delivered back on the same row;
 * - a message's first reliable click: clicked +1 on the click's day;
 * - a held-out send (holdout decision): heldOut +1 on its step, variant and channel;
 * - a conversion: attributed or influenced orders and revenue on the order's day.
 * Shop $1.
 */
export type FactSource = "entries" | "sends" | "bounces" | "clicks" | "heldOut" | "conversions";
const ALL_SOURCES: readonly FactSource[] = ["entries", "sends", "bounces", "clicks", "heldOut", "conversions"];

export function flowFactsSql(scope: Scope, sources: readonly FactSource[] = ALL_SOURCES): string {
  const branches: Record<FactSource, string> = {
    entries: `${fact(
      scope,
      { flow: `e."flowId"`, at: `e."enteredAt"`, cohort: `CASE WHEN e.holdout THEN 'holdout' ELSE 'treated' END` },
      {
        entered: "1",
        converted: `(e."outcomeOrders" > 0)::int`,
        outcomeRevenue: `e."outcomeRevenue"`,
        outcomeRevenueSq: `e."outcomeRevenue" * e."outcomeRevenue"`,
      },
    )}
     FROM "Enrollment" e WHERE e."shopId" = $1 AND ${within(scope, `e."flowId"`, `e."enteredAt"`)}`,
    sends: `${fact(
      scope,
      { flow: `m."flowId"`, at: `m."sentAt"`, step: `coalesce(m."stepId", '')`, variant: `coalesce(m.variant, '')`, channel: "m.channel" },
      { sent: "1", delivered: "1" },
    )}
     FROM "Message" m WHERE m."shopId" = $1 AND m.status = 'sent' AND m."sentAt" IS NOT NULL AND ${within(scope, `m."flowId"`, `m."sentAt"`)}`,
    bounces: `${fact(
      scope,
      { flow: `m."flowId"`, at: `m."sentAt"`, step: `coalesce(m."stepId", '')`, variant: `coalesce(m.variant, '')`, channel: "m.channel" },
      { delivered: "-1" },
    )}
     FROM "Message" m WHERE m."shopId" = $1 AND m.status = 'sent' AND m."sentAt" IS NOT NULL AND ${within(scope, `m."flowId"`, `m."sentAt"`)}
      AND EXISTS (SELECT 1 FROM "MessageEvent" b WHERE b."shopId" = $1 AND b."messageId" = m.id AND b.type = 'bounced')`,
    clicks: `${fact(
      scope,
      { flow: `m."flowId"`, at: "fc.at", step: `coalesce(m."stepId", '')`, variant: `coalesce(m.variant, '')`, channel: "m.channel" },
      { clicked: "1" },
    )}
     FROM (SELECT e."messageId", min(e."occurredAt") AS at FROM "MessageEvent" e
            WHERE e."shopId" = $1 AND e.type = 'clicked' AND e.reliable GROUP BY e."messageId") fc
     JOIN "Message" m ON m.id = fc."messageId"
    WHERE m."shopId" = $1 AND ${within(scope, `m."flowId"`, "fc.at")}`,
    heldOut: `${fact(
      scope,
      {
        flow: `d."flowId"`,
        at: "d.at",
        step: `d."stepId"`,
        variant: `coalesce(d.details ->> 'variant', '')`,
        channel: `coalesce(d.details ->> 'channel', '')`,
      },
      { heldOut: "1" },
    )}
     FROM "Decision" d WHERE d."shopId" = $1 AND d.outcome = 'holdout' AND d."stepId" IS NOT NULL AND ${within(scope, `d."flowId"`, "d.at")}`,
    conversions: `${fact(
      scope,
      {
        flow: `c."flowId"`,
        at: `c."at"`,
        step: `coalesce(c."stepId", '')`,
        variant: `coalesce(c.variant, '')`,
        channel: `coalesce(c.channel, '')`,
      },
      {
        attributedOrders: `(c.kind <> 'influenced')::int`,
        attributedRevenue: `CASE WHEN c.kind <> 'influenced' THEN c.revenue ELSE 0 END`,
        attributedRevenueSq: `CASE WHEN c.kind <> 'influenced' THEN c.revenue * c.revenue ELSE 0 END`,
        influencedOrders: `(c.kind = 'influenced')::int`,
        influencedRevenue: `CASE WHEN c.kind = 'influenced' THEN c.revenue ELSE 0 END`,
      },
    )}
     FROM "Conversion" c WHERE c."shopId" = $1 AND ${within(scope, `c."flowId"`, `c."at"`)}`,
  };
  return sources.map((x) => branches[x]).join("\n    UNION ALL\n");
}

const sums = FIGURES.map((f) => `sum("${f}") AS "${f}"`).join(", ");

/**
 * The rollups of shop $1 (time zone $2) filled from the raw rows, one statement each:
 * what the benchmark uses where the product has no rebuild of its own. Every figure but
 * attribution's, added to what is there: those reattributeShop wrote (its own path) stay.
 */
export function buildRollupsSql(): string[] {
  const scope: Scope = { tz: "$2::text" };
  const sources = ALL_SOURCES.filter((x) => x !== "conversions");
  const cols = FIGURES.map((f) => `"${f}"`).join(", ");
  return [
    `INSERT INTO "FlowDaily" ("shopId", "flowId", day, "stepId", variant, channel, cohort, ${cols})
     SELECT $1, "flowId", day, "stepId", variant, channel, cohort, ${sums}
       FROM (${flowFactsSql(scope, sources)}) f
      GROUP BY "flowId", day, "stepId", variant, channel, cohort
     ON CONFLICT ("shopId", "flowId", day, "stepId", variant, channel, cohort) DO UPDATE SET
       ${FIGURES.map((f) => `"${f}" = "FlowDaily"."${f}" + EXCLUDED."${f}"`).join(", ")}`,
    `INSERT INTO "FlowReasonDaily" ("shopId", "flowId", day, "stepId", outcome, reason, count)
     SELECT $1, d."flowId", ((d.at AT TIME ZONE 'UTC') AT TIME ZONE $2::text)::date AS day, coalesce(d."stepId", ''), d.outcome, d.reason, count(*)
       FROM "Decision" d WHERE d."shopId" = $1 AND d."flowId" IS NOT NULL
      GROUP BY 2, 3, 4, 5, 6`,
  ];
}

const ATTRIBUTION_FIGURES: readonly FigureName[] = [
  "attributedOrders",
  "attributedRevenue",
  "attributedRevenueSq",
  "influencedOrders",
  "influencedRevenue",
];

/**
 * FlowDaily rows of shop $1 (time zone $2) whose attribution figures differ from the sums
 * of the shop's Conversion rows: how many, and a few of them.
 */
export function attributionRollupDifferenceSql(): string {
  const grain = `"flowId", day, "stepId", variant, channel`;
  const agg = ATTRIBUTION_FIGURES.map((f) => `sum("${f}") AS "${f}"`).join(", ");
  const differs = ATTRIBUTION_FIGURES.map((f) => `coalesce(r."${f}", 0) <> coalesce(p."${f}", 0)`).join(" OR ");
  return `
WITH raw AS (SELECT ${grain}, ${agg} FROM (${flowFactsSql({ tz: "$2::text" }, ["conversions"])}) f GROUP BY ${grain}),
     rollup AS (SELECT ${grain}, ${agg} FROM "FlowDaily" WHERE "shopId" = $1 GROUP BY ${grain}),
     diff AS (SELECT ${grain}, r."attributedOrders" AS raw_orders, p."attributedOrders" AS rollup_orders
                FROM raw r FULL JOIN rollup p USING (${grain}) WHERE ${differs})
SELECT count(*)::int AS n, (array_agg(d."flowId" || ' ' || d.day || ' ' || d."stepId" || '/' || d.variant || '/' || d.channel
                                      || ': raw ' || coalesce(d.raw_orders, 0) || ' orders, rollup ' || coalesce(d.rollup_orders, 0)))[1:5] AS sample
  FROM diff d`;
}

/** The outcomes a flow report breaks down by reason. */
export const REASON_OUTCOMES = ["skip", "defer", "holdout", "exit", "not_enrolled"];

/**
 * One statement: a flow's report figures from the raw rows. Shop $1, flow $2, the
 * period's instants [$3, $4) (its first shop-local midnight to the one after its last
 * day), time zone $5, the last entry day whose measurement window has closed $6.
 * Rows: per day ('day'), per step × variant × channel ('cell'), per cohort over closed
 * entry days ('cohort'), and per decision outcome × reason ('reason': outcome in
 * "stepId", reason in variant, count in entered).
 */
export function rawFlowReportSql(): string {
  const scope: Scope = { flowParam: "$2", fromParam: "$3::timestamp", toParam: "$4::timestamp", tz: "$5::text" };
  const closed = `day <= $6::date`;
  const closedSums = ["entered", "converted", "outcomeRevenue", "outcomeRevenueSq"]
    .map((f) => `sum("${f}") FILTER (WHERE ${closed}) AS "closed_${f}"`)
    .join(", ");
  const none = ["entered", "converted", "outcomeRevenue", "outcomeRevenueSq"].map((f) => `NULL::numeric AS "closed_${f}"`).join(", ");
  return `
SELECT CASE WHEN GROUPING(day) = 0 THEN 'day' WHEN GROUPING(cohort) = 0 THEN 'cohort' ELSE 'cell' END AS kind,
       to_char(day, 'YYYY-MM-DD') AS day, "stepId", variant, channel, cohort, ${sums}, ${closedSums}
  FROM (${flowFactsSql(scope)}) f
 GROUP BY GROUPING SETS ((day), ("stepId", variant, channel), (cohort))
UNION ALL
SELECT 'reason', NULL, d.outcome, d.reason, NULL, NULL, count(*)::numeric, ${FIGURES.slice(1)
    .map(() => "NULL")
    .join(", ")}, ${none}
  FROM "Decision" d
 WHERE d."shopId" = $1 AND d."flowId" = $2 AND d.at >= $3::timestamp AND d.at < $4::timestamp
   AND d.outcome IN (${REASON_OUTCOMES.map((o) => `'${o}'`).join(", ")})
 GROUP BY d.outcome, d.reason`;
}
