import type { SampleSums } from "./types";

export interface MsprtOptions {
  /** Variance of the normal mixing distribution over the difference of means (tau²). */
  tau2?: number;
}

export function proportionSums(x: number, n: number): SampleSums {
  return { n, sum: x, sumSq: x };
}

/** Always-valid p-value for "mean of b = mean of a" (two-sided). */
export function msprtPValue(_a: SampleSums, _b: SampleSums, _options: MsprtOptions = {}): number {
  throw new Error("not implemented");
}
