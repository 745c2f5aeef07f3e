import crypto from "node:crypto";
import { eventsOfInterest, isInHoldout, shouldEnroll, type EnrollmentState, type PastEnrollment, type TriggerPayload } from "~/domain/journey";
import type { RawQuery } from "../db/client.server";
import type { BatchContext } from "./batch-context.server";
import type { CustomerRecord } from "./context.server";
import type { ActiveFlow } from "./definitions.server";
import { stepEnrollments, type DueRow } from "./runner.server";

// Entry decisions nobody needs to read: the event was simply not this flow's trigger,
// or the customer is already in it (every product view of an enrolled browser).
const QUIET_REASONS = new Set(["trigger_mismatch", "already_enrolled"]);

export type History = Map<string, PastEnrollment[]>;

export async function loadHistory(q: RawQuery, shopIds: string[], customerIds: string[]): Promise<History> {
  const rows = await q<{ flowId: string; customerId: string; enteredAt: Date; status: PastEnrollment["status"]; contextKey: string | null }>(
    `SELECT "flowId", "customerId", "enteredAt", status, "contextKey" FROM "Enrollment" WHERE "shopId" = ANY($2::text[]) AND "customerId" = ANY($1::text[])`,
    [customerIds, shopIds],
  );
  const out: History = new Map();
  for (const r of rows) {
    const key = `${r.flowId}:${r.customerId}`;
    const list = out.get(key) ?? [];
    list.push({ enteredAt: new Date(r.enteredAt).getTime(), status: r.status, contextKey: r.contextKey });
    out.set(key, list);
  }
  return out;
}

/**
 * The entry decision for one trigger and, when it says yes, the enrollment: created
 * (unique per flow, customer and context, so a concurrent duplicate is a no-op) and
 * started in the caller's transaction. Returns the running row, or null.
 */
export async function tryEnroll(
  q: RawQuery,
  ctx: BatchContext,
  history: History,
  flow: ActiveFlow,
  customer: CustomerRecord,
  trigger: TriggerPayload,
  at: Date,
): Promise<(DueRow & { interestedIn: string[] }) | null> {
  const def = flow.definition;
  const past = history.get(`${flow.id}:${customer.id}`) ?? [];
  const decision = shouldEnroll(def, trigger, customer, past, at.getTime(), { flowId: flow.id, percent: flow.rolloutPercent });
  if (!decision.enroll) {
    if (!QUIET_REASONS.has(decision.reason)) {
      await q(`INSERT INTO "Decision" ("shopId", "customerId", "flowId", outcome, reason, details, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        flow.shopId,
        customer.id,
        flow.id,
        decision.decision.outcome,
        decision.reason,
        JSON.stringify(decision.decision.details),
        at.toISOString(),
      ]);
    }
    return null;
  }
  const id = crypto.randomUUID();
  const shop = ctx.shops.get(flow.shopId)!;
  const holdout = isInHoldout(shop.id, customer.id, shop.holdoutPercent);
  const inserted = await q(
    `INSERT INTO "Enrollment" (id, "shopId", "flowId", "flowVersionId", "customerId", status, state, "contextKey", holdout, "enteredAt", "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, 'active', '{}'::jsonb, $6, $7, $8, $8, $8)
     ON CONFLICT ("shopId", "flowId", "customerId", "contextKey") DO NOTHING RETURNING id`,
    [id, flow.shopId, flow.id, flow.versionId, customer.id, decision.contextKey, holdout, at.toISOString()],
  );
  if (inserted.length === 0) return null; // the same context enrolled concurrently
  past.push({ enteredAt: at.getTime(), status: "active", contextKey: decision.contextKey });
  history.set(`${flow.id}:${customer.id}`, past);
  const row: DueRow = { id, shopId: flow.shopId, flowId: flow.id, flowVersionId: flow.versionId, customerId: customer.id, state: null as unknown as EnrollmentState, holdout, nextWakeAt: at };
  await stepEnrollments(q, [row], () => ({ kind: "start", trigger }), at, ctx);
  ctx.activeEnrollments(customer.id).push({ enrollmentId: id, flowKey: flow.key, priority: flow.priority, nextSendAt: null, nextSendChannel: null });
  return row.state?.status === "active" ? { ...row, interestedIn: eventsOfInterest(def) } : null;
}
