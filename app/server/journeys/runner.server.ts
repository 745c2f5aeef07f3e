import { seededRandom, step, type StepInput } from "~/domain/journey";
import { database, type RawQuery } from "../db/client.server";
import { claimDueEnrollments, postponeEnrollments, type DueRow } from "../db/sql/enrollments.server";
import { now } from "../clock.server";
import { BatchContext } from "./batch-context.server";
import { loadDefinitions, loadFlows } from "./definitions.server";
import { rollupTxOf } from "../measurement/rollup-buffer.server";
import { JourneyWrites } from "./writes.server";
import type { WorkItem } from "../worker/quarantine.server";

export interface RunResult {
  claimed: number;
  messages: number;
  /** Fire time minus due time of each step run, ms (the scheduler's lateness). */
  lateness: number[];
}

const PAUSE_MS = 3_600_000;

/**
 * Runs every enrollment whose timer is due, a batch per transaction. The batch's
 * rows are claimed with FOR UPDATE SKIP LOCKED: any number of workers on any number
 * of machines share the work, and the row locks are the lease: they end with the
 * transaction, so a worker that dies releases its batch the moment its connection
 * drops, with nothing of it written. State changes, outbox rows and decisions commit
 * together; the outbox dispatcher sends them afterwards.
 */
export async function runDueEnrollments(limit = 500, onClaim?: (items: WorkItem[]) => void): Promise<RunResult> {
  const at = now();
  return database().transaction(async (q) => {
    const due = await claimDueEnrollments(q, at, limit);
    if (due.length === 0) return { claimed: 0, messages: 0, lateness: [] };
    onClaim?.(due.map((d) => ({ kind: "enrollment", itemId: d.id, shopId: d.shopId })));
    const lateness = due.map((d) => at.getTime() - new Date(d.nextWakeAt).getTime());
    const written = await stepEnrollments(q, due, () => ({ kind: "wake" }), at);
    return { claimed: due.length, messages: written.messages, lateness };
  });
}

/**
 * Steps already-locked enrollments with one input each and writes the results. With a
 * caller's context the caller writes its rollups (once, at the end of its transaction);
 * without one, this call does.
 */
export async function stepEnrollments(
  q: RawQuery,
  rows: DueRow[],
  inputFor: (row: DueRow) => StepInput,
  at: Date,
  ctx?: BatchContext,
): Promise<{ messages: number }> {
  const [defs, flows] = await Promise.all([
    loadDefinitions(
      q,
      rows.map((r) => r.flowVersionId),
    ),
    loadFlows(
      q,
      rows.map((r) => r.flowId),
    ),
  ]);
  const batch =
    ctx ??
    (await BatchContext.load(
      q,
      rows.map((r) => r.shopId),
      rows.map((r) => r.customerId),
      at.getTime(),
    ));
  const writes = new JourneyWrites(batch.rollups, (shopId) => batch.timeZoneOf(shopId));
  const paused: string[] = [];
  for (const row of rows) {
    const definition = defs.get(row.flowVersionId);
    const flow = flows.get(row.flowId);
    const shop = batch.shops.get(row.shopId);
    const context = flow && batch.engineContext(row, flow);
    if (!definition || !flow || !shop || !context) continue;
    let input = inputFor(row);
    if (!shop.installed) input = { kind: "stop", reason: "app_uninstalled" };
    else if (flow.status === "off") input = { kind: "stop", reason: "flow_switched_off" };
    else if (flow.status === "paused" && input.kind === "wake") {
      paused.push(row.id);
      continue;
    }
    const result = step(definition, row.state, input, at.getTime(), seededRandom(`${row.id}:${row.state?.seq ?? 0}`), context);
    const customer = batch.customers.get(row.customerId)!;
    writes.apply(
      { id: row.id, shopId: row.shopId, flowId: row.flowId, flowKey: flow.key, priority: flow.priority, customerId: row.customerId },
      definition,
      result.state,
      result.commands,
      customer,
      batch.recentSends(row.customerId),
      at,
      shop,
    );
    row.state = result.state;
  }
  if (paused.length) {
    // A paused flow holds its enrollments where they are and looks again in an hour.
    await postponeEnrollments(q, paused, new Date(at.getTime() + PAUSE_MS));
  }
  const written = await writes.flush(q, at);
  if (!ctx) await batch.rollups.flush(rollupTxOf(q));
  return written;
}
