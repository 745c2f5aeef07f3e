// The A/B winner rule's gates, one at a time (its false-winner rate under daily looks is simulated in ab-rule-daily.test.ts).
import { describe, expect, it } from "vitest";
import { evaluateExperiment, probBBeatsA, type ExperimentInput, type VariantFigures } from "~/domain/stats";

const variant = (key: string, recipients: number, conversions: number, clicks = 0): VariantFigures => ({
  key,
  recipients,
  clicks,
  conversions,
  revenue: { n: conversions, sum: conversions * 50, sumSq: conversions * 50 * 50 * 3 },
});

const base = (variants: VariantFigures[], overrides: Partial<ExperimentInput> = {}): ExperimentInput => ({
  metric: "conversion_rate",
  controlKey: "a",
  variants,
  daysRunning: 14,
  minSample: 500,
  minProbability: 0.9,
  minDays: 7,
  maxDays: 42,
  ...overrides,
});

// B converts at 6% against A's 3% on 4,000 each: clear by any standard.
const clear = [variant("a", 4000, 120), variant("b", 4000, 240)];

describe("evaluateExperiment", () => {
  it("declares a clear winner once every gate is passed, with per-variant figures", () => {
    const result = evaluateExperiment(base(clear));
    expect(result).toMatchObject({ winner: "b", concluded: true, reason: "winner_found" });
    const [a, b] = result.perVariant;
    expect(a).toMatchObject({ key: "a", isControl: true, probBeatControl: 0.5, diffVsControl: null, msprtPValue: null });
    expect(b!.probBeatControl).toBeCloseTo(probBBeatsA({ x: 120, n: 4000 }, { x: 240, n: 4000 }), 12);
    expect(b!.value.estimate).toBeCloseTo(0.06, 12);
    expect(b!.diffVsControl!.estimate).toBeCloseTo(0.03, 12);
    expect(b!.msprtPValue).toBeLessThan(0.1);
    expect(b!.expectedLoss).toBeLessThan(1e-6);
    expect(a!.expectedLoss).toBeGreaterThan(0.02);
  });

  it("waits for the minimum sample in every variant, then for the minimum days", () => {
    expect(evaluateExperiment(base([variant("a", 499, 10), variant("b", 4000, 240)]))).toMatchObject({
      winner: null,
      reason: "below_min_sample",
    });
    expect(evaluateExperiment(base(clear, { daysRunning: 6 }))).toMatchObject({ winner: null, concluded: false, reason: "below_min_days" });
  });

  it("needs the sequential test as well as the probability: 90% to beat control alone is not enough", () => {
    // About 95% probability to beat control, but an mSPRT p-value far above 10%.
    const result = evaluateExperiment(base([variant("a", 2000, 60), variant("b", 2000, 80)]));
    expect(result.perVariant[1]!.probBest).toBeGreaterThan(0.9);
    expect(result.perVariant[1]!.msprtPValue).toBeGreaterThan(0.1);
    expect(result).toMatchObject({ winner: null, concluded: false, reason: "no_winner_yet" });
  });

  it("concludes without a winner at the maximum duration, keeping the control", () => {
    const tie = [variant("a", 9000, 270), variant("b", 9000, 272)];
    expect(evaluateExperiment(base(tie, { daysRunning: 42 }))).toMatchObject({
      winner: null,
      concluded: true,
      reason: "max_days_no_winner",
    });
  });

  it("lets the control win early only if it beats every challenger", () => {
    const controlBest = [variant("a", 4000, 240), variant("b", 4000, 120), variant("c", 4000, 110)];
    expect(evaluateExperiment(base(controlBest)).winner).toBe("a");
    const oneClose = [variant("a", 4000, 240), variant("b", 4000, 120), variant("c", 4000, 225)];
    expect(evaluateExperiment(base(oneClose)).winner).toBeNull();
  });

  it("reads the metric asked for: clicks for click rate, revenue per recipient for revenue", () => {
    const clicks = [variant("a", 4000, 100, 200), variant("b", 4000, 100, 320)];
    expect(evaluateExperiment(base(clicks, { metric: "click_rate" })).winner).toBe("b");
    expect(evaluateExperiment(base(clicks)).winner).toBeNull();
    const revenue = evaluateExperiment(base(clear, { metric: "revenue_per_recipient" }));
    expect(revenue.perVariant[1]!.value.estimate).toBeCloseTo((240 * 50) / 4000, 12);
    expect(revenue.winner).toBe("b");
  });

  it("refuses a control that is not among the variants", () => {
    expect(() => evaluateExperiment(base(clear, { controlKey: "z" }))).toThrow(RangeError);
  });
});
