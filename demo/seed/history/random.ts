import { prng } from "../demo-shop";

// Seeded randomness for the history. Two kinds: a stream per shopper for their plan
// (drawn in a fixed order, so a seed gives the same shoppers), and keyed draws for
// what happens later (`keyed(seed, "order", shopper, n)`), which do not depend on the
// order the simulation happens to reach them in.

export type Random = () => number;

export function stream(seed: number, salt: number): Random {
  return prng((Math.imul(seed ^ 0x9e3779b9, 2654435761) + Math.imul(salt + 1, 40503)) >>> 0);
}

/** A uniform draw in [0, 1) determined by its key alone. */
export function keyed(seed: number, ...key: (string | number)[]): number {
  let h = 2166136261 ^ seed;
  for (const part of key.join("\u0000")) {
    h ^= part.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  return prng(h >>> 0)();
}

export function between(r: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * r();
}

export function pick<T>(r: Random, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

/** Exponential waiting time with this mean. */
export function exponential(r: Random, mean: number): number {
  return -mean * Math.log(1 - r());
}
