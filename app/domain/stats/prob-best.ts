// P(variant i beats every other variant) for independent posteriors:
//   ∫ f_i(x) Π_{j≠i} F_j(x) dx,
// exact closed forms for two variants, a one-dimensional integral otherwise: 16-point
// Gauss–Legendre on 16 equal panels over the bulk of f_i, from ±8 posterior sds widened
// until the density there is negligible (a Beta posterior with few successes has a long
// exponential tail that 8 sds do not cover), clipped to the support. The integrand is
// smooth there; the error stays below 1e-9 (tested against scipy quad).
import { probBBeatsA } from "./bayes-binomial";
import { meanPosterior, probPositive, type NormalPosterior } from "./bayes-mean";
import { normalCdf, normalDensity } from "./distributions";
import { betaDensity, betaRegularized, logBeta } from "./special-functions";
import type { BinomialCounts, SampleSums } from "./types";

const PANELS = 16;
const GAUSS_POINTS = 16;
const START_SDS = 8;
const NEGLIGIBLE_MASS = 1e-14;

interface Density {
  pdf: (x: number) => number;
  cdf: (x: number) => number;
  mean: number;
  sd: number;
}

/** Nodes and weights on [−1, 1]: roots of the Legendre polynomial by Newton's method (Numerical Recipes §4.6). */
function gaussLegendre(n: number): { node: number; weight: number }[] {
  const rule: { node: number; weight: number }[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let derivative = 1;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    rule.push({ node: x, weight: 2 / ((1 - x * x) * derivative * derivative) });
  }
  return rule;
}
const GAUSS_LEGENDRE = gaussLegendre(GAUSS_POINTS);

/** Where the density's tail beyond the bound holds less than NEGLIGIBLE_MASS (density × distance as its crude bound). */
function widen(d: Density, direction: 1 | -1, limit: number): number {
  let sds = START_SDS;
  for (;;) {
    const bound = d.mean + direction * sds * d.sd;
    if (direction * (bound - limit) >= 0) return limit;
    if (d.pdf(bound) * sds * d.sd < NEGLIGIBLE_MASS || sds > 1e6) return bound;
    sds *= 1.5;
  }
}

function integrateBest(densities: Density[], i: number, support: [number, number]): number {
  const own = densities[i]!;
  const lo = widen(own, -1, support[0]);
  const hi = widen(own, 1, support[1]);
  if (!(hi > lo)) return NaN;
  const integrand = (x: number) => densities.reduce((acc, d, j) => (j === i ? acc : acc * d.cdf(x)), own.pdf(x));
  const half = (hi - lo) / PANELS / 2;
  let sum = 0;
  for (let k = 0; k < PANELS; k++) {
    const centre = lo + (2 * k + 1) * half;
    for (const { node, weight } of GAUSS_LEGENDRE) sum += weight * integrand(centre + half * node);
  }
  return Math.min(1, Math.max(0, sum * half));
}

/** For each variant, P(its rate beats every other), Beta(1 + x, 1 + n − x) posteriors. */
export function probBestBinomial(variants: BinomialCounts[]): number[] {
  if (variants.length === 1) return [1];
  if (variants.length === 2) {
    const second = probBBeatsA(variants[0]!, variants[1]!);
    return [1 - second, second];
  }
  const densities = variants.map(({ x, n }): Density => {
    const a = 1 + x;
    const b = 1 + n - x;
    const logB = logBeta(a, b);
    return {
      pdf: (p) => betaDensity(p, a, b, logB),
      cdf: (p) => betaRegularized(p, a, b, logB),
      mean: a / (a + b),
      sd: Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1))),
    };
  });
  return densities.map((_, i) => integrateBest(densities, i, [0, 1]));
}

/** For each variant, P(its mean beats every other), normal posteriors (see bayes-mean.ts). */
export function probBestMean(variants: SampleSums[]): number[] {
  const posteriors = variants.map(meanPosterior);
  if (posteriors.length === 1) return [1];
  if (posteriors.length === 2) {
    const [a, b] = posteriors as [NormalPosterior, NormalPosterior];
    const second = probPositive(b.mean - a.mean, a.variance + b.variance);
    return [1 - second, second];
  }
  if (posteriors.some((p) => !Number.isFinite(p.variance))) return posteriors.map(() => 1 / posteriors.length);
  // A sample without spread (say, nobody bought) is a point mass; a tiny sd stands in for it
  // so one integral serves all cases.
  const scale = Math.max(1, ...posteriors.map((p) => Math.abs(p.mean)));
  const densities = posteriors.map(({ mean, variance }): Density => {
    const sd = Math.max(Math.sqrt(variance), 1e-9 * scale);
    return { pdf: (x) => normalDensity((x - mean) / sd) / sd, cdf: (x) => normalCdf((x - mean) / sd), mean, sd };
  });
  return densities.map((_, i) => integrateBest(densities, i, [-Infinity, Infinity]));
}
