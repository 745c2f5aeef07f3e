import { MESSAGE_LOOKBACK_EXTRA_DAYS } from "~/domain/measurement/attribution";
import type { RawQuery } from "./clients.server";

// Last-touch attribution of every order of a shop at once, in SQL: the rules of
// app/domain/measurement/attribution.ts stated over sets (keep the two equal;
// tests/measurement/attribution-shop.db.test.ts compares them on a randomized shop).
// Used when a shop's attribution settings change, and by the reports benchmark.

/**
 * One row per order with a touch or an influence: the order, its net revenue and the
 * message it is credited to. Parameters: $1 shop id, $2 MESSAGE_LOOKBACK_EXTRA_DAYS.
 * Touches are found from the shop's reliable clicks (and opens, when counted) joined to
 * their messages, then to the customer's orders they precede within the window: the
 * join grows with touches per customer, not messages per customer. An order without a
 * touch looks up the last message of each channel in its window through the index
 * (shopId, customerId, channel, sentAt): two short index reads per order.
 */
export const SHOP_ATTRIBUTION_SQL = `
WITH s AS (
  SELECT "attributionEmailDays" AS email_days, "attributionSmsDays" AS sms_days, "attributeOpens" AS opens FROM "Shop" WHERE id = $1
), o AS (
  SELECT o.id, o."customerId", o."processedAt",
         CASE WHEN o."cancelledAt" IS NOT NULL THEN 0::numeric
              ELSE GREATEST(COALESCE(o."subtotalPrice", o."totalPrice") - o."refundedAmount", 0) END AS revenue
    FROM "Order" o WHERE o."shopId" = $1 AND o."customerId" IS NOT NULL
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
), influenced AS (
  SELECT o.id AS "orderId", l.id AS "messageId", l."flowId", l."stepId", l.variant, l.channel, 'influenced' AS kind, l."sentAt" AS "touchAt",
         o.revenue, o."processedAt" AS "at"
    FROM o CROSS JOIN s
    CROSS JOIN LATERAL (
      SELECT * FROM (
        (SELECT m.id, m."flowId", m."stepId", m.variant, m.channel, m."sentAt" FROM "Message" m
          WHERE m."shopId" = $1 AND m."customerId" = o."customerId" AND m.channel = 'email' AND m.purpose <> 'transactional'
            AND m."sentAt" <= o."processedAt" AND m."sentAt" >= o."processedAt" - s.email_days * interval '1 day'
          ORDER BY m."sentAt" DESC, m.id COLLATE "C" DESC LIMIT 1)
        UNION ALL
        (SELECT m.id, m."flowId", m."stepId", m.variant, m.channel, m."sentAt" FROM "Message" m
          WHERE m."shopId" = $1 AND m."customerId" = o."customerId" AND m.channel = 'sms' AND m.purpose <> 'transactional'
            AND m."sentAt" <= o."processedAt" AND m."sentAt" >= o."processedAt" - s.sms_days * interval '1 day'
          ORDER BY m."sentAt" DESC, m.id COLLATE "C" DESC LIMIT 1)
      ) last_per_channel ORDER BY "sentAt" DESC, id COLLATE "C" DESC LIMIT 1
    ) l
   WHERE NOT EXISTS (SELECT 1 FROM touched x WHERE x."orderId" = o.id)
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

  const deleted = await q<{ n: number }>(
    `WITH d AS (
       DELETE FROM "Conversion" c WHERE c."shopId" = $1 AND NOT EXISTS (SELECT 1 FROM attribution_next n WHERE n."orderId" = c."orderId")
       RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [shopId],
  );
  const written = await q<{ n: number }>(
    `WITH w AS (
       INSERT INTO "Conversion" (id, "shopId", "orderId", "messageId", "flowId", "stepId", variant, channel, kind, "touchAt", revenue, "at")
       SELECT gen_random_uuid()::text, $1, n."orderId", n."messageId", n."flowId", n."stepId", n.variant, n.channel, n.kind, n."touchAt", n.revenue, n."at"
         FROM attribution_next n
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
