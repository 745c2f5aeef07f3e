import type { Interval } from "./types";

export function wilson(_x: number, _n: number, _confidence = 0.95): Interval {
  throw new Error("not implemented");
}

export function diffOfProportions(_x1: number, _n1: number, _x2: number, _n2: number, _confidence = 0.95): Interval {
  throw new Error("not implemented");
}
