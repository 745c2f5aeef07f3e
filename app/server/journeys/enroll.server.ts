import crypto from "node:crypto";
import {
  eventsOfInterest,
  flowHoldoutPercent,
  isInFlowHoldout,
  shouldEnroll,
  type EnrollmentState,
  type PastEnrollment,
  type TriggerPayload,
} from "~/domain/journey";
import type { RawQuery } from "../db/client.server";
import type { CustomerRecord } from "../db/sql/customers.server";
import { insertEntryDecision } from "../db/sql/decisions.server";
import { insertEnrollment, loadEnrollmentHistory, type DueRow } from "../db/sql/enrollments.server";
import { countDecisions, countEntry } from "../measurement/flow-figures.server";
import type { BatchContext } from "./batch-context.server";
import type { ActiveFlow, EntryVersion } from "./definitions.server";
import { stepEnrollments } from "./runner.server";

// Entry decisions nobody needs to read: the event was simply not this flow's trigger,
// or the customer is already in it (every product view of an enrolled browser).
const QUIET_REASONS = new Set(["trigger_mismatch", "already_enrolled"]);

export type History = Map<string, PastEnrollment[]>;

/** The entry rules' view of these customers' enrollments, keyed `flowId:customerId`. */
export function loadHistory(q: RawQuery, shopIds: string[], customerIds: string[]): Promise<History> {
  return loadEnrollmentHistory(q, shopIds, customerIds);
}

/**
 * The entry decision for one trigger and, when it says yes, the enrollment: created
 * (unique per flow, customer and context, so a concurrent duplicate is a no-op) and
 * started in the caller's transaction, on `entry` (entryVersion: during a staged
 * rollout, the new or the previous version). Returns the running row, or null.
 */
export async function tryEnroll(
  q: RawQuery,
  ctx: BatchContext,
  history: History,
  flow: ActiveFlow,
  entry: EntryVersion,
  customer: CustomerRecord,
  trigger: TriggerPayload,
  at: Date,
): Promise<(DueRow & { interestedIn: string[] }) | null> {
  const def = entry.definition;
  const past = history.get(`${flow.id}:${customer.id}`) ?? [];
  const decision = shouldEnroll(def, trigger, customer, past, at.getTime(), { flowId: flow.id, percent: entry.percent });
  if (!decision.enroll) {
    if (!QUIET_REASONS.has(decision.reason)) {
      const row = {
        shopId: flow.shopId,
        customerId: customer.id,
        flowId: flow.id,
        outcome: decision.decision.outcome,
        reason: decision.reason,
        details: decision.decision.details,
        at,
      };
      await insertEntryDecision(q, row);
      countDecisions(ctx.rollups, [{ ...row, stepId: null, details: null }], (s) => ctx.timeZoneOf(s));
    }
    return null;
  }
  const id = crypto.randomUUID();
  const shop = ctx.shops.get(flow.shopId)!;
  // The flow's control group, by its key (stable across versions), decided once: here.
  const holdout = isInFlowHoldout(shop.id, flow.key, customer.id, flowHoldoutPercent(flow, shop));
  const inserted = await insertEnrollment(q, {
    id,
    shopId: flow.shopId,
    flowId: flow.id,
    flowVersionId: entry.versionId,
    customerId: customer.id,
    contextKey: decision.contextKey,
    holdout,
    at,
  });
  if (!inserted) return null; // the same context enrolled concurrently
  countEntry(ctx.rollups, { shopId: flow.shopId, flowId: flow.id, enteredAt: at, holdout }, shop.timezone);
  past.push({ enteredAt: at.getTime(), status: "active", contextKey: decision.contextKey });
  history.set(`${flow.id}:${customer.id}`, past);
  const row: DueRow = {
    id,
    shopId: flow.shopId,
    flowId: flow.id,
    flowVersionId: entry.versionId,
    customerId: customer.id,
    state: null as unknown as EnrollmentState,
    holdout,
    nextWakeAt: at,
  };
  await stepEnrollments(q, [row], () => ({ kind: "start", trigger }), at, ctx);
  ctx
    .activeEnrollments(customer.id)
    .push({ enrollmentId: id, flowKey: flow.key, priority: flow.priority, nextSendAt: null, nextSendChannel: null });
  return row.state?.status === "active" ? { ...row, interestedIn: eventsOfInterest(def) } : null;
}
