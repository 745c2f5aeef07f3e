import { matchDateTrigger, matchInactivityTrigger } from "~/domain/journey";
import { database, type RawQuery } from "../db/client.server";
import { timeTriggerCandidates, type CandidateFilter } from "../db/sql/customers.server";
import { shopsWithTimeTriggers } from "../db/sql/flows.server";
import { now } from "../clock.server";
import { rollupTxOf } from "../measurement/rollup-buffer.server";
import { BatchContext } from "./batch-context.server";
import { entryVersion, loadActiveFlows, type ActiveFlow } from "./definitions.server";
import { loadHistory, tryEnroll } from "./enroll.server";
import { lockEntryDecisions } from "./entry-lock.server";
import { quarantinedIds } from "../db/sql/quarantine.server";
import { isInfrastructureFailure } from "../worker/failure-text.server";
import { recordItemFailure } from "../worker/quarantine.server";

const DAY = 86_400_000;

/**
 * Time-based triggers (inactivity: win-back, re-engagement; dates: birthdays and
 * anniversaries) have no event to react to, so the worker sweeps for them. The
 * candidate query narrows the customers in SQL; the pure trigger matchers and the
 * entry rules decide; the occurrence is the enrollment's context key, so sweeping
 * again (on any number of workers) never enrolls the same lapse or date twice.
 */
export async function sweepTimeTriggers(limit = 500): Promise<{ enrolled: number }> {
  const at = now();
  const shops = await shopsWithTimeTriggers(database().query);
  const setAside = await quarantinedIds(database().query, "time-trigger");
  let enrolled = 0;
  for (const shopId of shops) {
    const flows = (await loadActiveFlows(database().query, [shopId])).get(shopId) ?? [];
    for (const flow of flows) {
      if (flow.definition.trigger.type !== "inactivity" && flow.definition.trigger.type !== "date") continue;
      if (setAside.has(flow.id)) continue;
      try {
        enrolled += await database().transaction((q) => sweepFlow(q, flow, at, limit));
      } catch (err) {
        // One flow's sweep that fails (twice the same way: quarantined) never keeps
        // the other flows and shops from theirs.
        if (isInfrastructureFailure(err)) throw err;
        await recordItemFailure({ kind: "time-trigger", itemId: flow.id, shopId: flow.shopId }, err);
      }
    }
  }
  return { enrolled };
}

async function sweepFlow(q: RawQuery, flow: ActiveFlow, at: Date, limit: number): Promise<number> {
  const ids = await timeTriggerCandidates(
    q,
    flow.shopId,
    flow.id,
    candidateFilter(flow.definition.trigger, at),
    new Date(at.getTime() - DAY),
    limit,
  );
  if (ids.length === 0) return 0;
  // The candidate query read the history unlocked: tryEnroll decides on the one read after.
  await lockEntryDecisions(q, ids);
  const ctx = await BatchContext.load(q, [flow.shopId], ids, at.getTime());
  const history = await loadHistory(q, [flow.shopId], ids);
  const shop = ctx.shops.get(flow.shopId);
  let enrolled = 0;
  for (const id of ids) {
    const customer = ctx.customers.get(id);
    if (!customer || !shop) continue;
    // During a staged rollout the customer's version decides (the candidates are the new version's).
    const entry = entryVersion(flow, customer.id);
    const t = entry.definition.trigger;
    const match =
      t.type === "inactivity"
        ? matchInactivityTrigger(t, customer, at.getTime())
        : t.type === "date"
          ? matchDateTrigger(t, customer, at.getTime(), shop.timezone)
          : { due: false as const };
    if (!match.due) continue;
    if (await tryEnroll(q, ctx, history, flow, entry, customer, match.trigger, at)) enrolled++;
  }
  await ctx.rollups.flush(rollupTxOf(q));
  return enrolled;
}

/** A cheap SQL pre-filter; the pure matcher makes the real decision. */
function candidateFilter(t: ActiveFlow["definition"]["trigger"], at: Date): CandidateFilter {
  if (t.type === "inactivity") return { kind: "inactive", basis: t.basis, before: new Date(at.getTime() - t.days * DAY) };
  if (t.type === "date") return { kind: "has_date", field: t.dateField };
  return { kind: "none" };
}
