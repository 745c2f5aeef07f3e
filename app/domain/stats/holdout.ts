import type { Interval, SampleSums } from "./types";

export interface CohortFigures {
  /** Entries whose measurement window has closed. */
  n: number;
  /** Entries with at least one order in the window. */
  conversions: number;
  /** Outcome revenue per entry: n entries, sum and sum of squares of their revenue. */
  revenue: SampleSums;
}

export type HoldoutVerdict = "positive" | "negative" | "inconclusive" | "too_few";
export type HoldoutReason =
  "too_few_entries" | "too_few_conversions" | "interval_includes_zero" | "interval_above_zero" | "interval_below_zero";

export interface HoldoutMeasure {
  verdict: HoldoutVerdict;
  reason: HoldoutReason;
}

export interface HoldoutResult {
  treated: { n: number; conversionRate: number; revenuePerEntry: number };
  holdout: { n: number; conversionRate: number; revenuePerEntry: number };
  /** p_treated − p_holdout, Newcombe hybrid score interval. */
  incrementalConversion: Interval & HoldoutMeasure;
  /** mean_treated − mean_holdout, Welch interval. */
  incrementalRevenuePerEntry: Interval & HoldoutMeasure;
  /** Per-entry figure × treated n. */
  incrementalRevenueTotal: Interval;
  confidence: number;
  /** The headline verdict: the incremental revenue's. */
  verdict: HoldoutVerdict;
  reason: HoldoutReason;
}

export function holdoutResult(_treated: CohortFigures, _holdout: CohortFigures, _confidence = 0.95): HoldoutResult {
  throw new Error("not implemented");
}
