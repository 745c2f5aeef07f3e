import { Prisma } from "@prisma/client";
import {
  criteriaWith,
  haltReasonOf,
  rolloutThresholdsOf,
  judgeStage,
  nextStage,
  lastResumedAt,
  parseStages,
  stageWindows,
  stagesSinceResume,
  EMPTY_COUNTS,
  type HaltReason,
  type RolloutThresholds,
  type StageJudgement,
  type VersionCounts,
} from "~/domain/rollout";
import { now } from "../clock.server";
import { database, db } from "../db/client.server";
import { rawQueryOf } from "../db/sql/clients.server";
import { lockFlowRow, type LockedFlow } from "../db/sql/flows.server";
import { rolloutVersionCounts, runningRollouts } from "../db/sql/rollouts.server";
import { log } from "../log.server";
import { ROLLOUT_CLEARED } from "./flow-versions.server";
import { rollbackFlowIn } from "./flows.server";

// Staged rollout of a flow's new version: 10 % -> 50 % -> 100 % of new entrants, the
// others on the previous version (definitions.server.ts: entryVersion). Every change
// locks the flow's row (as appending a version does), checks the state it expects,
// and writes its audit row in the same transaction: a merchant's click, the automatic
// halt and a newly saved version are applied one after the other, never mixed.

export type RolloutChange =
  | { ok: true }
  | { ok: false; reason: "not_found" | "no_previous_version" | "already_staged" | "not_staged" | "halted" | "not_halted" | "stale" };

const FIRST_STAGE = 10;

async function change(
  shopId: string,
  flowId: string,
  fn: (tx: Prisma.TransactionClient, flow: LockedFlow, at: Date) => Promise<RolloutChange>,
): Promise<RolloutChange> {
  return db().$transaction(async (tx) => {
    const flow = await lockFlowRow(rawQueryOf(tx), shopId, flowId);
    if (!flow) return { ok: false, reason: "not_found" };
    return fn(tx, flow, now());
  });
}

function audit(
  tx: Prisma.TransactionClient,
  v: { shopId: string; flowId: string; actor: string; action: string; details: object; at: Date },
) {
  return tx.auditLog.create({
    data: {
      shopId: v.shopId,
      actor: v.actor,
      action: v.action,
      subjectType: "flow",
      subjectId: v.flowId,
      details: v.details,
      at: v.at,
    },
  });
}

/**
 * Which rollout a change was meant for: the two versions and when its first stage
 * started. The versions alone do not say it: a completed rollout started again over
 * the same two versions is another rollout, with other stage windows.
 */
export interface RolloutIdentity {
  versionId: string;
  baseVersionId: string;
  startedAt: string;
  /** The last resume: a halt judged before the merchant resumed does not land after it. */
  resumedAt: string | null;
}

function identityOf(f: {
  activeVersionId: string | null;
  rolloutBaseVersionId: string | null;
  rolloutStages: unknown;
}): RolloutIdentity | null {
  const stages = parseStages(f.rolloutStages);
  const first = stages[0];
  if (!f.activeVersionId || !f.rolloutBaseVersionId || !first) return null;
  return {
    versionId: f.activeVersionId,
    baseVersionId: f.rolloutBaseVersionId,
    startedAt: first.startedAt,
    resumedAt: lastResumedAt(stages),
  };
}

const sameRollout = (a: RolloutIdentity | null, b: RolloutIdentity) =>
  a !== null &&
  a.versionId === b.versionId &&
  a.baseVersionId === b.baseVersionId &&
  a.startedAt === b.startedAt &&
  a.resumedAt === b.resumedAt;

const stateOf = (f: LockedFlow) => ({
  versionId: f.activeVersionId,
  baseVersionId: f.rolloutBaseVersionId,
  percent: f.rolloutPercent,
  halted: f.rolloutHaltedAt !== null,
});

/** Stages the active version: 10 % of new entrants on it, the others on the version before it. */
export function startRollout(shopId: string, flowId: string, actor: string): Promise<RolloutChange> {
  return change(shopId, flowId, async (tx, flow, at) => {
    if (flow.rolloutBaseVersionId) return { ok: false, reason: "already_staged" };
    const active = flow.activeVersionId ? await tx.flowVersion.findFirst({ where: { id: flow.activeVersionId, shopId } }) : null;
    const base = active
      ? await tx.flowVersion.findFirst({ where: { flowId, shopId, version: { lt: active.version } }, orderBy: { version: "desc" } })
      : null;
    if (!active || !base) return { ok: false, reason: "no_previous_version" };
    await tx.flow.update({
      where: { id: flowId },
      data: {
        rolloutBaseVersionId: base.id,
        rolloutPercent: FIRST_STAGE,
        rolloutStages: [{ percent: FIRST_STAGE, startedAt: at.toISOString() }],
        rolloutHaltedAt: null,
        rolloutHaltReason: Prisma.DbNull,
      },
    });
    await audit(tx, {
      shopId,
      flowId,
      actor,
      action: "flow.rollout_started",
      details: {
        before: stateOf(flow),
        after: { versionId: active.id, version: active.version, baseVersionId: base.id, baseVersion: base.version, percent: FIRST_STAGE },
      },
      at,
    });
    return { ok: true };
  });
}

