// The holdout result's figures and verdicts (the coverage of its intervals is simulated in holdout-coverage.test.ts).
import { describe, expect, it } from "vitest";
import { diffOfMeansPooledHoldoutVariance, diffOfProportions, holdoutResult, type CohortFigures } from "~/domain/stats";
import { expectClose } from "./support/close";

const cohort = (n: number, conversions: number, revenueSum: number, revenueSumSq: number): CohortFigures => ({
  n,
  conversions,
  revenue: { n, sum: revenueSum, sumSq: revenueSumSq },
});

describe("holdoutResult", () => {
  it("reports the Newcombe interval, the revenue interval, the total scaled to the treated group, and a positive verdict when both exclude 0", () => {
    const treated = cohort(9000, 540, 540 * 80, 540 * 80 * 80 * 2);
    const holdout = cohort(1000, 30, 30 * 80, 30 * 80 * 80 * 2);
    const result = holdoutResult(treated, holdout);
    expect(result.treated).toEqual({ n: 9000, conversionRate: 0.06, revenuePerEntry: 4.8 });
    expect(result.holdout).toEqual({ n: 1000, conversionRate: 0.03, revenuePerEntry: 2.4 });
    const conversion = diffOfProportions(540, 9000, 30, 1000);
    expect(result.incrementalConversion).toMatchObject({ ...conversion, verdict: "positive", reason: "interval_above_zero" });
    const perEntry = diffOfMeansPooledHoldoutVariance(treated.revenue, holdout.revenue);
    expect(result.incrementalRevenuePerEntry).toMatchObject({ ...perEntry, verdict: "positive" });
    expectClose(result.incrementalRevenueTotal.estimate, 2.4 * 9000, 1e-9);
    expectClose(result.incrementalRevenueTotal.low, perEntry.low * 9000, 1e-9);
    expectClose(result.incrementalRevenueTotal.high, perEntry.high * 9000, 1e-9);
    expect(result.verdict).toBe("positive");
    expect(result.confidence).toBe(0.95);
  });

  it("is inconclusive when the interval includes 0, negative when it lies below", () => {
    const same = holdoutResult(cohort(900, 45, 45 * 60, 45 * 60 * 60 * 2), cohort(100, 5, 5 * 60, 5 * 60 * 60 * 2));
    expect(same).toMatchObject({ verdict: "inconclusive", reason: "interval_includes_zero" });
    expect(same.incrementalConversion.verdict).toBe("inconclusive");
    const worse = holdoutResult(cohort(9000, 180, 180 * 80, 180 * 80 * 80 * 2), cohort(1000, 60, 60 * 80, 60 * 80 * 80 * 2));
    expect(worse).toMatchObject({ verdict: "negative", reason: "interval_below_zero" });
  });

  it("says too few below 30 entries or 5 conversions in either group, and still reports the intervals", () => {
    expect(holdoutResult(cohort(900, 45, 2700, 400000), cohort(29, 6, 300, 30000))).toMatchObject({
      verdict: "too_few",
      reason: "too_few_entries",
    });
    const thin = holdoutResult(cohort(900, 45, 2700, 400000), cohort(100, 4, 240, 30000));
    expect(thin).toMatchObject({ verdict: "too_few", reason: "too_few_conversions" });
    expect(thin.incrementalConversion.verdict).toBe("too_few");
    expect(Number.isFinite(thin.incrementalConversion.low)).toBe(true);
  });

  it("stays finite with an empty cohort", () => {
    const result = holdoutResult(cohort(0, 0, 0, 0), cohort(0, 0, 0, 0));
    expect(result.verdict).toBe("too_few");
    expect(result.incrementalRevenueTotal).toEqual({ estimate: 0, low: 0, high: 0 });
  });
});
