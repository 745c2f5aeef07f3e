import crypto from "node:crypto";
import { eventsOfInterest, isInHoldout, shouldEnroll, type EnrollmentState, type PastEnrollment } from "~/domain/journey";
import { prepareTrigger } from "~/domain/flows";
import { database, type RawQuery } from "../db/client.server";
import { now } from "../clock.server";
import { BatchContext } from "./batch-context.server";
import { loadActiveFlows } from "./definitions.server";
import { stepEnrollments, type DueRow } from "./runner.server";
import { triggerOf, type EventRow } from "./trigger-data.server";

// Entry decisions nobody needs to read: the event was simply not this flow's trigger,
// or the customer is already in it (every product view of an enrolled browser).
const QUIET_REASONS = new Set(["trigger_mismatch", "already_enrolled"]);

export interface RouteResult {
  claimed: number;
  enrolled: number;
  delivered: number;
}

/**
 * Offers new events to the flows: each event may start enrollments (its flow's
 * trigger) and is delivered to the customer's active enrollments that react to it
 * (goals, exits, waits). Events are claimed with FOR UPDATE SKIP LOCKED and marked
 * routed in the same transaction as everything they caused.
 */
export async function routeEvents(limit = 200): Promise<RouteResult> {
  const at = now();
  return database().transaction(async (q) => {
    const events = await q<EventRow>(
      `SELECT id::text, "shopId", "customerId", name, source, "sourceId", "occurredAt", data
       FROM "Event" WHERE "routedAt" IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (events.length === 0) return { claimed: 0, enrolled: 0, delivered: 0 };
    for (const e of events) e.occurredAt = new Date(e.occurredAt);
    const known = events.filter((e) => e.customerId);
    const result = known.length ? await route(q, known, at) : { enrolled: 0, delivered: 0 };
    await q(`UPDATE "Event" SET "routedAt" = $2 WHERE id = ANY($1::bigint[])`, [events.map((e) => e.id), at.toISOString()]);
    return { claimed: events.length, ...result };
  });
}

async function route(q: RawQuery, events: EventRow[], at: Date): Promise<{ enrolled: number; delivered: number }> {
  const shopIds = [...new Set(events.map((e) => e.shopId))];
  const customerIds = [...new Set(events.map((e) => e.customerId!))];
  const flows = await loadActiveFlows(q, shopIds);
  const ctx = await BatchContext.load(q, shopIds, customerIds, at.getTime());
  const history = await loadHistory(q, shopIds, customerIds);
  // Active enrollments that may receive these events, locked for this transaction.
  const active = await q<DueRow & { interestedIn: string[] }>(
    `SELECT id, "shopId", "flowId", "flowVersionId", "customerId", state, holdout, "nextWakeAt", "interestedIn"
     FROM "Enrollment" WHERE "shopId" = ANY($2::text[]) AND "customerId" = ANY($1::text[]) AND status = 'active'
       AND cardinality("interestedIn") > 0 ORDER BY id FOR UPDATE`,
    [customerIds, shopIds],
  );
  let enrolled = 0;
  let delivered = 0;
  for (const e of events) {
    const customer = ctx.customers.get(e.customerId!);
    if (!customer || customer.redacted) continue;
    // 1. Deliver to the enrollments already running (an order exits abandoned checkout...).
    const targets = active.filter((a) => a.customerId === e.customerId && a.interestedIn.includes(e.name));
    if (targets.length) {
      const data = triggerOf(e).data;
      await stepEnrollments(q, targets, () => ({ kind: "event", event: { id: `${e.source}:${e.sourceId}`, name: e.name, at: e.occurredAt.getTime(), data } }), at, ctx);
      delivered += targets.length;
    }
    // 2. Start the flows this event triggers.
    for (const flow of flows.get(e.shopId) ?? []) {
      const def = flow.definition;
      if (def.trigger.type !== "event" || !def.trigger.events.includes(e.name)) continue;
      const trigger = prepareTrigger(def, triggerOf(e));
      const past = history.get(`${flow.id}:${customer.id}`) ?? [];
      const decision = shouldEnroll(def, trigger, customer, past, at.getTime(), { flowId: flow.id, percent: flow.rolloutPercent });
      if (!decision.enroll) {
        if (!QUIET_REASONS.has(decision.reason)) {
          await q(
            `INSERT INTO "Decision" ("shopId", "customerId", "flowId", outcome, reason, details, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [e.shopId, customer.id, flow.id, decision.decision.outcome, decision.reason, JSON.stringify(decision.decision.details), at.toISOString()],
          );
        }
        continue;
      }
      const id = crypto.randomUUID();
      const shop = ctx.shops.get(e.shopId)!;
      const holdout = isInHoldout(shop.id, customer.id, shop.holdoutPercent);
      const inserted = await q(
        `INSERT INTO "Enrollment" (id, "shopId", "flowId", "flowVersionId", "customerId", status, state, "contextKey", holdout, "enteredAt", "createdAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, 'active', '{}'::jsonb, $6, $7, $8, $8, $8)
         ON CONFLICT ("shopId", "flowId", "customerId", "contextKey") DO NOTHING RETURNING id`,
        [id, e.shopId, flow.id, flow.versionId, customer.id, decision.contextKey, holdout, at.toISOString()],
      );
      if (inserted.length === 0) continue; // the same context enrolled concurrently
      past.push({ enteredAt: at.getTime(), status: "active", contextKey: decision.contextKey });
      history.set(`${flow.id}:${customer.id}`, past);
      const row: DueRow = { id, shopId: e.shopId, flowId: flow.id, flowVersionId: flow.versionId, customerId: customer.id, state: null as unknown as EnrollmentState, holdout, nextWakeAt: at };
      await stepEnrollments(q, [row], () => ({ kind: "start", trigger }), at, ctx);
      ctx.activeEnrollments(customer.id).push({ enrollmentId: id, flowKey: flow.key, priority: flow.priority, nextSendAt: null, nextSendChannel: null });
      if (row.state?.status === "active") active.push({ ...row, interestedIn: eventsOfInterest(def) });
      enrolled++;
    }
  }
  return { enrolled, delivered };
}

async function loadHistory(q: RawQuery, shopIds: string[], customerIds: string[]): Promise<Map<string, PastEnrollment[]>> {
  const rows = await q<{ flowId: string; customerId: string; enteredAt: Date; status: PastEnrollment["status"]; contextKey: string | null }>(
    `SELECT "flowId", "customerId", "enteredAt", status, "contextKey" FROM "Enrollment" WHERE "shopId" = ANY($2::text[]) AND "customerId" = ANY($1::text[])`,
    [customerIds, shopIds],
  );
  const out = new Map<string, PastEnrollment[]>();
  for (const r of rows) {
    const key = `${r.flowId}:${r.customerId}`;
    const list = out.get(key) ?? [];
    list.push({ enteredAt: new Date(r.enteredAt).getTime(), status: r.status, contextKey: r.contextKey });
    out.set(key, list);
  }
  return out;
}
