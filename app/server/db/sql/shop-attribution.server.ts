import { MESSAGE_LOOKBACK_EXTRA_DAYS } from "~/domain/measurement/attribution";
import type { RawQuery } from "./clients.server";

// Last-touch attribution of every order of a shop at once, in SQL: the rules of
// app/domain/measurement/attribution.ts stated over sets (keep the two equal;
// tests/measurement/attribution-shop.db.test.ts compares them on a randomized shop).
// Used when a shop's attribution settings change, and by the reports benchmark.

/**
 * The last message of a channel a customer was sent, as one value that max() can find:
 * an array whose order is the tie rule's (sentAt, then the id byte-wise, under COLLATE
 * "C"), carrying what a Conversion row needs. sentAt is written fixed-width so the text
 * order is the time order, and in ISO form so it reads back exactly as a timestamp.
 */
const LAST_SENT = (m: string, channel: string) =>
  `CASE WHEN ${m}.channel = '${channel}' THEN ARRAY[to_char(${m}."sentAt", 'YYYY-MM-DD"T"HH24:MI:SS.US'), ${m}.id, ${m}.channel, ${m}."flowId", ${m}."stepId", ${m}.variant] END`;

/**
 * One row per order with a touch or an influence: the order, its net revenue and the
 * message it is credited to. Parameters: $1 shop id, $2 MESSAGE_LOOKBACK_EXTRA_DAYS.
 * Touches are found from the shop's reliable clicks (and opens, when counted) joined to
 * their messages, then to the customer's orders they precede within the window: the
 * join grows with touches per customer, not messages per customer. An order without a
 * touch takes the last email and the last SMS sent before it from one sort of each
 * customer's sends and orders in time order (a running max over the timeline), not from
 * two index reads per order: at a large shop's size those reads are random I/O over the
 * Message table and cost several times the sort (docs/benchmarks.md, reports).
 */
export const SHOP_ATTRIBUTION_SQL = `
WITH s AS (
  SELECT "attributionEmailDays" AS email_days, "attributionSmsDays" AS sms_days, "attributeOpens" AS opens FROM "Shop" WHERE id = $1
), o AS (
  SELECT o.id, o."customerId", o."processedAt",
         GREATEST(COALESCE(o."subtotalPrice", o."totalPrice") - o."refundedAmount", 0) AS revenue
    FROM "Order" o WHERE o."shopId" = $1 AND o."customerId" IS NOT NULL AND o."cancelledAt" IS NULL
), t AS (
  SELECT m.id, m."customerId", m."flowId", m."stepId", m.variant, m.channel, m."sentAt",
         (CASE WHEN m.channel = 'sms' THEN s.sms_days ELSE s.email_days END) * interval '1 day' AS win,
         e."occurredAt" AS at, CASE WHEN e.type = 'clicked' THEN 'click' ELSE 'open' END AS kind
    FROM "MessageEvent" e JOIN "Message" m ON m.id = e."messageId" CROSS JOIN s
   WHERE e."shopId" = $1 AND e.reliable AND (e.type = 'clicked' OR (e.type = 'opened' AND s.opens))
     AND m."shopId" = $1 AND m."customerId" IS NOT NULL AND m.channel IN ('email', 'sms')
     AND m.purpose <> 'transactional' AND m."sentAt" IS NOT NULL
), touched AS (
  SELECT DISTINCT ON (o.id)
         o.id AS "orderId", t.id AS "messageId", t."flowId", t."stepId", t.variant, t.channel, t.kind, t.at AS "touchAt",
         o.revenue, o."processedAt" AS "at"
    FROM o JOIN t ON t."customerId" = o."customerId"
     AND t.at <= o."processedAt" AND t.at >= o."processedAt" - t.win
     AND t."sentAt" <= o."processedAt" AND t."sentAt" >= o."processedAt" - t.win - $2::int * interval '1 day'
   ORDER BY o.id, t.at DESC, (t.kind = 'click') DESC, t.id COLLATE "C" DESC
), timeline AS (
  -- Sends before orders at the same instant: a message sent at processedAt precedes the order.
  SELECT x."orderId", x.at, x.revenue,
         max(x.email COLLATE "C") OVER w AS last_email, max(x.sms COLLATE "C") OVER w AS last_sms
    FROM (
      SELECT m."customerId", m."sentAt" AS at, 0 AS is_order, NULL::text AS "orderId", NULL::numeric AS revenue,
             ${LAST_SENT("m", "email")} AS email, ${LAST_SENT("m", "sms")} AS sms
        FROM "Message" m
       WHERE m."shopId" = $1 AND m."customerId" IS NOT NULL AND m.channel IN ('email', 'sms')
         AND m.purpose <> 'transactional' AND m."sentAt" IS NOT NULL
      UNION ALL
      SELECT o."customerId", o."processedAt", 1, o.id, o.revenue, NULL, NULL FROM o
    ) x
  WINDOW w AS (PARTITION BY x."customerId" ORDER BY x.at, x.is_order ROWS UNBOUNDED PRECEDING)
), last_sent AS (
  -- The later of the two, each only within its own channel's window (an older one cannot be).
  SELECT l."orderId", l.at, l.revenue, GREATEST(
           CASE WHEN l.last_email[1]::timestamp >= l.at - s.email_days * interval '1 day' THEN l.last_email END COLLATE "C",
           CASE WHEN l.last_sms[1]::timestamp >= l.at - s.sms_days * interval '1 day' THEN l.last_sms END COLLATE "C") AS m
    FROM timeline l CROSS JOIN s
   WHERE l."orderId" IS NOT NULL
), influenced AS (
  SELECT l."orderId", l.m[2] AS "messageId", l.m[4] AS "flowId", l.m[5] AS "stepId", l.m[6] AS variant, l.m[3] AS channel,
         'influenced' AS kind, l.m[1]::timestamp AS "touchAt", l.revenue, l.at
    FROM last_sent l
   WHERE l.m IS NOT NULL AND NOT EXISTS (SELECT 1 FROM touched x WHERE x."orderId" = l."orderId")
)
SELECT * FROM touched UNION ALL SELECT * FROM influenced`;

