// Always-valid p-value for "two means are equal", for a decision rule that looks at the
// data every day: a mixture sequential probability ratio test (mSPRT; Johari, Pekelis,
// Walsh 2017, "Always valid inference: continuous monitoring of A/B tests", Operations
// Research 70(3), 2022; arXiv 1512.04922), in its normal approximation.
//
// The estimate d = mean_b − mean_a is treated as N(θ, v) with v = s_a²/n_a + s_b²/n_b
// (plug-in variances, as Johari et al. do for their two-stream normal approximation;
// binary data are the special case s² = p̂(1 − p̂)·n/(n − 1)). Against θ = 0, mixing the
// alternative over θ ~ N(0, τ²) gives the likelihood ratio
//   Λ = √(v / (v + τ²)) · exp(τ² d² / (2 v (v + τ²))),
// a martingale under θ = 0 as data accumulate, so by Ville's inequality
// P(Λ ever reaches 1/α) ≤ α: the p-value min(1, 1/Λ) may be read after every new day
// without inflating false positives. (The paper's always-valid p-value is the running
// minimum over looks; a rule that stops at the first look where it rejects needs only the
// current value.)
//
// Mixing variance τ²: the test is most sensitive to effects of size about τ, and for a
// given sample it needs the smallest z = d/√v when τ²/v ≈ 6–8 (at α = 0.1: z ≈ 2.76;
// the required z rises slowly on either side: 2.92 at τ²/v = 2, 2.95 at 50, but 3.9 at
// 0.5, so too small a τ costs more than too large). `msprtTau2` chooses τ² so that this
// sweet spot falls at a planned sample per variant, in units of the outcome's own
// variance: τ² = σ² · 2 · 7 / plannedN (v ≈ 2σ²/n for equal groups). That is "effects
// of about √(14/plannedN) standard deviations of one recipient's outcome": for 5,000 per
// variant, 0.053 σ, e.g. 5.0% → 6.2% click rate, 2.0% → 2.7% conversion. σ² is the pooled
// variance of both groups, a plug-in like v itself (under "no difference" it settles on
// the common variance as data accumulate).
import { varianceOf } from "./means";
import type { SampleSums } from "./types";

export interface MsprtOptions {
  /** Variance of the normal mixing distribution over the difference of means (τ²). */
  tau2: number;
}

/** Sums of n zero-one values of which x are one. */
export function proportionSums(x: number, n: number): SampleSums {
  return { n, sum: x, sumSq: x };
}

const SWEET_SPOT_RATIO = 7;

/** τ² tuned to a planned sample per variant: see the module comment. */
export function msprtTau2(a: SampleSums, b: SampleSums, plannedN: number): number {
  const pooledVariance = varianceOf({ n: a.n + b.n, sum: a.sum + b.sum, sumSq: a.sumSq + b.sumSq });
  return (pooledVariance * 2 * SWEET_SPOT_RATIO) / plannedN;
}

/** Always-valid two-sided p-value for mean(b) = mean(a), in [0, 1]. */
export function msprtPValue(a: SampleSums, b: SampleSums, options: MsprtOptions): number {
  if (a.n < 2 || b.n < 2 || !(options.tau2 > 0)) return 1;
  const d = b.sum / b.n - a.sum / a.n;
  const v = varianceOf(a) / a.n + varianceOf(b) / b.n;
  const tau2 = options.tau2;
  if (v === 0) return d === 0 ? 1 : 0;
  const logLikelihoodRatio = 0.5 * Math.log(v / (v + tau2)) + (tau2 * d * d) / (2 * v * (v + tau2));
  return Math.min(1, Math.exp(-logLikelihoodRatio));
}
