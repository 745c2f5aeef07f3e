import { studentTQuantile } from "./distributions";
import type { Interval, SampleSums } from "./types";

/** Sample mean; 0 for an empty sample (callers show "too few" before they show it). */
export function meanOf(s: SampleSums): number {
  return s.n > 0 ? s.sum / s.n : 0;
}

/**
 * Unbiased sample variance from the sums: (Σx² − (Σx)²/n) / (n − 1). Clamped at 0: with
 * large sums the subtraction can come out a hair below 0 in floating point.
 */
export function varianceOf(s: SampleSums): number {
  if (s.n < 2) return NaN;
  return Math.max(0, (s.sumSq - (s.sum * s.sum) / s.n) / (s.n - 1));
}

/**
 * Welch interval for mean(a) − mean(b): unequal variances, t quantile with the
 * Welch–Satterthwaite degrees of freedom. Computed from n/sum/sumSq because the
 * reports read rollups, not rows. With fewer than two observations in a group there is
 * no variance estimate: the interval is unbounded. With no spread at all in either
 * group the interval is the point itself.
 */
export function diffOfMeans(a: SampleSums, b: SampleSums, confidence = 0.95): Interval {
  const estimate = meanOf(a) - meanOf(b);
  if (a.n < 2 || b.n < 2) return { estimate, low: -Infinity, high: Infinity };
  const va = varianceOf(a) / a.n;
  const vb = varianceOf(b) / b.n;
  const variance = va + vb;
  if (variance === 0) return { estimate, low: estimate, high: estimate };
  const df = (variance * variance) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * Math.sqrt(variance);
  return { estimate, low: estimate - half, high: estimate + half };
}

/** t interval for one mean: mean ± t(n − 1)·s/√n; unbounded below two observations. */
export function meanInterval(s: SampleSums, confidence = 0.95): Interval {
  const estimate = meanOf(s);
  if (s.n < 2) return { estimate, low: -Infinity, high: Infinity };
  const half = studentTQuantile(1 - (1 - confidence) / 2, s.n - 1) * Math.sqrt(varianceOf(s) / s.n);
  return { estimate, low: estimate - half, high: estimate + half };
}
