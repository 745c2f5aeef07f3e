import type { ExperimentEvaluation } from "../stats";

/**
 * The change-log line of the version an experiment's winner makes, e.g.
 * "A/B test on step welcome_1: variant b won, P(beats control)=0.94 after 1200 recipients".
 */
export function winnerChangeNote(stepId: string, evaluation: ExperimentEvaluation): string {
  const winner = evaluation.perVariant.find((v) => v.key === evaluation.winner);
  if (!winner) throw new Error("the evaluation has no winner");
  const recipients = evaluation.perVariant.reduce((n, v) => n + v.recipients, 0);
  const odds = winner.isControl ? `P(best)=${winner.probBest.toFixed(2)}` : `P(beats control)=${winner.probBeatControl.toFixed(2)}`;
  const who = winner.isControl ? `variant ${winner.key} (control)` : `variant ${winner.key}`;
  return `A/B test on step ${stepId}: ${who} won, ${odds} after ${recipients} recipients`;
}
