import { describe, expect, it } from "vitest";
import { inRollout } from "~/domain/journey/rollout";
import {
  CRITERIA,
  EMPTY_COUNTS,
  entryArm,
  haltReasonOf,
  judgeCriterion,
  judgeStage,
  nextStage,
  lastResumedAt,
  parseStages,
  stagesSinceResume,
  stageWindows,
  type VersionCounts,
} from "~/domain/rollout";

const rule = (key: string) => CRITERIA.find((c) => c.key === key)!;
const counts = (over: Partial<VersionCounts>): VersionCounts => ({ ...EMPTY_COUNTS, ...over });

describe("staged rollout: the entry split", () => {
  const ids = Array.from({ length: 4000 }, (_, i) => `customer-${i}`);

  it("is deterministic per customer and flow, and a customer on the new version at 10 % stays on it at 50 % and 100 %", () => {
    for (const id of ids) {
      const at10 = entryArm(id, "flow-1", { percent: 10, halted: false });
      expect(entryArm(id, "flow-1", { percent: 10, halted: false })).toBe(at10);
      if (at10 === "new") {
        expect(entryArm(id, "flow-1", { percent: 50, halted: false })).toBe("new");
        expect(entryArm(id, "flow-1", { percent: 100, halted: false })).toBe("new");
      }
      expect(at10 === "new").toBe(inRollout(id, "flow-1", 10));
    }
  });

  it("sends about the stage's share to the new version, everyone while at 100 %, nobody while halted", () => {
    const share = (percent: number) => ids.filter((id) => entryArm(id, "flow-1", { percent, halted: false }) === "new").length / ids.length;
    expect(share(10)).toBeGreaterThan(0.08);
    expect(share(10)).toBeLessThan(0.12);
    expect(share(50)).toBeGreaterThan(0.47);
    expect(share(50)).toBeLessThan(0.53);
    expect(share(100)).toBe(1);
    expect(ids.filter((id) => entryArm(id, "flow-1", { percent: 100, halted: true }) === "new")).toEqual([]);
  });

  it("moves 10 -> 50 -> 100 and no further", () => {
    expect([nextStage(10), nextStage(50), nextStage(100)]).toEqual([50, 100, null]);
  });

  it("reads each stage's window from the stored list, the last one open until now", () => {
    const stages = parseStages([
      { percent: 10, startedAt: "2026-12-01T10:00:00.000Z" },
      { percent: 50, startedAt: "2026-12-02T10:00:00.000Z" },
      { nonsense: true },
    ]);
    expect(stageWindows(stages, Date.parse("2026-12-03T10:00:00.000Z"))).toEqual([
      { percent: 10, resumed: false, from: Date.parse("2026-12-01T10:00:00.000Z"), to: Date.parse("2026-12-02T10:00:00.000Z") },
      { percent: 50, resumed: false, from: Date.parse("2026-12-02T10:00:00.000Z"), to: Date.parse("2026-12-03T10:00:00.000Z") },
    ]);
    expect(parseStages(null)).toEqual([]);
  });

  it("judges from the last resume on; never resumed, every stage", () => {
    const stages = parseStages([
      { percent: 10, startedAt: "2026-12-01T10:00:00.000Z" },
      { percent: 50, startedAt: "2026-12-02T10:00:00.000Z" },
      { percent: 50, startedAt: "2026-12-02T12:00:00.000Z", resumed: true },
      { percent: 100, startedAt: "2026-12-03T10:00:00.000Z" },
    ]);
    const windows = stageWindows(stages, Date.parse("2026-12-04T10:00:00.000Z"));
    expect(stagesSinceResume(windows).map((w) => [w.percent, w.resumed])).toEqual([
      [50, true],
      [100, false],
    ]);
    expect(lastResumedAt(stages)).toBe("2026-12-02T12:00:00.000Z");
    expect(stagesSinceResume(windows.slice(0, 2))).toHaveLength(2);
    expect(lastResumedAt(stages.slice(0, 2))).toBeNull();
  });
});

describe("staged rollout: go/no-go criteria", () => {
  it("judges nothing below the minimum sample of either version", () => {
    const fresh = counts({ attempted: 19, sent: 10, failed: 9 });
    const base = counts({ attempted: 200, sent: 200 });
    expect(judgeCriterion(rule("sendErrors"), fresh, base).state).toBe("not_enough_data");
    expect(judgeCriterion(rule("sendErrors"), base, fresh).state).toBe("not_enough_data");
  });

  it("breaches send errors when the new version fails beyond previous + 2 points and beyond chance", () => {
    const r = judgeCriterion(rule("sendErrors"), counts({ attempted: 50, sent: 40, failed: 10 }), counts({ attempted: 50, sent: 50 }));
    expect(r).toMatchObject({ state: "breach", newValue: 0.2, baseValue: 0, newSample: 50, baseSample: 50, limit: 0.02 });
  });

  it("passes a difference within the threshold, and one beyond it that chance explains (one failure in 20)", () => {
    expect(judgeCriterion(rule("bounces"), counts({ attempted: 100, bounced: 3 }), counts({ attempted: 100, bounced: 2 })).state).toBe(
      "pass",
    );
    expect(judgeCriterion(rule("bounces"), counts({ attempted: 20, bounced: 1 }), counts({ attempted: 20 })).state).toBe("pass");
  });

  it("judges clicks the other way: the new version must keep 70 % of the previous click rate", () => {
    const low = judgeCriterion(rule("clicks"), counts({ sent: 400, clicked: 8 }), counts({ sent: 400, clicked: 40 }));
    expect(low).toMatchObject({ state: "breach", newValue: 0.02, baseValue: 0.1 });
    expect(low.limit).toBeCloseTo(0.07);
    expect(judgeCriterion(rule("clicks"), counts({ sent: 400, clicked: 60 }), counts({ sent: 400, clicked: 40 })).state).toBe("pass");
  });

  it("gives a stage go only when every criterion passes, no-go on any breach, and the first breach as the halt reason", () => {
    const healthy = counts({ entered: 300, attempted: 300, sent: 300, clicked: 30 });
    expect(judgeStage(healthy, healthy).verdict).toBe("go");
    expect(judgeStage(counts({ attempted: 30, sent: 30 }), counts({ attempted: 30, sent: 30 })).verdict).toBe("waiting");
    const unsubscribing = counts({ ...healthy, unsubscribed: 30 });
    const stage = judgeStage(unsubscribing, healthy);
    expect(stage.verdict).toBe("no_go");
    expect(
      haltReasonOf(
        [
          { percent: 10, judgement: judgeStage(healthy, healthy) },
          { percent: 50, judgement: stage },
        ],
        "2026-12-07T10:00:00.000Z",
      ),
    ).toEqual({
      by: "check",
      stage: 50,
      criterion: "unsubscribes",
      newValue: 0.1,
      baseValue: 0,
      newSample: 300,
      baseSample: 300,
      threshold: { kind: "points", value: 0.01 },
      limit: 0.01,
      at: "2026-12-07T10:00:00.000Z",
    });
    expect(haltReasonOf([{ percent: 10, judgement: judgeStage(healthy, healthy) }], "x")).toBeNull();
  });
});
