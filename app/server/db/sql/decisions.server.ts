import type { RawQuery } from "./clients.server";

// The decision log: append only.

/** A step's decision (details already merged). */
export interface NewDecision {
  shopId: string;
  customerId: string;
  enrollmentId: string;
  flowId: string;
  stepId: string | null;
  messageId: string | null;
  outcome: string;
  reason: string;
  details: Record<string, unknown>;
  at: Date;
}

export async function insertDecisions(q: RawQuery, d: NewDecision[]): Promise<void> {
  await q(
    `INSERT INTO "Decision" ("shopId", "customerId", "enrollmentId", "flowId", "stepId", "messageId", outcome, reason, details, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::timestamptz[])`,
    [
      d.map((r) => r.shopId),
      d.map((r) => r.customerId),
      d.map((r) => r.enrollmentId),
      d.map((r) => r.flowId),
      d.map((r) => r.stepId),
      d.map((r) => r.messageId),
      d.map((r) => r.outcome),
      d.map((r) => r.reason),
      d.map((r) => JSON.stringify(r.details)),
      d.map((r) => r.at.toISOString()),
    ],
  );
}

/** An entry decision: no enrollment, no step. */
export interface NewEntryDecision {
  shopId: string;
  customerId: string;
  flowId: string;
  outcome: string;
  reason: string;
  details: unknown;
  at: Date;
}

export async function insertEntryDecision(q: RawQuery, d: NewEntryDecision): Promise<void> {
  await q(`INSERT INTO "Decision" ("shopId", "customerId", "flowId", outcome, reason, details, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    d.shopId,
    d.customerId,
    d.flowId,
    d.outcome,
    d.reason,
    JSON.stringify(d.details),
    d.at.toISOString(),
  ]);
}
