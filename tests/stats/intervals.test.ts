// Frequentist intervals against published worked examples and scipy (tests/stats/reference).
import { describe, expect, it } from "vitest";
import { diffOfMeans, diffOfMeansPooledHoldoutVariance, diffOfProportions, meanInterval, wilson } from "~/domain/stats";
import reference from "./reference/values.json";
import { expectClose } from "./support/close";

describe("Wilson interval", () => {
  it("matches the score formula evaluated with scipy's normal quantile", () => {
    for (const c of reference.wilson) {
      const actual = wilson(c.x, c.n, c.confidence);
      expectClose(actual.estimate, c.estimate, 1e-12, `wilson ${c.x}/${c.n}`);
      expectClose(actual.low, c.low, 1e-12, `wilson ${c.x}/${c.n} low`);
      expectClose(actual.high, c.high, 1e-12, `wilson ${c.x}/${c.n} high`);
    }
  });

  it("is [0, 1] with no trials", () => {
    expect(wilson(0, 0)).toEqual({ estimate: 0, low: 0, high: 1 });
  });
});

describe("Newcombe hybrid score interval (method 10) for p1 − p2", () => {
  // Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10, printed to 4
  // decimals. Example (c), 6/7 − 2/7, is given as 0.0582 to 0.8062: that is what the
  // method's formula yields (and the Python reference independently), and the formula
  // reproduces the seven other printed examples to the 4th decimal.
  const published: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ];

  it.each(published)("%i/%i − %i/%i: %f to %f (published)", (x1, n1, x2, n2, low, high) => {
    const actual = diffOfProportions(x1, n1, x2, n2);
    expectClose(actual.low, low, 5e-5 + 1e-12, "low");
    expectClose(actual.high, high, 5e-5 + 1e-12, "high");
  });

  it("matches the Python reference, 95% and 90%", () => {
    for (const c of reference.newcombe) {
      const actual = diffOfProportions(c.x1, c.n1, c.x2, c.n2, c.confidence);
      const label = `${c.x1}/${c.n1} − ${c.x2}/${c.n2} @${c.confidence}`;
      expectClose(actual.estimate, c.estimate, 1e-12, label);
      expectClose(actual.low, c.low, 1e-12, `${label} low`);
      expectClose(actual.high, c.high, 1e-12, `${label} high`);
    }
  });
});

describe("Welch interval for mean1 − mean2 from sums", () => {
  it("matches scipy.stats.ttest_ind(equal_var=False).confidence_interval on the same data", () => {
    for (const c of reference.welch) {
      const actual = diffOfMeans(c.a, c.b, c.confidence);
      const label = `n=${c.a.n}/${c.b.n} df=${c.df.toFixed(1)} @${c.confidence}`;
      // Relative to the interval's width: the sums lose a few digits to float rounding of large revenue sums.
      const width = c.high - c.low;
      expectClose(actual.estimate / width, c.estimate / width, 1e-9, label);
      expectClose(actual.low / width, c.low / width, 1e-9, `${label} low`);
      expectClose(actual.high / width, c.high / width, 1e-9, `${label} high`);
    }
  });

  it("is unbounded with fewer than two values in a group, a point with no spread", () => {
    expect(diffOfMeans({ n: 1, sum: 5, sumSq: 25 }, { n: 10, sum: 10, sumSq: 30 })).toEqual({
      estimate: 4,
      low: -Infinity,
      high: Infinity,
    });
    expect(diffOfMeans({ n: 50, sum: 0, sumSq: 0 }, { n: 40, sum: 0, sumSq: 0 })).toEqual({ estimate: 0, low: 0, high: 0 });
  });

  it("the holdout's variant (holdout variance pooled over both groups) matches the Python reference", () => {
    for (const c of reference.pooledHoldoutVariance) {
      const actual = diffOfMeansPooledHoldoutVariance(c.treated, c.holdout, c.confidence);
      const width = c.high - c.low;
      expectClose(actual.estimate / width, c.estimate / width, 1e-9, "estimate");
      expectClose(actual.low / width, c.low / width, 1e-9, "low");
      expectClose(actual.high / width, c.high / width, 1e-9, "high");
    }
  });

  it("one-sample t interval matches scipy.stats.t.interval", () => {
    for (const c of reference.meanInterval) {
      const actual = meanInterval(c.sample, c.confidence);
      const width = c.high - c.low;
      expectClose(actual.low / width, c.low / width, 1e-9, "low");
      expectClose(actual.high / width, c.high / width, 1e-9, "high");
    }
  });
});
