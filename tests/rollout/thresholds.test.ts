// A shop's go/no-go thresholds as read from Shop.settings and applied to the criteria.
import { describe, expect, it } from "vitest";
import { CRITERIA, criteriaWith, DEFAULT_ROLLOUT_THRESHOLDS, EMPTY_COUNTS, judgeStage, rolloutThresholdsOf } from "~/domain/rollout";

describe("rollout thresholds", () => {
  it("the defaults are the criteria's own constants", () => {
    expect(DEFAULT_ROLLOUT_THRESHOLDS).toEqual({ sendErrors: 0.02, bounces: 0.02, complaints: 0.003, unsubscribes: 0.01, clicks: 0.7 });
    expect(criteriaWith(DEFAULT_ROLLOUT_THRESHOLDS).map((c) => c.threshold)).toEqual(CRITERIA.map((c) => c.threshold));
  });

  it("reads each stored threshold in bounds, and the default for one missing, malformed or out of bounds", () => {
    expect(rolloutThresholdsOf(null)).toEqual(DEFAULT_ROLLOUT_THRESHOLDS);
    expect(rolloutThresholdsOf({ experiments: {} })).toEqual(DEFAULT_ROLLOUT_THRESHOLDS);
    expect(
      rolloutThresholdsOf({ rolloutThresholds: { sendErrors: 0.005, bounces: 0, complaints: "0.01", unsubscribes: 0.5, clicks: 0.9 } }),
    ).toEqual({ ...DEFAULT_ROLLOUT_THRESHOLDS, sendErrors: 0.005, clicks: 0.9 });
  });

  it("judges by the given thresholds: the same counts pass the default and breach a stricter one", () => {
    const fresh = { ...EMPTY_COUNTS, entered: 200, attempted: 200, sent: 197, failed: 3 };
    const base = { ...EMPTY_COUNTS, entered: 200, attempted: 200, sent: 200 };
    const state = (t: typeof DEFAULT_ROLLOUT_THRESHOLDS) =>
      judgeStage(fresh, base, criteriaWith(t)).criteria.find((c) => c.key === "sendErrors")!.state;
    expect(state(DEFAULT_ROLLOUT_THRESHOLDS)).toBe("pass");
    expect(state({ ...DEFAULT_ROLLOUT_THRESHOLDS, sendErrors: 0.01 })).toBe("breach");
  });
});
