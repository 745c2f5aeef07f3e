// The A/B decision rule, evaluated once per shop-local day over the variants' cumulative
// figures (see the design's "A/B"). A winner is declared only when all of these hold:
//   1. every variant has at least `minSample` recipients;
//   2. the experiment has run at least `minDays` days;
//   3. the winner's P(beats every other variant) ≥ `minProbability` (Bayesian, what the page shows);
//   4. the always-valid mSPRT p-value against the control is ≤ α = (1 − minProbability)/(k − 1)
//      (Bonferroni over the k − 1 challengers); a control "wins" early only if it beats every
//      challenger so.
// Conditions 1–3 alone would not do: a posterior probability read every day crosses 90% by
// chance far more often than 10% of the time over 42 days (in the simulation, in 57–61% of
// experiments without any true difference). Condition 4 is what bounds the
// false winners under daily looks: under "no difference" the chance that any challenger's
// mSPRT EVER rejects is at most α·(k − 1) = 1 − minProbability (Ville's inequality and the
// Bonferroni bound), and every winner needs such a rejection. That bound holds as far as the
// normal approximation with plug-in variances does, so the simulation test
// (tests/stats/ab-rule-daily.test.ts) checks it as applied, daily, with heavy-tailed revenue:
// 1–4% false winners.
// At `maxDays` without a winner the experiment concludes and the control stays.
import { expectedLossBinomial, probBBeatsA } from "./bayes-binomial";
import { expectedLossMean, probBBeatsAMean } from "./bayes-mean";
import { diffOfMeans, meanInterval } from "./means";
import { msprtPValue, msprtTau2, proportionSums } from "./msprt";
import { probBestBinomial, probBestMean } from "./prob-best";
import { diffOfProportions, wilson } from "./proportions";
import type { BinomialCounts, Interval, SampleSums } from "./types";

export type ExperimentMetric = "click_rate" | "conversion_rate" | "revenue_per_recipient";

export interface VariantFigures {
  key: string;
  recipients: number;
  clicks: number;
  conversions: number;
  /** Attributed revenue sum and sum of squares. Its n is not read: revenue per recipient divides by `recipients`. */
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
  /** Rate (click or conversion: Wilson interval) or mean revenue per recipient (t interval). */
  value: Interval;
  /** variant − control (Newcombe or Welch interval); null for the control itself. */
  diffVsControl: Interval | null;
  /** P(this variant's true value > the control's); 0.5 for the control itself. */
  probBeatControl: number;
  /** P(this variant's true value > every other variant's). */
  probBest: number;
  /** Expected shortfall of choosing this variant instead of the control; for the control, of keeping it instead of the strongest challenger. */
  expectedLoss: number;
  /** Always-valid p-value of "equal to the control"; null for the control itself. */
  msprtPValue: number | null;
}

/** A plain code the page turns into a sentence. */
export type ExperimentReason = "below_min_sample" | "below_min_days" | "winner_found" | "no_winner_yet" | "max_days_no_winner";

export interface ExperimentEvaluation {
  perVariant: VariantEvaluation[];
  winner: string | null;
  concluded: boolean;
  reason: ExperimentReason;
}

// τ² of the mSPRT is tuned so the test is most sensitive at this many times the minimum
// sample per variant (5,000 recipients by default), about where an experiment on a mid-size
// shop's step ends up after a few weeks. In the daily simulation (ab-rule-daily.test.ts)
// 10× gave the best power of 2×, 10× and 50× (click rate +30%: 75%, 78%, 70% picked),
// all three far below the false-winner bound. See msprt.ts.
const PLANNED_SAMPLE_PER_MIN_SAMPLE = 10;

/** The per-metric statistics, so the rule below reads the same for rates and means. */
interface MetricModel {
  value(v: VariantFigures): Interval;
  diff(v: VariantFigures, control: VariantFigures): Interval;
  probBeat(control: VariantFigures, v: VariantFigures): number;
  loss(from: VariantFigures, to: VariantFigures): number;
  probBest(all: VariantFigures[]): number[];
  sums(v: VariantFigures): SampleSums;
}

