import type { Prisma } from "@prisma/client";
import { promoteWinner, testedSteps, winnerChangeNote, type ExperimentMetricName } from "~/domain/experiments";
import { parseFlowDefinition, validateFlowDefinition, formatValidationErrors } from "~/domain/journey";
import { shopDay } from "~/domain/measurement/shop-day";
import { evaluateExperiment, type ExperimentEvaluation, type VariantFigures } from "~/domain/stats";
import { now } from "../clock.server";
import { database, db } from "../db/client.server";
import { rawQueryOf } from "../db/sql/clients.server";
import {
  activeVersionsWithoutExperiments,
  claimDueExperiment,
  experimentTimeZones,
  variantRollups,
  type DueExperiment,
} from "../db/sql/experiments.server";
import { retryTransientConflicts } from "../db/transient-conflict.server";
import { appendFlowVersion } from "../journeys/flow-versions.server";
import { log } from "../log.server";
import { startExperiments } from "./experiment-rows.server";
import { lockFlowRow } from "../db/sql/flows.server";

/** Who the versions an experiment's winner makes are by, in the change log and the audit log. */
export const EXPERIMENTS_ACTOR = "system:experiments";
const DAY = 86_400_000;
/** Experiments evaluated in one pass at most; the rest wait for the next pass (minutes later). */
const PASS_LIMIT = 200;

export type EvaluationOutcome = "evaluated" | "promoted" | "ended" | "superseded" | "failed";

export interface EvaluationPass {
  started: number;
  outcomes: { experimentId: string; outcome: EvaluationOutcome }[];
}

/**
 * The daily evaluation, as the worker's `experiments` task runs it every few minutes:
 * each running experiment is evaluated once per shop-local day, from the figures the
 * FlowDaily rollup keeps per step and variant since the experiment started. A winner
 * (by the rule in evaluateExperiment) concludes the experiment and becomes the step's
 * content in a new version of the flow, which new enrollments start on (running ones
 * keep theirs); at maxDays without a winner the experiment ends and the control stays.
 */
export async function evaluateDueExperiments(at: Date = now()): Promise<EvaluationPass> {
  const started = await startMissingExperiments(at);
  const outcomes: EvaluationPass["outcomes"] = [];
  for (const timeZone of await experimentTimeZones(database().query)) {
    const today = shopDay(at, timeZone);
    while (outcomes.length < PASS_LIMIT) {
      const done = await evaluateNext(timeZone, today, at);
      if (!done) break;
      outcomes.push(done);
    }
  }
  return { started, outcomes };
}

/** Evaluates one due experiment of the zone in its own transaction; null when none is due. */
async function evaluateNext(timeZone: string, today: Date, at: Date): Promise<EvaluationPass["outcomes"][number] | null> {
  let claimed: DueExperiment | null = null;
  try {
    return await retryTransientConflicts("experiment evaluation", () =>
      db().$transaction(
        async (tx) => {
          claimed = await claimDueExperiment(rawQueryOf(tx), timeZone, today);
          if (!claimed) return null;
          return { experimentId: claimed.id, outcome: await evaluate(tx, claimed, today, at) };
        },
        { timeout: 60_000 },
      ),
    );
  } catch (err) {
    const e = claimed as DueExperiment | null;
    if (!e) throw err;
    // An experiment that cannot be evaluated (a definition or figures the rule refuses)
    // must not hold up the others: the failure is its result for the day, tried again
    // tomorrow. If the database is what failed, this write fails too and the task backs off.
    const message = err instanceof Error ? err.message : String(err);
    log.warn("experiment evaluation failed", { experimentId: e.id, shopId: e.shopId, error: message.slice(0, 300) });
    await db().experiment.updateMany({
      // Unless another worker evaluated it meanwhile.
      where: { id: e.id, shopId: e.shopId, status: "running", OR: [{ evaluatedOn: null }, { evaluatedOn: { lt: today } }] },
      data: { evaluatedOn: today, result: { reason: "evaluation_failed", error: message.slice(0, 1000), at: at.toISOString() } },
    });
    return { experimentId: e.id, outcome: "failed" };
  }
}