/**
 * The next stage (10 -> 50 -> 100). `from` is the stage the merchant saw and
 * `versionId` the version they saw staged: a second click, or a click on a page that
 * a newly saved version has outdated, changes nothing.
 */
export function advanceRollout(shopId: string, flowId: string, from: number, actor: string, versionId?: string): Promise<RolloutChange> {
  return change(shopId, flowId, async (tx, flow, at) => {
    if (!flow.rolloutBaseVersionId) return { ok: false, reason: "not_staged" };
    if (flow.rolloutHaltedAt) return { ok: false, reason: "halted" };
    const next = nextStage(flow.rolloutPercent);
    if (flow.rolloutPercent !== from || next === null) return { ok: false, reason: "stale" };
    if (versionId !== undefined && versionId !== flow.activeVersionId) return { ok: false, reason: "stale" };
    const stages = [...parseStages(flow.rolloutStages), { percent: next, startedAt: at.toISOString() }];
    await tx.flow.update({
      where: { id: flowId },
      data: { rolloutPercent: next, rolloutStages: stages as unknown as Prisma.InputJsonValue },
    });
    await audit(tx, {
      shopId,
      flowId,
      actor,
      action: "flow.rollout_advanced",
      details: { before: stateOf(flow), after: { percent: next } },
      at,
    });
    return { ok: true };
  });
}

/**
 * Halts the rollout: every new entrant takes the previous version. `expect`: the
 * rollout the check judged; a version saved, rolled back or a rollout completed and
 * started again since then ended that rollout, and this halt is not applied to the next one.
 */
export function haltRollout(
  shopId: string,
  flowId: string,
  actor: string,
  reason: HaltReason,
  expect?: RolloutIdentity,
): Promise<RolloutChange> {
  return change(shopId, flowId, async (tx, flow, at) => {
    if (!flow.rolloutBaseVersionId) return { ok: false, reason: "not_staged" };
    if (flow.rolloutHaltedAt) return { ok: false, reason: "halted" };
    if (expect && !sameRollout(identityOf(flow), expect)) return { ok: false, reason: "stale" };
    await tx.flow.update({
      where: { id: flowId },
      data: { rolloutHaltedAt: at, rolloutHaltReason: reason as unknown as Prisma.InputJsonValue },
    });
    await audit(tx, {
      shopId,
      flowId,
      actor,
      action: "flow.rollout_halted",
      details: { before: stateOf(flow), after: { halted: true }, reason },
      at,
    });
    return { ok: true };
  });
}

/**
 * The merchant resumes a halted rollout at its stage. The resume starts a new window
 * at the same percent: the check judges from there on, or it would halt again at once
 * on the evidence the merchant has just overruled.
 */
export function resumeRollout(shopId: string, flowId: string, actor: string): Promise<RolloutChange> {
  return change(shopId, flowId, async (tx, flow, at) => {
    if (!flow.rolloutBaseVersionId) return { ok: false, reason: "not_staged" };
    if (!flow.rolloutHaltedAt) return { ok: false, reason: "not_halted" };
    const current = await tx.flow.findUniqueOrThrow({ where: { id: flowId }, select: { rolloutHaltReason: true } });
    const stages = [...parseStages(flow.rolloutStages), { percent: flow.rolloutPercent, startedAt: at.toISOString(), resumed: true }];
    await tx.flow.update({
      where: { id: flowId },
      data: { rolloutHaltedAt: null, rolloutHaltReason: Prisma.DbNull, rolloutStages: stages as unknown as Prisma.InputJsonValue },
    });
    await audit(tx, {
      shopId,
      flowId,
      actor,
      action: "flow.rollout_resumed",
      details: { before: { ...stateOf(flow), haltReason: current.rolloutHaltReason }, after: { halted: false } },
      at,
    });
    return { ok: true };
  });
}

/** At 100 %: the rollout is over, the previous version is no longer entered or compared. */
export function completeRollout(shopId: string, flowId: string, actor: string): Promise<RolloutChange> {
  return change(shopId, flowId, async (tx, flow, at) => {
    if (!flow.rolloutBaseVersionId) return { ok: false, reason: "not_staged" };
    if (flow.rolloutHaltedAt) return { ok: false, reason: "halted" };
    if (flow.rolloutPercent < 100) return { ok: false, reason: "stale" };
    await tx.flow.update({ where: { id: flowId }, data: { ...ROLLOUT_CLEARED, rolloutPercent: 100 } });
    await audit(tx, {
      shopId,
      flowId,
      actor,
      action: "flow.rollout_completed",
      details: { before: stateOf(flow), after: { percent: 100 } },
      at,
    });
    return { ok: true };
  });
}

/**
 * Rolls back to the previous version: it becomes the active version again (as a new
 * version, so history stays linear), which ends the rollout; running enrollments keep
 * theirs. Checked and written under the flow's lock: a version saved since the
 * merchant's page (`versionId`: the version they saw staged) is not thrown away by a
 * rollback meant for the rollout before it.
 */
