// The merchant's warm-up ramp: the days it gives, the bounds its form keeps, and the
// errors it reports next to the field they concern.
import { describe, expect, it } from "vitest";
import { WarmupForm } from "~/domain/sending/settings-schema";
import { DEFAULT_WARMUP_PLAN, DEFAULT_WARMUP_RAMP, rampDayNumber, rampPlan, warmupAllowance } from "~/domain/sending/warmup";

const errorsOf = (form: Record<string, string>) => {
  const r = WarmupForm.safeParse(form);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe("warm-up ramp", () => {
  it("the default ramp is the plan the dispatcher has always enforced", () => {
    expect(DEFAULT_WARMUP_PLAN).toEqual([50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600]);
    expect(rampPlan(DEFAULT_WARMUP_RAMP)).toEqual(DEFAULT_WARMUP_PLAN);
  });

  it("grows by the factor, rounded, and ends on the day it reaches the target (capped at it)", () => {
    expect(rampPlan({ firstDay: 100, growth: 1.5, target: 1000 })).toEqual([100, 150, 225, 338, 506, 759, 1000]);
    expect(rampPlan({ firstDay: 40, growth: 3, target: 40 })).toEqual([40]);
  });

  it("keeps the day count: day N of a running ramp is the new plan's N-th figure", () => {
    expect(rampDayNumber("2026-12-07", "2026-12-08")).toBe(2);
    expect(warmupAllowance(rampPlan({ firstDay: 30, growth: 1.5, target: 500 }), "2026-12-07", "2026-12-08")).toBe(45);
  });

  it("reads the form: default without fields, a custom ramp with decimal commas and grouped thousands", () => {
    expect(WarmupForm.parse({ warmup: "start" })).toEqual({ warmup: "start", ramp: DEFAULT_WARMUP_RAMP });
    expect(WarmupForm.parse({ warmup: "save", plan: "custom", firstDay: "30", growth: "1,5", target: "25 000" })).toEqual({
      warmup: "save",
      ramp: { firstDay: 30, growth: 1.5, target: 25_000 },
    });
    expect(WarmupForm.parse({ warmup: "stop", plan: "custom", firstDay: "" })).toMatchObject({ warmup: "stop" });
  });

  it("refuses what is out of bounds, each error on its own field", () => {
    const base = { warmup: "save", plan: "custom", firstDay: "50", growth: "2", target: "10000" };
    expect(errorsOf(base)).toEqual({});
    expect(errorsOf({ ...base, firstDay: "5" })).toEqual({ firstDay: "warmupPlan.error.firstDay" });
    expect(errorsOf({ ...base, firstDay: "1.5" })).toEqual({ firstDay: "warmupPlan.error.whole" });
    expect(errorsOf({ ...base, growth: "1" })).toEqual({ growth: "warmupPlan.error.growth" });
    expect(errorsOf({ ...base, growth: "1.555" })).toEqual({ growth: "warmupPlan.error.growth" });
    expect(errorsOf({ ...base, target: "20" })).toEqual({ target: "warmupPlan.error.targetBelowFirst" });
    expect(errorsOf({ ...base, target: "20000000" })).toEqual({ target: "warmupPlan.error.target" });
    // 10 -> 10,000,000 at x1.1: far more than 60 days.
    expect(errorsOf({ ...base, firstDay: "10", growth: "1.1", target: "10000000" })).toEqual({ growth: "warmupPlan.error.tooLong" });
    expect(rampPlan({ firstDay: 10, growth: 1.1, target: 10_000_000 })).toHaveLength(61);
    expect(errorsOf({ warmup: "drop" })).toHaveProperty("warmup");
  });
});
