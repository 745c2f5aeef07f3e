import { normalQuantile } from "./distributions";
import type { Interval } from "./types";

function twoSidedZ(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * Wilson score interval for a proportion x/n (Wilson 1927; Newcombe 1998 method 3, no
 * continuity correction). Chosen over the textbook Wald interval because it keeps its
 * coverage for small n and for rates near 0, which is where a flow's conversions live.
 * With n = 0 there is no information: the estimate reads 0 and the interval is [0, 1].
 */
export function wilson(x: number, n: number, confidence = 0.95): Interval {
  if (n <= 0) return { estimate: 0, low: 0, high: 1 };
  const z = twoSidedZ(confidence);
  const z2 = z * z;
  const p = x / n;
  const centre = (x + z2 / 2) / (n + z2);
  const half = (z * Math.sqrt((x * (n - x)) / n + z2 / 4)) / (n + z2);
  // At x = 0 or x = n one bound is exactly 0 or 1; pin it against rounding.
  const low = x <= 0 ? 0 : Math.max(0, centre - half);
  const high = x >= n ? 1 : Math.min(1, centre + half);
  return { estimate: p, low, high };
}

/**
 * Interval for p1 − p2 from two independent proportions: Newcombe's hybrid score
 * interval (Newcombe 1998, Statistics in Medicine 17:873–890, method 10). It combines
 * the two Wilson intervals (l, u) as δ − √((p1 − l1)² + (u2 − p2)²) to
 * δ + √((u1 − p1)² + (p2 − l2)²). Newcombe found it close to nominal coverage down to
 * small samples and zero counts, unlike the Wald interval, and it needs no iteration.
 */
export function diffOfProportions(x1: number, n1: number, x2: number, n2: number, confidence = 0.95): Interval {
  const a = wilson(x1, n1, confidence);
  const b = wilson(x2, n2, confidence);
  const estimate = a.estimate - b.estimate;
  return {
    estimate,
    low: estimate - Math.hypot(a.estimate - a.low, b.high - b.estimate),
    high: estimate + Math.hypot(a.high - a.estimate, b.estimate - b.low),
  };
}
