// Bayesian comparison of two rates with uniform Beta(1, 1) priors: the posterior of a
// rate after x successes in n trials is Beta(1 + x, 1 + n − x).
import { normalCdf, normalDensity } from "./distributions";
import { logBeta } from "./special-functions";
import type { BinomialCounts } from "./types";

interface BetaParams {
  a: number;
  b: number;
}

const posterior = ({ x, n }: BinomialCounts): BetaParams => ({ a: 1 + x, b: 1 + n - x });

// The exact sum below has as many terms as the smallest posterior parameter. Past this
// many, every posterior has a million successes AND failures, its skewness is below
// 2/√10⁶ = 0.002 and the normal approximation of the difference is good to about 1e-7
// (2e-8 in the tested cases, against numerical integration): we switch to it to bound
// the time (the exact sum costs a few ms per million terms).
const EXACT_MAX_TERMS = 1_000_000;

/**
 * P(X2 > X1) for X1 ~ Beta(a1, b1), X2 ~ Beta(a2, b2), integer a2 (Evan Miller, "Formulas
 * for Bayesian A/B testing", 2015):
 *   Σ_{i=0}^{a2−1} B(a1 + i, b1 + b2) / ((b2 + i) B(1 + i, b2) B(a1, b1)).
 * Numerically stable form: every term is positive, and consecutive terms have the ratio
 *   (a1 + i)(b2 + i) / ((a1 + b1 + b2 + i)(1 + i)),
 * so we walk the terms in logs from the first (one log-beta evaluation, no huge Γ values)
 * and sum them relative to the largest.
 */
function evanMillerSum(p1: BetaParams, p2: BetaParams): number {
  const { a: a1, b: b1 } = p1;
  const { a: a2, b: b2 } = p2;
  // log of the i = 0 term: ln B(a1, b1 + b2) − ln b2 − ln B(1, b2) − ln B(a1, b1), with ln B(1, b2) = −ln b2.
  let logTerm = logBeta(a1, b1 + b2) - logBeta(a1, b1);
  // Running log-sum-exp: `sum` is the sum of the terms so far divided by the largest one.
  let maxLog = logTerm;
  let sum = 1;
  for (let i = 1; i < a2; i++) {
    logTerm += Math.log(((a1 + i - 1) * (b2 + i - 1)) / ((a1 + b1 + b2 + i - 1) * i));
    if (logTerm > maxLog) {
      sum = sum * Math.exp(maxLog - logTerm) + 1;
      maxLog = logTerm;
    } else {
      sum += Math.exp(logTerm - maxLog);
    }
  }
  return Math.min(1, Math.max(0, Math.exp(maxLog + Math.log(sum))));
}

/** P(X2 > X1) for Beta posteriors, exact with the fewest terms, normal for huge counts. */
function probSecondGreater(p1: BetaParams, p2: BetaParams, exactMaxTerms = EXACT_MAX_TERMS): number {
  // Four equivalent forms, summing over a2, a1, b1 or b2 terms (the last two by the
  // symmetry p ↦ 1 − p, which swaps a and b and reverses the order). Pick the shortest.
  const options: [number, () => number][] = [
    [p2.a, () => evanMillerSum(p1, p2)],
    [p1.a, () => 1 - evanMillerSum(p2, p1)],
    [p1.b, () => evanMillerSum({ a: p2.b, b: p2.a }, { a: p1.b, b: p1.a })],
    [p2.b, () => 1 - evanMillerSum({ a: p1.b, b: p1.a }, { a: p2.b, b: p2.a })],
  ];
  const [terms, exact] = options.reduce((best, option) => (option[0] < best[0] ? option : best));
  if (terms <= exactMaxTerms) return exact();
  const { mean, sd } = normalOfDifference(p1, p2);
  return normalCdf(mean / sd);
}

/** Mean and sd of X2 − X1 (moments of the two Betas). */
function normalOfDifference(p1: BetaParams, p2: BetaParams): { mean: number; sd: number } {
  const m = (p: BetaParams) => p.a / (p.a + p.b);
  const v = (p: BetaParams) => (p.a * p.b) / ((p.a + p.b) ** 2 * (p.a + p.b + 1));
  return { mean: m(p2) - m(p1), sd: Math.sqrt(v(p1) + v(p2)) };
}

/** P(p_B > p_A) under uniform priors. */
export function probBBeatsA(a: BinomialCounts, b: BinomialCounts): number {
  return probSecondGreater(posterior(a), posterior(b));
}

/**
 * Expected loss of choosing B over A: E[max(p_A − p_B, 0)], the rate given up on average
 * if B is in truth worse. Closed form from the Beta identity x·Beta(a, b) density =
 * a/(a + b) · Beta(a + 1, b) density:
 *   E[p_A 1{p_A > p_B}] = mean_A · P(Beta(a_A + 1, b_A) > p_B), and likewise for p_B.
 */
export function expectedLossBinomial(a: BinomialCounts, b: BinomialCounts): number {
  const pa = posterior(a);
  const pb = posterior(b);
  const meanA = pa.a / (pa.a + pa.b);
  const meanB = pb.a / (pb.a + pb.b);
  if (Math.min(pa.a, pa.b, pb.a, pb.b) > EXACT_MAX_TERMS) {
    const { mean, sd } = normalOfDifference(pb, pa);
    return mean * normalCdf(mean / sd) + sd * normalDensity(mean / sd);
  }
  // The shifted parameters may exceed the limit by one: both terms must use the same method.
  const aWins = probSecondGreater(pb, { a: pa.a + 1, b: pa.b }, EXACT_MAX_TERMS + 1);
  const aWinsOverShiftedB = probSecondGreater({ a: pb.a + 1, b: pb.b }, pa, EXACT_MAX_TERMS + 1);
  return Math.max(0, meanA * aWins - meanB * aWinsOverShiftedB);
}
