import type { Interval, SampleSums } from "./types";

export type ExperimentMetric = "click_rate" | "conversion_rate" | "revenue_per_recipient";

export interface VariantFigures {
  key: string;
  recipients: number;
  clicks: number;
  conversions: number;
  /** Attributed revenue sum and sum of squares; n is ignored: revenue per recipient divides by recipients. */
  revenue: SampleSums;
}

export interface ExperimentInput {
  metric: ExperimentMetric;
  controlKey: string;
  variants: VariantFigures[];
  /** Whole days since the experiment started. */
  daysRunning: number;
  minSample: number;
  minProbability: number;
  minDays: number;
  maxDays: number;
}

export interface VariantEvaluation {
  key: string;
  isControl: boolean;
  recipients: number;
  /** Rate (click or conversion) or mean revenue per recipient, with its interval. */
  value: Interval;
  /** Difference to the control (variant − control); null for the control itself. */
  diffVsControl: Interval | null;
  /** P(this variant's true value > the control's); 0.5 for the control itself. */
  probBeatControl: number;
  /** P(this variant's true value > every other variant's). */
  probBest: number;
  /** Expected shortfall of choosing this variant instead of the control (for the control: instead of the best challenger). */
  expectedLoss: number;
  /** Always-valid p-value of "equal to the control"; null for the control itself. */
  msprtPValue: number | null;
}

export type ExperimentReason =
  "no_variants" | "below_min_sample" | "below_min_days" | "winner_found" | "no_winner_yet" | "max_days_no_winner";

export interface ExperimentEvaluation {
  perVariant: VariantEvaluation[];
  winner: string | null;
  concluded: boolean;
  reason: ExperimentReason;
}

export function evaluateExperiment(_input: ExperimentInput): ExperimentEvaluation {
  throw new Error("not implemented");
}