async function evaluate(tx: Prisma.TransactionClient, e: DueExperiment, today: Date, at: Date): Promise<EvaluationOutcome> {
  if (e.activeVersionId !== e.flowVersionId) {
    // Another version became active without ending this one (it always should): a winner
    // here would overwrite the newer version, so the experiment ends as superseded.
    await conclude(tx, e, today, at, { reason: "superseded", byVersionId: e.activeVersionId });
    return "superseded";
  }
  const version = await tx.flowVersion.findFirstOrThrow({ where: { id: e.flowVersionId, shopId: e.shopId } });
  const definition = parseFlowDefinition(version.definition);
  const tested = testedSteps(definition).find((t) => t.stepId === e.stepId);
  if (!tested) {
    await conclude(tx, e, today, at, { reason: "step_not_tested" });
    return "ended";
  }
  const timeZone = (await tx.shop.findUniqueOrThrow({ where: { id: e.shopId }, select: { timezone: true } })).timezone;
  const since = shopDay(e.startedAt, timeZone);
  const figures = await variantFigures(
    tx,
    e,
    tested.measuredSteps,
    tested.variants.map((v) => v.key),
    since,
  );
  const daysRunning = Math.round((today.getTime() - since.getTime()) / DAY);
  const evaluation = evaluateExperiment({
    metric: e.metric as ExperimentMetricName,
    controlKey: e.controlKey,
    variants: figures,
    daysRunning,
    minSample: e.minSample,
    minProbability: e.minProbability,
    minDays: e.minDays,
    maxDays: e.maxDays,
  });
  const result = { evaluatedOn: isoDay(today), daysRunning, figures, evaluation };

  if (evaluation.winner !== null) return promote(tx, e, definition, evaluation, result, today, at);
  if (evaluation.concluded) {
    await conclude(tx, e, today, at, result);
    return "ended";
  }
  await tx.experiment.update({ where: { id: e.id }, data: { evaluatedOn: today, result: json(result) } });
  return "evaluated";
}

/** The winner becomes the step's content in a new active version of the flow, with its change note and an audit row. */
async function promote(
  tx: Prisma.TransactionClient,
  e: DueExperiment,
  definition: ReturnType<typeof parseFlowDefinition>,
  evaluation: ExperimentEvaluation,
  result: Record<string, unknown>,
  today: Date,
  at: Date,
): Promise<EvaluationOutcome> {
  const winner = evaluation.winner!;
  const check = validateFlowDefinition(promoteWinner(definition, e.stepId, winner));
  if (!check.ok) {
    // Cannot happen for a valid definition (promotion only removes choices); if it does,
    // the flow stays as it is and the result says why.
    await conclude(tx, e, today, at, { ...result, reason: "winner_not_applicable", errors: formatValidationErrors(check.errors) });
    return "ended";
  }
  const changeNote = winnerChangeNote(e.stepId, evaluation);
  const version = await appendFlowVersion(tx, {
    shopId: e.shopId,
    flowId: e.flowId,
    definition: check.definition,
    changeNote,
    createdBy: EXPERIMENTS_ACTOR,
    at,
  });
  await tx.experiment.update({
    where: { id: e.id },
    data: { status: "concluded", winner, winnerVersionId: version.id, endedAt: at, evaluatedOn: today, result: json(result) },
  });
  await tx.auditLog.create({
    data: {
      shopId: e.shopId,
      actor: EXPERIMENTS_ACTOR,
      action: "experiment.winner_promoted",
      subjectType: "flow",
      subjectId: e.flowId,
      details: { key: e.flowKey, experimentId: e.id, stepId: e.stepId, winner, version: version.version, note: changeNote },
      at,
    },
  });
  return "promoted";
}

async function conclude(tx: Prisma.TransactionClient, e: DueExperiment, today: Date, at: Date, result: Record<string, unknown>) {
  await tx.experiment.update({
    where: { id: e.id },
    data: { status: "concluded", winner: null, endedAt: at, evaluatedOn: today, result: json(result) },
  });
}

/** Each variant's figures: its rows of the measuring sends, summed (zeros before its first send). */
async function variantFigures(
  tx: Prisma.TransactionClient,
  e: DueExperiment,
  stepIds: string[],
  keys: string[],
  since: Date,
): Promise<VariantFigures[]> {
  const rows = await variantRollups(rawQueryOf(tx), { shopId: e.shopId, flowId: e.flowId, stepIds, variants: keys, since });
  return keys.map((key) => {
    const mine = rows.filter((r) => r.variant === key);
    const sum = (f: (r: (typeof rows)[number]) => number) => mine.reduce((s, r) => s + f(r), 0);
    const recipients = sum((r) => r.sent);
    return {
      key,
      recipients,
      clicks: sum((r) => r.clicked),
      conversions: sum((r) => r.attributedOrders),
      revenue: { n: recipients, sum: sum((r) => r.attributedRevenue), sumSq: sum((r) => r.attributedRevenueSq) },
    };
  });
}

/** Starts the experiments of active versions that have none (see activeVersionsWithoutExperiments). */
async function startMissingExperiments(at: Date): Promise<number> {
  const missing = await activeVersionsWithoutExperiments(database().query, 50);
  let started = 0;
  for (const m of missing) {
    const check = validateFlowDefinition(m.definition);
    if (!check.ok) {
      log.warn("active flow version does not validate; its A/B tests are not started", { shopId: m.shopId, versionId: m.versionId });
      continue;
    }
    await db().$transaction(async (tx) => {
      const flow = await lockFlowRow(rawQueryOf(tx), m.shopId, m.flowId);
      if (flow?.activeVersionId !== m.versionId) return; // replaced meanwhile: that version started its own
      await startExperiments(tx, { ...m, definition: check.definition, at });
      started++;
    });
  }
  return started;
}

function isoDay(day: Date): string {
  return day.toISOString().slice(0, 10);
}

function json(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
