import { applySettingsChange, type ExperimentMetricName, type ExperimentSettings } from "~/domain/experiments";
import { now } from "../clock.server";
import { db } from "../db/client.server";

export class ExperimentSettingsError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join("\n"));
    this.name = "ExperimentSettingsError";
  }
}

/**
 * Changes what decides a running experiment: the metric and the winner rule's
 * thresholds (any subset, validated). The next daily evaluation applies them; a
 * concluded experiment cannot change. Audited. Throws ExperimentSettingsError with
 * readable messages on invalid input.
 */
export async function updateExperimentSettings(
  shopId: string,
  experimentId: string,
  change: unknown,
  actor: string,
): Promise<ExperimentSettings> {
  return db().$transaction(async (tx) => {
    const e = await tx.experiment.findFirst({ where: { id: experimentId, shopId } });
    if (!e) throw new ExperimentSettingsError(["experiment: not found"]);
    if (e.status !== "running") throw new ExperimentSettingsError(["experiment: already concluded"]);
    const current: ExperimentSettings = {
      metric: e.metric as ExperimentMetricName,
      minSample: e.minSample,
      minProbability: e.minProbability,
      minDays: e.minDays,
      maxDays: e.maxDays,
    };
    const r = applySettingsChange(current, change);
    if (!r.ok) throw new ExperimentSettingsError(r.errors);
    // Conditional: an evaluation concluding it meanwhile (it holds the row) wins.
    const updated = await tx.experiment.updateMany({ where: { id: e.id, shopId, status: "running" }, data: r.settings });
    if (updated.count === 0) throw new ExperimentSettingsError(["experiment: already concluded"]);
    await tx.auditLog.create({
      data: {
        shopId,
        actor,
        action: "experiment.settings_changed",
        subjectType: "experiment",
        subjectId: e.id,
        details: { flowId: e.flowId, stepId: e.stepId, before: { ...current }, after: { ...r.settings } },
        at: now(),
      },
    });
    return r.settings;
  });
}