/** The attribution figures of Conversion-shaped rows per FlowDaily row, days in the shop's zone. */
const figuresPerRow = (from: string, at: string) => `
  SELECT x."flowId", (x.${at} AT TIME ZONE 'UTC' AT TIME ZONE tz.timezone)::date AS day,
         COALESCE(x."stepId", '') AS "stepId", COALESCE(x.variant, '') AS variant, COALESCE(x.channel, '') AS channel,
         count(*) FILTER (WHERE x.kind <> 'influenced') AS ao,
         COALESCE(sum(x.revenue) FILTER (WHERE x.kind <> 'influenced'), 0) AS ar,
         COALESCE(sum(x.revenue * x.revenue) FILTER (WHERE x.kind <> 'influenced'), 0) AS asq,
         count(*) FILTER (WHERE x.kind = 'influenced') AS io,
         COALESCE(sum(x.revenue) FILTER (WHERE x.kind = 'influenced'), 0) AS ir
    FROM ${from} x CROSS JOIN tz
   WHERE x."flowId" IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5`;

/**
 * Recomputes the attribution of every order of the shop and rewrites what differs: the
 * FlowDaily attribution figures move by the difference between the old Conversion rows
 * and the new ones (as the per-order path moves them), then Conversion rows are deleted,
 * inserted or updated. Run inside a transaction that holds the shop's attribution lock
 * exclusively. Returns how many Conversion rows were written or deleted.
 */
