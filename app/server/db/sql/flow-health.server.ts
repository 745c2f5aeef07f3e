import type { RawQuery } from "./clients.server";

// Per flow of one shop: how late its due journey steps are, and what its decisions of
// the last hour were. Bounded: at most `cap` due enrollments and `cap` decisions are read.

export interface FlowLagRow {
  flowId: string;
  due: number;
  /** Seconds the oldest due step has waited. */
  age: number;
}

export async function flowLags(q: RawQuery, shopId: string, at: Date, cap: number): Promise<FlowLagRow[]> {
  const rows = await q<FlowLagRow>(
    `SELECT "flowId", count(*)::int AS due, EXTRACT(EPOCH FROM ($2::timestamp - min("nextWakeAt")))::float8 AS age
     FROM (SELECT "flowId", "nextWakeAt" FROM "Enrollment"
           WHERE "shopId" = $1 AND status = 'active' AND "nextWakeAt" <= $2::timestamp LIMIT $3) e
     GROUP BY "flowId"`,
    [shopId, at.toISOString(), cap],
  );
  return rows.map((r) => ({ flowId: r.flowId, due: Number(r.due), age: Math.max(0, Number(r.age)) }));
}

export interface FlowDecisionRow {
  flowId: string;
  decisions: number;
  sends: number;
  skips: number;
  /** Skips because a send failed (render, provider, unknown outcome, hard bounce). */
  errors: number;
}

/** Reasons a "skip" Decision records when the send itself went wrong, not a rule. */
export const SEND_ERROR_REASONS = ["send_failed", "render_failed", "outcome_unknown", "hard_bounce", "sms_channel_unavailable"];

export async function flowDecisions(q: RawQuery, shopId: string, since: Date, cap: number): Promise<FlowDecisionRow[]> {
  const rows = await q<FlowDecisionRow>(
    `SELECT "flowId",
            count(*)::int AS decisions,
            (count(*) FILTER (WHERE outcome = 'send'))::int AS sends,
            (count(*) FILTER (WHERE outcome = 'skip'))::int AS skips,
            (count(*) FILTER (WHERE outcome = 'skip' AND reason = ANY($4::text[])))::int AS errors
     FROM (SELECT "flowId", outcome, reason FROM "Decision"
           WHERE "shopId" = $1 AND at >= $2::timestamp AND "flowId" IS NOT NULL LIMIT $3) d
     GROUP BY "flowId"`,
    [shopId, since.toISOString(), cap, SEND_ERROR_REASONS],
  );
  return rows.map((r) => ({
    flowId: r.flowId,
    decisions: Number(r.decisions),
    sends: Number(r.sends),
    skips: Number(r.skips),
    errors: Number(r.errors),
  }));
}
