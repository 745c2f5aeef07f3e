// The holdout comparison of a report: per flow, the entries of the period whose
// measurement window has closed, treated against held out, read from the entry rows
// of FlowDaily (step '', cohort treated | holdout, by entry day).
import { addDays, isoDay, type ReportPeriod } from "~/domain/measurement/report-period";
import { db } from "../../db/client.server";
import { cents, figuresOf, rate } from "./figures.server";
import { holdoutResult, type HoldoutReason, type HoldoutVerdict, type Interval } from "~/domain/stats";

export interface CohortSummary {
  /** Entries (customers entering the flow; one customer may enter twice). */
  n: number;
  /** Entries with an order within the measurement window. */
  conversions: number;
  conversionRate: number | null;
  /** Net revenue of those orders per entry. */
  revenuePerEntry: number | null;
}

export interface HoldoutView {
  measurementDays: number;
  /** Entry days compared: from the period's first day through the last day whose window has closed; null when none has. */
  from: string;
  through: string | null;
  treated: CohortSummary;
  holdout: CohortSummary;
  /** Treated minus held out: conversion rate (a fraction), revenue per entry, and that scaled to the treated entries. */
  conversionLift: Interval | null;
  revenuePerEntry: Interval | null;
  incrementalRevenue: Interval | null;
  /** The headline verdict: the incremental revenue's. The conversion line has its own. */
  verdict: HoldoutVerdict;
  reason: HoldoutReason;
  conversionVerdict: HoldoutVerdict;
  /** Treated entries per entry day (closed days only): the daily chart spreads the estimate by them. */
  treatedByDay: Record<string, number>;
}

interface FlowWindow {
  id: string;
  measurementDays: number;
}

/**
 * The last entry day whose window has closed: an entry of day d counts orders until
 * the end of day d + measurementDays at the latest (it may enter at 23:59), so every
 * entry of that day is closed once today > d + measurementDays (the design's rule).
 */
export const lastClosedDay = (today: Date, measurementDays: number): Date => addDays(today, -measurementDays - 1);

export async function loadHoldouts(
  shopId: string,
  flows: FlowWindow[],
  period: ReportPeriod,
  today: Date,
): Promise<Map<string, HoldoutView>> {
  const out = new Map<string, HoldoutView>();
  if (flows.length === 0) return out;
  const latest = flows.reduce(
    (d, f) => {
      const c = lastClosedDay(today, f.measurementDays);
      return c > d ? c : d;
    },
    lastClosedDay(today, flows[0]!.measurementDays),
  );
  const through = latest < period.to ? latest : period.to;
  const rows =
    through < period.from
      ? []
      : await db().flowDaily.groupBy({
          by: ["flowId", "cohort", "day"],
          where: {
            shopId,
            flowId: { in: flows.map((f) => f.id) },
            stepId: "",
            cohort: { in: ["treated", "holdout"] },
            day: { gte: period.from, lte: through },
          },
          _sum: { entered: true, converted: true, outcomeRevenue: true, outcomeRevenueSq: true },
        });
  for (const flow of flows) {
    const closed = lastClosedDay(today, flow.measurementDays);
    const last = closed < period.to ? closed : period.to;
    const sums = { treated: { n: 0, conversions: 0, sum: 0, sumSq: 0 }, holdout: { n: 0, conversions: 0, sum: 0, sumSq: 0 } };
    const treatedByDay: Record<string, number> = {};
    for (const r of rows) {
      if (r.flowId !== flow.id || r.day > last) continue;
      const f = figuresOf(r._sum);
      const s = sums[r.cohort as "treated" | "holdout"];
      s.n += f.entered;
      s.conversions += f.converted;
      s.sum += f.outcomeRevenue;
      s.sumSq += f.outcomeRevenueSq;
      if (r.cohort === "treated") treatedByDay[isoDay(r.day)] = (treatedByDay[isoDay(r.day)] ?? 0) + f.entered;
    }
    const any = last >= period.from;
    const result = any
      ? holdoutResult(
          {
            n: sums.treated.n,
            conversions: sums.treated.conversions,
            revenue: { n: sums.treated.n, sum: sums.treated.sum, sumSq: sums.treated.sumSq },
          },
          {
            n: sums.holdout.n,
            conversions: sums.holdout.conversions,
            revenue: { n: sums.holdout.n, sum: sums.holdout.sum, sumSq: sums.holdout.sumSq },
          },
        )
      : null;
    const summary = (s: (typeof sums)["treated"]): CohortSummary => ({
      n: s.n,
      conversions: s.conversions,
      conversionRate: rate(s.conversions, s.n),
      revenuePerEntry: s.n > 0 ? s.sum / s.n : null,
    });
    // An interval that is not finite (a group of fewer than 2 entries) is no interval: no numbers, only "too few".
    const finite = (i: Interval | undefined): Interval | null => (i && Number.isFinite(i.low) && Number.isFinite(i.high) ? i : null);
    const perEntry = finite(result?.incrementalRevenuePerEntry);
    out.set(flow.id, {
      measurementDays: flow.measurementDays,
      from: isoDay(period.from),
      through: any ? isoDay(last) : null,
      treated: summary(sums.treated),
      holdout: summary(sums.holdout),
      conversionLift: finite(result?.incrementalConversion),
      revenuePerEntry: perEntry,
      incrementalRevenue: perEntry && result ? roundInterval(result.incrementalRevenueTotal) : null,
      verdict: result?.verdict ?? "too_few",
      reason: result?.reason ?? "too_few_entries",
      conversionVerdict: result?.incrementalConversion.verdict ?? "too_few",
      treatedByDay,
    });
  }
  return out;
}

const roundInterval = (i: Interval): Interval => ({ estimate: cents(i.estimate), low: cents(i.low), high: cents(i.high) });
