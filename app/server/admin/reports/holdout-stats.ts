// STAND-IN for app/domain/stats (written on branch i15/stats): the few functions the
// reports call, with the names and shapes of the shared design, so the report builds
// and is tested before that branch lands. When it does, this file becomes a re-export
// of ~/domain/stats and the adapter in holdout.server.ts maps its HoldoutResult.

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}
export interface SampleSums {
  n: number;
  sum: number;
  sumSq: number;
}
export interface CohortFigures {
  n: number;
  conversions: number;
  revenue: SampleSums;
}
export type Verdict = "positive" | "negative" | "inconclusive" | "too_few";
export interface HoldoutResult {
  conversionLift: Interval;
  revenuePerEntry: Interval;
  incrementalRevenue: Interval;
  verdict: Verdict;
}

const Z95 = 1.959963984540054;

export function wilson(x: number, n: number, z = Z95): Interval {
  if (n === 0) return { estimate: 0, low: 0, high: 1 };
  const p = x / n;
  const denom = n + z * z;
  const centre = (x + (z * z) / 2) / denom;
  const half = (z / denom) * Math.sqrt((x * (n - x)) / n + (z * z) / 4);
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** p1 − p2 with Newcombe's hybrid score interval (his method 10). */
export function diffOfProportions(x1: number, n1: number, x2: number, n2: number): Interval {
  const a = wilson(x1, n1);
  const b = wilson(x2, n2);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    low: d - Math.sqrt((a.estimate - a.low) ** 2 + (b.high - b.estimate) ** 2),
    high: d + Math.sqrt((a.high - a.estimate) ** 2 + (b.estimate - b.low) ** 2),
  };
}

/** mean1 − mean2, Welch standard error; the normal quantile here (the stats module uses Student's t). */
export function diffOfMeans(a: SampleSums, b: SampleSums): Interval {
  const mean = (s: SampleSums) => (s.n > 0 ? s.sum / s.n : 0);
  const variance = (s: SampleSums) => (s.n > 1 ? Math.max(0, (s.sumSq - (s.sum * s.sum) / s.n) / (s.n - 1)) : 0);
  const d = mean(a) - mean(b);
  const se = Math.sqrt((a.n > 0 ? variance(a) / a.n : 0) + (b.n > 0 ? variance(b) / b.n : 0));
  return { estimate: d, low: d - Z95 * se, high: d + Z95 * se };
}

export function holdoutResult(treated: CohortFigures, holdout: CohortFigures): HoldoutResult {
  const conversionLift = diffOfProportions(treated.conversions, treated.n, holdout.conversions, holdout.n);
  const revenuePerEntry = diffOfMeans(treated.revenue, holdout.revenue);
  const incrementalRevenue = {
    estimate: revenuePerEntry.estimate * treated.n,
    low: revenuePerEntry.low * treated.n,
    high: revenuePerEntry.high * treated.n,
  };
  const tooFew = treated.n < 30 || holdout.n < 30 || treated.conversions < 5 || holdout.conversions < 5;
  const verdict: Verdict = tooFew
    ? "too_few"
    : revenuePerEntry.low <= 0 && revenuePerEntry.high >= 0
      ? "inconclusive"
      : revenuePerEntry.estimate > 0
        ? "positive"
        : "negative";
  return { conversionLift, revenuePerEntry, incrementalRevenue, verdict };
}
