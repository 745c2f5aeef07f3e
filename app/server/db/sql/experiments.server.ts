import type { RawQuery } from "./clients.server";

// Experiment rows as the daily evaluation claims and measures them.

export interface DueExperiment {
  id: string;
  shopId: string;
  flowId: string;
  flowVersionId: string;
  stepId: string;
  controlKey: string;
  metric: string;
  minSample: number;
  minProbability: number;
  minDays: number;
  maxDays: number;
  startedAt: Date;
  /** The flow's active version now (the experiment is void when it is another). */
  activeVersionId: string | null;
  flowKey: string;
}

/** The time zones of shops with a running experiment: "today" is per zone. */
export async function experimentTimeZones(q: RawQuery): Promise<string[]> {
  const rows = await q<{ timezone: string }>(
    `SELECT DISTINCT s.timezone FROM "Experiment" e JOIN "Shop" s ON s.id = e."shopId" WHERE e.status = 'running'`,
  );
  return rows.map((r) => r.timezone);
}

/**
 * Claims one running experiment of a shop in this time zone not yet evaluated on
 * `today` (the zone's local day), locking its row and its flow's until the caller's
 * transaction ends. SKIP LOCKED: a second worker passes over a row being evaluated,
 * and once that commits (evaluatedOn = today) the row no longer qualifies, also for a
 * worker whose scan saw it before (PostgreSQL re-checks the condition on the row it
 * locks). So a day is evaluated once. The flow's row is taken in the same statement
 * (as lockFlowRow takes it): a winner's new version never waits for a merchant's edit
 * of the same flow while holding the experiment that edit ends, which would deadlock;
 * a flow being edited is passed over and its experiment evaluated on the next pass.
 */
export async function claimDueExperiment(q: RawQuery, timeZone: string, today: Date): Promise<DueExperiment | null> {
  const rows = await q<DueExperiment>(
    `SELECT e.id, e."shopId", e."flowId", e."flowVersionId", e."stepId", e."controlKey", e.metric, e."minSample",
            e."minProbability", e."minDays", e."maxDays", e."startedAt", f."activeVersionId", f.key AS "flowKey"
     FROM "Experiment" e JOIN "Shop" s ON s.id = e."shopId" JOIN "Flow" f ON f.id = e."flowId"
     WHERE s.timezone = $1 AND e.status = 'running' AND (e."evaluatedOn" IS NULL OR e."evaluatedOn" < $2::date)
     ORDER BY e."evaluatedOn" NULLS FIRST, e.id
     LIMIT 1
     FOR NO KEY UPDATE OF e, f SKIP LOCKED`,
    [timeZone, isoDay(today)],
  );
  const r = rows[0];
  return r
    ? {
        ...r,
        startedAt: new Date(r.startedAt),
        minSample: Number(r.minSample),
        minProbability: Number(r.minProbability),
        minDays: Number(r.minDays),
        maxDays: Number(r.maxDays),
      }
    : null;
}

export interface VariantRollup {
  stepId: string;
  variant: string;
  sent: number;
  clicked: number;
  attributedOrders: number;
  attributedRevenue: number;
  attributedRevenueSq: number;
}

/** FlowDaily figures of these steps and variants from `since` (a shop-local day) on, summed per step and variant. */
export async function variantRollups(
  q: RawQuery,
  s: { shopId: string; flowId: string; stepIds: string[]; variants: string[]; since: Date },
): Promise<VariantRollup[]> {
  const rows = await q<Record<keyof VariantRollup, string | number>>(
    `SELECT "stepId", variant, SUM(sent)::bigint AS sent, SUM(clicked)::bigint AS clicked,
            SUM("attributedOrders")::bigint AS "attributedOrders", SUM("attributedRevenue") AS "attributedRevenue",
            SUM("attributedRevenueSq") AS "attributedRevenueSq"
     FROM "FlowDaily"
     WHERE "shopId" = $1 AND "flowId" = $2 AND "stepId" = ANY($3::text[]) AND variant = ANY($4::text[]) AND day >= $5::date
     GROUP BY "stepId", variant`,
    [s.shopId, s.flowId, s.stepIds, s.variants, isoDay(s.since)],
  );
  return rows.map((r) => ({
    stepId: String(r.stepId),
    variant: String(r.variant),
    sent: Number(r.sent),
    clicked: Number(r.clicked),
    attributedOrders: Number(r.attributedOrders),
    attributedRevenue: Number(r.attributedRevenue),
    attributedRevenueSq: Number(r.attributedRevenueSq),
  }));
}

/** A shop-local day (UTC midnight, see shopDay) as a DATE literal. */
function isoDay(day: Date): string {
  return day.toISOString().slice(0, 10);
}

export interface VersionWithoutExperiments {
  shopId: string;
  flowId: string;
  versionId: string;
  definition: unknown;
}

/**
 * Active versions with an A/B test (a send with variants, or an ab_split) and no
 * Experiment row: written before experiments existed, or by something that stored the
 * version directly (a seed). The evaluation starts their experiments.
 */
export function activeVersionsWithoutExperiments(q: RawQuery, limit: number): Promise<VersionWithoutExperiments[]> {
  return q<VersionWithoutExperiments>(
    `SELECT f."shopId", f.id AS "flowId", v.id AS "versionId", v.definition
     FROM "Flow" f JOIN "FlowVersion" v ON v.id = f."activeVersionId"
     WHERE jsonb_path_exists(v.definition, '$.steps[*] ? (@.type == "ab_split" || exists (@.variants))')
       AND NOT EXISTS (SELECT 1 FROM "Experiment" e WHERE e."flowId" = f.id AND e."flowVersionId" = v.id)
     LIMIT $1`,
    [limit],
  );
}