export function rollBackRollout(shopId: string, flowId: string, actor: string, versionId?: string): Promise<RolloutChange> {
  return change(shopId, flowId, async (tx, flow) => {
    if (!flow.rolloutBaseVersionId) return { ok: false, reason: "not_staged" };
    if (versionId !== undefined && versionId !== flow.activeVersionId) return { ok: false, reason: "stale" };
    const row = await tx.flow.findUniqueOrThrow({ where: { id: flowId }, select: { key: true } });
    const base = await tx.flowVersion.findFirstOrThrow({ where: { id: flow.rolloutBaseVersionId, shopId }, select: { version: true } });
    await rollbackFlowIn(tx, { shopId, flowId, key: row.key, toVersion: base.version, actor });
    return { ok: true };
  });
}

export interface StageResult {
  percent: number;
  resumed: boolean;
  from: Date;
  to: Date;
  current: boolean;
  counts: { new: VersionCounts; base: VersionCounts };
  judgement: StageJudgement;
}

export interface RolloutJudgement extends RolloutIdentity {
  stages: StageResult[];
  /** The shop's thresholds the stages were judged by (Settings; the defaults unless changed). */
  thresholds: RolloutThresholds;
}

/** Each stage's go/no-go criteria, from the raw rows of its window (shop-scoped); null without a rollout. */
export async function judgeRollout(shopId: string, flowId: string, at: Date): Promise<RolloutJudgement | null> {
  const flow = await db().flow.findFirst({
    where: { id: flowId, shopId },
    select: { activeVersionId: true, rolloutBaseVersionId: true, rolloutStages: true, shop: { select: { settings: true } } },
  });
  const identity = flow ? identityOf(flow) : null;
  if (!flow?.activeVersionId || !flow.rolloutBaseVersionId || !identity) return null;
  const versionIds = [flow.activeVersionId, flow.rolloutBaseVersionId];
  const thresholds = rolloutThresholdsOf(flow.shop.settings);
  const rules = criteriaWith(thresholds);
  const windows = stageWindows(parseStages(flow.rolloutStages), at.getTime());
  const stages: StageResult[] = [];
  for (const [i, w] of windows.entries()) {
    const counts = await rolloutVersionCounts(database().query, {
      shopId,
      flowId,
      versionIds,
      from: new Date(w.from),
      to: new Date(w.to),
      until: at,
    });
    const fresh = counts.get(flow.activeVersionId) ?? EMPTY_COUNTS;
    const base = counts.get(flow.rolloutBaseVersionId) ?? EMPTY_COUNTS;
    stages.push({
      percent: w.percent,
      resumed: w.resumed,
      from: new Date(w.from),
      to: new Date(w.to),
      current: i === windows.length - 1,
      counts: { new: fresh, base },
      judgement: judgeStage(fresh, base, rules),
    });
  }
  return { ...identity, stages, thresholds };
}

/** A breached rollout the check will halt: the reason, and the rollout it was judged on. */
export interface HaltProposal {
  shopId: string;
  flowId: string;
  reason: HaltReason;
  rollout: RolloutIdentity;
}

/**
 * The check's first half, reads only: every running rollout judged; a breached
 * criterion (in any stage since the last resume: late bounces of the 10 % stage count at 50 %) gives
 * a halt with the criterion, both values and the threshold as its reason.
 */
export async function breachedRollouts(at: Date): Promise<{ checked: number; breached: HaltProposal[] }> {
  const flows = await runningRollouts(database().query);
  const breached: HaltProposal[] = [];
  for (const f of flows) {
    const judged = await judgeRollout(f.shopId, f.id, at);
    const reason = judged ? haltReasonOf(stagesSinceResume(judged.stages), at.toISOString()) : null;
    if (!judged || !reason) continue;
    const { stages: _, thresholds: __, ...rollout } = judged;
    breached.push({ shopId: f.shopId, flowId: f.id, reason, rollout });
  }
  return { checked: flows.length, breached };
}

/**
 * The check's second half, under the flow's lock: halts the rollout judged, unless the
 * merchant changed it meanwhile (a new version, a rollback, a rollout completed and
 * started again: "stale"; halted already: "halted"). Judging takes a while and locks
 * nothing, so the merchant's clicks are never kept waiting behind it.
 */
export async function haltBreached(p: HaltProposal): Promise<RolloutChange> {
  const r = await haltRollout(p.shopId, p.flowId, "system", p.reason, p.rollout);
  if (r.ok) log.warn("staged rollout halted", { shopId: p.shopId, flowId: p.flowId, criterion: p.reason.criterion, stage: p.reason.stage });
  return r;
}

/** The worker's go/no-go check: judge every running rollout, halt the breached ones. */
export async function checkRunningRollouts(at: Date = now()): Promise<{ checked: number; halted: number }> {
  const { checked, breached } = await breachedRollouts(at);
  let halted = 0;
  for (const p of breached) if ((await haltBreached(p)).ok) halted++;
  return { checked, halted };
}
