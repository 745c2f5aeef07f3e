import { inRollout } from "../journey/rollout";

/** The stages a new version moves through: share of new entrants on it, in percent. */
export const ROLLOUT_STAGES = [10, 50, 100] as const;
export type RolloutStagePercent = (typeof ROLLOUT_STAGES)[number];

/** One stage as stored (Flow.rolloutStages): it lasts until the next one starts. */
export interface StageRecord {
  percent: number;
  /** ISO time. */
  startedAt: string;
  /**
   * Started by the merchant resuming a halted rollout at the same percent: the check
   * judges only from here on, since the merchant overruled the evidence before it.
   */
  resumed?: boolean;
}

export function nextStage(percent: number): RolloutStagePercent | null {
  return ROLLOUT_STAGES.find((s) => s > percent) ?? null;
}

/** The stored stage list, or [] when it is missing or malformed. */
export function parseStages(value: unknown): StageRecord[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (s): s is StageRecord =>
      typeof s === "object" &&
      s !== null &&
      typeof (s as StageRecord).percent === "number" &&
      typeof (s as StageRecord).startedAt === "string",
  );
}

/** Each stage's window of entry times: from its start to the next stage's (the last one: to `until`). */
export function stageWindows(
  stages: readonly StageRecord[],
  until: number,
): { percent: number; from: number; to: number; resumed: boolean }[] {
  return stages.map((s, i) => ({
    percent: s.percent,
    resumed: s.resumed === true,
    from: Date.parse(s.startedAt),
    to: i + 1 < stages.length ? Date.parse(stages[i + 1]!.startedAt) : until,
  }));
}

/** The stages the automatic check judges: from the last resume on (all of them when never resumed). */
export function stagesSinceResume<T extends { resumed: boolean }>(stages: readonly T[]): T[] {
  const last = stages.map((s) => s.resumed).lastIndexOf(true);
  return stages.slice(Math.max(last, 0));
}

/** When the rollout was last resumed (ISO), or null: part of which rollout a halt was judged on. */
export function lastResumedAt(stages: readonly StageRecord[]): string | null {
  return [...stages].reverse().find((s) => s.resumed)?.startedAt ?? null;
}

export type EntryArm = "new" | "base";

/**
 * Which version a new entrant takes during a staged rollout: the new one when the
 * customer's rollout bucket is under the stage's percent and the rollout is not
 * halted, else the base (previous) version. The bucket depends only on customer and
 * flow, so a customer on the new version at 10 % stays on it at 50 % and 100 %.
 */
export function entryArm(customerId: string, flowId: string, rollout: { percent: number; halted: boolean }): EntryArm {
  if (rollout.halted) return "base";
  return inRollout(customerId, flowId, rollout.percent) ? "new" : "base";
}
