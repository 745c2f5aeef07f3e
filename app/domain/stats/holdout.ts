// What a flow's always-on holdout says: treated entries against held-out entries, over
// entries whose measurement window has closed. See the design's "Holdout analysis".
import { diffOfMeansPooledHoldoutVariance } from "./means";
import { diffOfProportions } from "./proportions";
import type { Interval, SampleSums } from "./types";

export interface CohortFigures {
  /** Entries whose measurement window has closed. */
  n: number;
  /** Entries with at least one order in the window. */
  conversions: number;
  /** Sum and sum of squares of each entry's outcome revenue. Its n is not read: the entries are `n` above (most have revenue 0). */
  revenue: SampleSums;
}

export type HoldoutVerdict = "positive" | "negative" | "inconclusive" | "too_few";
/** A plain code the page turns into a sentence. */
export type HoldoutReason =
  "too_few_entries" | "too_few_conversions" | "interval_includes_zero" | "interval_above_zero" | "interval_below_zero";

export interface HoldoutMeasure {
  verdict: HoldoutVerdict;
  reason: HoldoutReason;
}

export interface CohortSummary {
  n: number;
  conversionRate: number;
  revenuePerEntry: number;
}

export interface HoldoutResult {
  treated: CohortSummary;
  holdout: CohortSummary;
  /** p_treated − p_holdout, Newcombe hybrid score interval. */
  incrementalConversion: Interval & HoldoutMeasure;
  /** mean_treated − mean_holdout: Welch's form with the holdout's variance pooled (see diffOfMeansPooledHoldoutVariance for why). */
  incrementalRevenuePerEntry: Interval & HoldoutMeasure;
  /** The per-entry figure and its interval × treated n: what the flow added over its treated entries. */
  incrementalRevenueTotal: Interval;
  confidence: number;
  /** The headline verdict, the incremental revenue's (what a merchant earned); the conversion line has its own. */
  verdict: HoldoutVerdict;
  reason: HoldoutReason;
}

// Below these the intervals are still computed, but the page says the groups are too
// small to conclude: with fewer than 5 conversions a group's rate and its revenue mean rest
// on a handful of orders, and the normal approximations behind the intervals are poor.
export const HOLDOUT_MIN_ENTRIES = 30;
export const HOLDOUT_MIN_CONVERSIONS = 5;

function tooFewReason(treated: CohortFigures, holdout: CohortFigures): HoldoutReason | null {
  if (treated.n < HOLDOUT_MIN_ENTRIES || holdout.n < HOLDOUT_MIN_ENTRIES) return "too_few_entries";
  if (treated.conversions < HOLDOUT_MIN_CONVERSIONS || holdout.conversions < HOLDOUT_MIN_CONVERSIONS) return "too_few_conversions";
  return null;
}

function judge(interval: Interval, tooFew: HoldoutReason | null): HoldoutMeasure {
  if (tooFew) return { verdict: "too_few", reason: tooFew };
  if (interval.low > 0) return { verdict: "positive", reason: "interval_above_zero" };
  if (interval.high < 0) return { verdict: "negative", reason: "interval_below_zero" };
  return { verdict: "inconclusive", reason: "interval_includes_zero" };
}

const perEntryRevenue = (c: CohortFigures): SampleSums => ({ n: c.n, sum: c.revenue.sum, sumSq: c.revenue.sumSq });

function summary(c: CohortFigures): CohortSummary {
  return { n: c.n, conversionRate: c.n > 0 ? c.conversions / c.n : 0, revenuePerEntry: c.n > 0 ? c.revenue.sum / c.n : 0 };
}

// With no treated entries the total is 0, not ∞ × 0.
function scaled(interval: Interval, factor: number): Interval {
  if (factor === 0) return { estimate: 0, low: 0, high: 0 };
  return { estimate: interval.estimate * factor, low: interval.low * factor, high: interval.high * factor };
}

export function holdoutResult(treated: CohortFigures, holdout: CohortFigures, confidence = 0.95): HoldoutResult {
  const tooFew = tooFewReason(treated, holdout);
  const conversion = diffOfProportions(treated.conversions, treated.n, holdout.conversions, holdout.n, confidence);
  const revenue = diffOfMeansPooledHoldoutVariance(perEntryRevenue(treated), perEntryRevenue(holdout), confidence);
  const revenueMeasure = judge(revenue, tooFew);
  return {
    treated: summary(treated),
    holdout: summary(holdout),
    incrementalConversion: { ...conversion, ...judge(conversion, tooFew) },
    incrementalRevenuePerEntry: { ...revenue, ...revenueMeasure },
    incrementalRevenueTotal: scaled(revenue, treated.n),
    confidence,
    ...revenueMeasure,
  };
}
