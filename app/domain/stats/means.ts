import type { Interval, SampleSums } from "./types";

export function meanOf(_s: SampleSums): number {
  throw new Error("not implemented");
}

export function varianceOf(_s: SampleSums): number {
  throw new Error("not implemented");
}

export function diffOfMeans(_a: SampleSums, _b: SampleSums, _confidence = 0.95): Interval {
  throw new Error("not implemented");
}
