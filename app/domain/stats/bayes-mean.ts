// Bayesian comparison of two means (revenue per recipient) from n/sum/sumSq.
//
// Method: the posterior of a mean is taken as normal with the Bayesian bootstrap's exact
// posterior mean and variance. The Bayesian bootstrap (Rubin 1981) puts Dirichlet(1, …, 1)
// weights on the observed values; the posterior of the mean Σ wᵢyᵢ then has mean ȳ and
// variance Σ(yᵢ − ȳ)² / (n(n + 1)), and it is asymptotically normal (Lo 1987), so
// N(ȳ, Σ(yᵢ − ȳ)²/(n(n + 1))) is its large-sample limit. It makes no assumption about the
// shape of revenue (most recipients spend 0, a few spend a lot), only that n is large
// enough for the mean to be near normal: the A/B rule waits for 500 recipients a variant.
//
// Why not resample: a bootstrap needs every recipient's value, and the reports read
// rollups (count, sum, sum of squares per day and variant), not raw rows; resampling is
// also random where this is a deterministic closed form.
import { normalCdf, normalDensity } from "./distributions";
import { meanOf } from "./means";
import type { SampleSums } from "./types";

export interface NormalPosterior {
  mean: number;
  variance: number;
}

/** The posterior of the mean; with fewer than two values there is nothing to learn from: infinite variance. */
export function meanPosterior(s: SampleSums): NormalPosterior {
  if (s.n < 2) return { mean: meanOf(s), variance: Infinity };
  const squaredDeviations = Math.max(0, s.sumSq - (s.sum * s.sum) / s.n);
  return { mean: meanOf(s), variance: squaredDeviations / (s.n * (s.n + 1)) };
}

/** P(D > 0) for D ~ N(mean, variance); a point mass when there is no spread at all. */
export function probPositive(mean: number, variance: number): number {
  if (!Number.isFinite(variance)) return 0.5;
  if (variance === 0) return mean > 0 ? 1 : mean < 0 ? 0 : 0.5;
  return normalCdf(mean / Math.sqrt(variance));
}

/** E[max(D, 0)] for D ~ N(mean, variance). */
export function expectedPositivePart(mean: number, variance: number): number {
  if (!Number.isFinite(variance)) return Infinity;
  if (variance === 0) return Math.max(mean, 0);
  const sd = Math.sqrt(variance);
  return mean * normalCdf(mean / sd) + sd * normalDensity(mean / sd);
}

/** P(mean_B > mean_A). */
export function probBBeatsAMean(a: SampleSums, b: SampleSums): number {
  const pa = meanPosterior(a);
  const pb = meanPosterior(b);
  return probPositive(pb.mean - pa.mean, pa.variance + pb.variance);
}

/** Expected loss of choosing B over A: E[max(mean_A − mean_B, 0)]. */
export function expectedLossMean(a: SampleSums, b: SampleSums): number {
  const pa = meanPosterior(a);
  const pb = meanPosterior(b);
  return expectedPositivePart(pa.mean - pb.mean, pa.variance + pb.variance);
}
