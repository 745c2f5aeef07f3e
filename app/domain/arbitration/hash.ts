// Deterministic hashing for assignments that must never change between calls,
// processes or machines: holdout membership, staged rollout, seeded randomness.
// cyrb53 (public domain, by bryc): 53-bit, fast, well distributed, no dependencies.

export function hash53(input: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < input.length; i++) {
    const ch = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A stable bucket in [0, 10000): basis points, so percentages like 12.5 work. */
export function bucket10000(input: string): number {
  return hash53(input) % 10000;
}

/** True for `percent`% of inputs (0 -> none, 100 -> all); monotonic in percent. */
export function inPercent(input: string, percent: number): boolean {
  if (!(percent > 0)) return false;
  if (percent >= 100) return true;
  return bucket10000(input) < Math.round(percent * 100);
}

/**
 * A small seeded PRNG (mulberry32) returning numbers in [0, 1). The runner may pass
 * `seededRandom(`${enrollmentId}:${state.seq}`)` as `random` so a replayed step makes
 * exactly the same A/B choices.
 */
export function seededRandom(seed: string): () => number {
  let a = hash53(seed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
