// Bayesian comparisons against numerical integration with scipy (tests/stats/reference).
import { describe, expect, it } from "vitest";
import { expectedLossBinomial, expectedLossMean, probBBeatsA, probBBeatsAMean, probBestBinomial, probBestMean } from "~/domain/stats";
import reference from "./reference/values.json";
import { expectClose } from "./support/close";

describe("Beta-Binomial P(B beats A) and expected loss", () => {
  it("match scipy quad over the Beta densities, small to huge counts (the largest through the normal fallback)", () => {
    for (const c of reference.betaBinomial) {
      const label = `${c.a.x}/${c.a.n} vs ${c.b.x}/${c.b.n}`;
      // scipy's quad is good to ~1e-11 here; the normal fallback (every count above a million) to ~1e-7.
      const huge = Math.min(c.a.x, c.a.n - c.a.x, c.b.x, c.b.n - c.b.x) > 1e6;
      expectClose(probBBeatsA(c.a, c.b), c.probBBeatsA, huge ? 1e-6 : 1e-9, label);
      // Absolute: losses are rates given up, from 1e-8 to 0.17 here.
      const loss = expectedLossBinomial(c.a, c.b);
      expect(Math.abs(loss - c.expectedLoss), `${label} loss ${loss} vs ${c.expectedLoss}`).toBeLessThanOrEqual(huge ? 1e-8 : 1e-11);
    }
  });

  it("B and A swap to complementary probabilities", () => {
    const a = { x: 31, n: 700 };
    const b = { x: 44, n: 690 };
    expectClose(probBBeatsA(a, b) + probBBeatsA(b, a), 1, 1e-12);
  });

  it("P(variant is best) over three and four variants matches scipy quad", () => {
    for (const c of reference.probBestBinomial) {
      const actual = probBestBinomial(c.counts);
      c.probBest.forEach((expected, i) => expectClose(actual[i]!, expected, 1e-9, `variant ${i}`));
      expectClose(
        actual.reduce((s, p) => s + p, 0),
        1,
        1e-6,
        "sum",
      );
    }
  });
});

describe("normal posterior of a mean (Bayesian bootstrap limit) from sums", () => {
  it("matches the closed form evaluated with scipy", () => {
    for (const c of reference.normalMean) {
      expectClose(probBBeatsAMean(c.a, c.b), c.probBBeatsA, 1e-12, "P");
      expectClose(expectedLossMean(c.a, c.b), c.expectedLoss, 1e-12, "loss");
    }
  });

  it("is within 0.05 of a 20,000-draw Bayesian bootstrap over the raw rows (zero-inflated, heavy-tailed revenue)", () => {
    // The normal limit ignores the skew of few large orders: the gap printed below is the price of reading rollups.
    for (const c of reference.normalMean) {
      const gap = Math.abs(probBBeatsAMean(c.a, c.b) - c.bayesianBootstrapProb);
      console.log(`normal limit vs Bayesian bootstrap, n=${c.a.n}/${c.b.n}: gap ${gap.toFixed(4)}`);
      expect(gap).toBeLessThan(0.05);
    }
  });

  it("P(best) of three means matches scipy quad", () => {
    for (const c of reference.probBestMean) {
      const actual = probBestMean(c.samples);
      c.probBest.forEach((expected, i) => expectClose(actual[i]!, expected, 1e-9, `variant ${i}`));
    }
  });

  it("three variants: P(best) sums to 1 and agrees with the pairwise closed form for two", () => {
    const { a, b } = reference.normalMean[2]!;
    const c = reference.normalMean[1]!.a;
    const three = probBestMean([a, b, c]);
    expectClose(
      three.reduce((s, p) => s + p, 0),
      1,
      1e-6,
      "sum",
    );
    const two = probBestMean([a, b]);
    expectClose(two[1]!, probBBeatsAMean(a, b), 1e-12, "two");
  });
});
