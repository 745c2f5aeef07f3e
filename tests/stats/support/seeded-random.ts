// A seeded pseudo-random generator for the simulation tests (the domain code takes no
// randomness; the tests need reproducible synthetic shops). sfc32 (Chris Doty-Humphrey's
// Small Fast Counting generator, PractRand-clean), seeded through splitmix32.

export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  logNormal(median: number, sigma: number): number;
  /** Binomial(n, p) by geometric waiting times: O(n·p) draws, cheap for the small rates simulated here. */
  binomial(n: number, p: number): number;
  /** Integer uniform in [low, high]. */
  integer(low: number, high: number): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function seededRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32();
  // 53-bit uniform from two draws; never exactly 0 so logarithms stay finite.
  const uniform = (): number => {
    const value = ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
    return value === 0 ? Number.MIN_VALUE : value;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return {
    uniform,
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    binomial(n, p) {
      if (p <= 0 || n <= 0) return 0;
      if (p >= 1) return n;
      const logQ = Math.log1p(-p);
      let position = 0;
      let successes = 0;
      for (;;) {
        position += Math.floor(Math.log(uniform()) / logQ) + 1;
        if (position > n) return successes;
        successes += 1;
      }
    },
    integer: (low, high) => low + Math.floor(uniform() * (high - low + 1)),
  };
}