export async function rewriteShopAttribution(q: RawQuery, shopId: string): Promise<{ attributed: number; changed: number }> {
  await q(`DROP TABLE IF EXISTS pg_temp.attribution_next`);
  await q(`CREATE TEMP TABLE attribution_next ON COMMIT DROP AS ${SHOP_ATTRIBUTION_SQL}`, [shopId, MESSAGE_LOOKBACK_EXTRA_DAYS]);

  await q(
    `WITH tz AS (SELECT timezone FROM "Shop" WHERE id = $1),
     old AS (${figuresPerRow(`(SELECT * FROM "Conversion" WHERE "shopId" = $1)`, `"at"`)}),
     new AS (${figuresPerRow("attribution_next", `"at"`)}),
     diff AS (
       SELECT "flowId", day, "stepId", variant, channel,
              COALESCE(n.ao, 0) - COALESCE(o.ao, 0) AS ao, COALESCE(n.ar, 0) - COALESCE(o.ar, 0) AS ar,
              COALESCE(n.asq, 0) - COALESCE(o.asq, 0) AS asq, COALESCE(n.io, 0) - COALESCE(o.io, 0) AS io,
              COALESCE(n.ir, 0) - COALESCE(o.ir, 0) AS ir
         FROM new n FULL JOIN old o USING ("flowId", day, "stepId", variant, channel)
     )
     INSERT INTO "FlowDaily" ("shopId", "flowId", day, "stepId", variant, channel, cohort,
                              "attributedOrders", "attributedRevenue", "attributedRevenueSq", "influencedOrders", "influencedRevenue")
     SELECT $1, "flowId", day, "stepId", variant, channel, '', ao, ar, asq, io, ir FROM diff
      WHERE ao <> 0 OR ar <> 0 OR asq <> 0 OR io <> 0 OR ir <> 0
      ORDER BY "flowId", day, "stepId", variant, channel
     ON CONFLICT ("shopId", "flowId", day, "stepId", variant, channel, cohort) DO UPDATE SET
       "attributedOrders" = "FlowDaily"."attributedOrders" + EXCLUDED."attributedOrders",
       "attributedRevenue" = "FlowDaily"."attributedRevenue" + EXCLUDED."attributedRevenue",
       "attributedRevenueSq" = "FlowDaily"."attributedRevenueSq" + EXCLUDED."attributedRevenueSq",
       "influencedOrders" = "FlowDaily"."influencedOrders" + EXCLUDED."influencedOrders",
       "influencedRevenue" = "FlowDaily"."influencedRevenue" + EXCLUDED."influencedRevenue"`,
    [shopId],
  );

  // The shop's exclusive attribution lock keeps this true until commit: no order's attribution interleaves.
  const [before] = await q<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM "Conversion" WHERE "shopId" = $1) AS any`, [shopId]);
  const columns = `"shopId", "orderId", "messageId", "flowId", "stepId", variant, channel, kind, "touchAt", revenue, "at"`;
  // In the key's order: the (shopId, orderId) primary key and the order foreign key's reads move forward, not at random.
  const rows = `SELECT $1, n."orderId", n."messageId", n."flowId", n."stepId", n.variant, n.channel, n.kind, n."touchAt", n.revenue, n."at"
         FROM attribution_next n ORDER BY n."orderId"`;
  if (!before?.any) {
    // A first attribution (a new shop, or all its conversions gone): nothing to delete or update.
    const written = await q<{ n: number }>(
      `WITH w AS (INSERT INTO "Conversion" (${columns}) ${rows} RETURNING 1) SELECT count(*)::int AS n FROM w`,
      [shopId],
    );
    const n = Number(written[0]?.n ?? 0);
    return { attributed: n, changed: n };
  }
  const deleted = await q<{ n: number }>(
    `WITH d AS (
       DELETE FROM "Conversion" c WHERE c."shopId" = $1 AND NOT EXISTS (SELECT 1 FROM attribution_next n WHERE n."orderId" = c."orderId")
       RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [shopId],
  );
  const written = await q<{ n: number }>(
    `WITH w AS (
       INSERT INTO "Conversion" (${columns})
       ${rows}
       ON CONFLICT ("shopId", "orderId") DO UPDATE SET
         "messageId" = EXCLUDED."messageId", "flowId" = EXCLUDED."flowId", "stepId" = EXCLUDED."stepId", variant = EXCLUDED.variant,
         channel = EXCLUDED.channel, kind = EXCLUDED.kind, "touchAt" = EXCLUDED."touchAt", revenue = EXCLUDED.revenue, "at" = EXCLUDED."at"
       WHERE ("Conversion"."messageId", "Conversion"."flowId", "Conversion"."stepId", "Conversion".variant, "Conversion".channel,
              "Conversion".kind, "Conversion"."touchAt", "Conversion".revenue, "Conversion"."at")
             IS DISTINCT FROM
             (EXCLUDED."messageId", EXCLUDED."flowId", EXCLUDED."stepId", EXCLUDED.variant, EXCLUDED.channel,
              EXCLUDED.kind, EXCLUDED."touchAt", EXCLUDED.revenue, EXCLUDED."at")
       RETURNING 1)
     SELECT count(*)::int AS n FROM w`,
    [shopId],
  );
  const [total] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM attribution_next`);
  return { attributed: Number(total?.n ?? 0), changed: Number(deleted[0]?.n ?? 0) + Number(written[0]?.n ?? 0) };
}
