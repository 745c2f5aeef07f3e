import type { SampleSums } from "./types";

export function probBBeatsAMean(_a: SampleSums, _b: SampleSums): number {
  throw new Error("not implemented");
}

export function expectedLossMean(_a: SampleSums, _b: SampleSums): number {
  throw new Error("not implemented");
}
