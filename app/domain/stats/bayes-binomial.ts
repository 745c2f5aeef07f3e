import type { BinomialCounts } from "./types";

export function probBBeatsA(_a: BinomialCounts, _b: BinomialCounts): number {
  throw new Error("not implemented");
}

export function expectedLossBinomial(_a: BinomialCounts, _b: BinomialCounts): number {
  throw new Error("not implemented");
}
