import { flowNeeds, prepareTrigger } from "~/domain/flows";
import { database, type RawQuery } from "../db/client.server";
import { claimUnroutedEvents, markEventsRouted, type EventRow } from "../db/sql/events.server";
import { lockListeningEnrollments } from "../db/sql/enrollments.server";
import { now } from "../clock.server";
import { retryTransientConflicts } from "../db/transient-conflict.server";
import { rollupTxOf } from "../measurement/rollup-buffer.server";
import { BatchContext } from "./batch-context.server";
import { entryVersion, loadActiveFlows } from "./definitions.server";
import { loadHistory, tryEnroll } from "./enroll.server";
import { lockEntryDecisions } from "./entry-lock.server";
import type { WorkItem } from "../worker/quarantine.server";
import { loadFlowNeeds } from "./flow-needs.server";
import { stepEnrollments } from "./runner.server";
import { triggerOf } from "./trigger-data.server";

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
export async function routeEvents(limit = 200, onClaim?: (items: WorkItem[]) => void): Promise<RouteResult> {
  // What the customer order below cannot cover (one customer's two checkouts met in
  // opposite orders) PostgreSQL breaks as a deadlock. The transaction only writes rows
  // (outbox rows, not sends), so the one it failed left nothing behind and runs again.
  return retryTransientConflicts("event routing", () => routeBatch(limit, onClaim));
}

function routeBatch(limit: number, onClaim?: (items: WorkItem[]) => void): Promise<RouteResult> {
  const at = now();
  return database().transaction(async (q) => {
    const events = await claimUnroutedEvents(q, limit);
    if (events.length === 0) return { claimed: 0, enrolled: 0, delivered: 0 };
    onClaim?.(events.map((e) => ({ kind: "event", itemId: e.id, shopId: e.shopId })));
    // Workers take disjoint events but not disjoint customers (a checkout sends several
    // trigger events), and each inserts the enrollment of every checkout it sees: taken
    // in arrival order, two workers' batches met a..z and z..a and deadlocked. So every
    // worker goes customer by customer in one order; the sort is stable, so each
    // customer's events keep theirs.
    const known = events
      .filter((e) => e.customerId)
      .sort((x, y) => (x.customerId! < y.customerId! ? -1 : x.customerId! > y.customerId! ? 1 : 0));
    const result = known.length ? await route(q, known, at) : { enrolled: 0, delivered: 0 };
    await markEventsRouted(
      q,
      events.map((e) => e.id),
      at,
    );
    return { claimed: events.length, ...result };
  });
}

async function route(q: RawQuery, events: EventRow[], at: Date): Promise<{ enrolled: number; delivered: number }> {
  const shopIds = [...new Set(events.map((e) => e.shopId))];
  const customerIds = [...new Set(events.map((e) => e.customerId!))];
  // Before anything about these customers is read: another worker routing events of
  // the same customers finishes first, and this batch sees its enrollments and sends.
  await lockEntryDecisions(q, customerIds);
  const flows = await loadActiveFlows(q, shopIds);
  const ctx = await BatchContext.load(q, shopIds, customerIds, at.getTime());
  const history = await loadHistory(q, shopIds, customerIds);
  // Active enrollments that may receive these events, locked for this transaction.
  const active = await lockListeningEnrollments(q, shopIds, customerIds);
  let enrolled = 0;
  let delivered = 0;
  for (const e of events) {
    const customer = ctx.customers.get(e.customerId!);
    if (!customer || customer.redacted) continue;
    // 1. Deliver to the enrollments already running (an order exits abandoned checkout...).
    const asTrigger = triggerOf(e);
    const targets = active.filter((a) => a.customerId === e.customerId && a.interestedIn.includes(e.name));
    if (targets.length) {
      const data = asTrigger.data;
      await stepEnrollments(
        q,
        targets,
        () => ({ kind: "event", event: { id: `${e.source}:${e.sourceId}`, name: e.name, at: e.occurredAt.getTime(), data } }),
        at,
        ctx,
      );
      delivered += targets.length;
    }
    // 2. Start the flows this event triggers.
    for (const flow of flows.get(e.shopId) ?? []) {
      // During a staged rollout the customer's version is picked first: its trigger and needs are the ones that count.
      const entry = entryVersion(flow, customer.id);
      const def = entry.definition;
      if (def.trigger.type !== "event" || !def.trigger.events.includes(e.name)) continue;
      const extra = await loadFlowNeeds(q, flowNeeds(def), e.shopId, customer.id, asTrigger.data);
      const started = await tryEnroll(q, ctx, history, flow, entry, customer, prepareTrigger(def, asTrigger, extra), at);
      if (!started) continue;
      enrolled++;
      active.push(started);
    }
  }
  // Last, after every other row this transaction locks (see RollupBuffer).
  await ctx.rollups.flush(rollupTxOf(q));
  return { enrolled, delivered };
}