function rateModel(successes: (v: VariantFigures) => number): MetricModel {
  const counts = (v: VariantFigures): BinomialCounts => ({ x: successes(v), n: v.recipients });
  return {
    value: (v) => wilson(successes(v), v.recipients),
    diff: (v, c) => diffOfProportions(successes(v), v.recipients, successes(c), c.recipients),
    probBeat: (c, v) => probBBeatsA(counts(c), counts(v)),
    loss: (from, to) => expectedLossBinomial(counts(from), counts(to)),
    probBest: (all) => probBestBinomial(all.map(counts)),
    sums: (v) => proportionSums(successes(v), v.recipients),
  };
}

const perRecipient = (v: VariantFigures): SampleSums => ({ n: v.recipients, sum: v.revenue.sum, sumSq: v.revenue.sumSq });

const revenueModel: MetricModel = {
  value: (v) => meanInterval(perRecipient(v)),
  diff: (v, c) => diffOfMeans(perRecipient(v), perRecipient(c)),
  probBeat: (c, v) => probBBeatsAMean(perRecipient(c), perRecipient(v)),
  loss: (from, to) => expectedLossMean(perRecipient(from), perRecipient(to)),
  probBest: (all) => probBestMean(all.map(perRecipient)),
  sums: perRecipient,
};

function modelFor(metric: ExperimentMetric): MetricModel {
  switch (metric) {
    case "click_rate":
      return rateModel((v) => v.clicks);
    case "conversion_rate":
      return rateModel((v) => v.conversions);
    case "revenue_per_recipient":
      return revenueModel;
  }
}

/** Evaluates the rule on cumulative figures. Throws if `controlKey` is not among the variants (a caller's mistake). */
export function evaluateExperiment(input: ExperimentInput): ExperimentEvaluation {
  const { variants, controlKey } = input;
  const control = variants.find((v) => v.key === controlKey);
  if (!control) throw new RangeError(`control variant ${controlKey} is not among the variants`);
  const model = modelFor(input.metric);
  const challengers = variants.filter((v) => v !== control);
  const probBest = model.probBest(variants);
  const plannedN = PLANNED_SAMPLE_PER_MIN_SAMPLE * Math.max(1, input.minSample);

  const perVariant = variants.map((v, i): VariantEvaluation => {
    const isControl = v === control;
    const tau2 = msprtTau2(model.sums(control), model.sums(v), plannedN);
    return {
      key: v.key,
      isControl,
      recipients: v.recipients,
      value: model.value(v),
      diffVsControl: isControl ? null : model.diff(v, control),
      probBeatControl: isControl ? 0.5 : model.probBeat(control, v),
      probBest: probBest[i]!,
      expectedLoss: isControl ? Math.max(0, ...challengers.map((c) => model.loss(c, control))) : model.loss(control, v),
      msprtPValue: isControl ? null : msprtPValue(model.sums(control), model.sums(v), { tau2 }),
    };
  });

  const enoughSample = variants.every((v) => v.recipients >= input.minSample);
  const enoughDays = input.daysRunning >= input.minDays;
  const winner = enoughSample && enoughDays ? pickWinner(perVariant, input.minProbability) : null;
  if (winner) return { perVariant, winner, concluded: true, reason: "winner_found" };
  if (input.daysRunning >= input.maxDays) return { perVariant, winner: null, concluded: true, reason: "max_days_no_winner" };
  const reason = !enoughSample ? "below_min_sample" : !enoughDays ? "below_min_days" : "no_winner_yet";
  return { perVariant, winner: null, concluded: false, reason };
}

function pickWinner(perVariant: VariantEvaluation[], minProbability: number): string | null {
  const challengers = perVariant.filter((v) => !v.isControl);
  if (challengers.length === 0) return null;
  const alpha = (1 - minProbability) / challengers.length;
  const rejects = (v: VariantEvaluation) => v.msprtPValue !== null && v.msprtPValue <= alpha;
  const best = perVariant.reduce((a, b) => (b.probBest > a.probBest ? b : a));
  if (best.probBest < minProbability) return null;
  if (best.isControl) return challengers.every(rejects) ? best.key : null;
  return rejects(best) ? best.key : null;
}
