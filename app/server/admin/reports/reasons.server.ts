// Non-sends and exits by reason, from the FlowReasonDaily rollup (the decisions a
// flow made, counted per day as they are written).
import type { ReportPeriod } from "~/domain/measurement/report-period";
import { db } from "../../db/client.server";

/** The outcomes a report breaks down, in the order it lists them; sends and entries are the funnel itself. */
export const REASON_OUTCOMES = ["skip", "defer", "holdout", "exit", "not_enrolled"] as const;
export type ReasonOutcome = (typeof REASON_OUTCOMES)[number];

export interface ReasonRow {
  outcome: ReasonOutcome;
  reason: string;
  count: number;
}

/** One flow's reasons, or the whole shop's when flowId is null. */
export async function loadReasons(shopId: string, flowId: string | null, period: ReportPeriod): Promise<ReasonRow[]> {
  const rows = await db().flowReasonDaily.groupBy({
    by: ["outcome", "reason"],
    where: {
      shopId,
      ...(flowId ? { flowId } : {}),
      outcome: { in: [...REASON_OUTCOMES] },
      day: { gte: period.from, lte: period.to },
    },
    _sum: { count: true },
  });
  return rows
    .map((r) => ({ outcome: r.outcome as ReasonOutcome, reason: r.reason, count: r._sum.count ?? 0 }))
    .filter((r) => r.count !== 0)
    .sort(
      (a, b) =>
        REASON_OUTCOMES.indexOf(a.outcome) - REASON_OUTCOMES.indexOf(b.outcome) || b.count - a.count || a.reason.localeCompare(b.reason),
    );
}

/** Totals per outcome (the flows page's counters: deferred and skipped apart). */
export function countByOutcome(rows: readonly ReasonRow[]): Record<ReasonOutcome, number> {
  const out = Object.fromEntries(REASON_OUTCOMES.map((o) => [o, 0])) as Record<ReasonOutcome, number>;
  for (const r of rows) out[r.outcome] += r.count;
  return out;
}
