import { matchDateTrigger, matchInactivityTrigger } from "~/domain/journey";
import { database, type RawQuery } from "../db/client.server";
import { now } from "../clock.server";
import { BatchContext } from "./batch-context.server";
import { loadActiveFlows, type ActiveFlow } from "./definitions.server";
import { loadHistory, tryEnroll } from "./enroll.server";
import { lockEntryDecisions } from "./entry-lock.server";

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
  const shops = await database().query<{ id: string }>(
    `SELECT DISTINCT f."shopId" AS id FROM "Flow" f JOIN "FlowVersion" v ON v.id = f."activeVersionId"
     JOIN "Shop" s ON s.id = f."shopId"
     WHERE f.status = 'on' AND s."installState" = 'installed' AND v.definition->'trigger'->>'type' IN ('inactivity', 'date')`,
  );
  let enrolled = 0;
  for (const { id: shopId } of shops) {
    const flows = (await loadActiveFlows(database().query, [shopId])).get(shopId) ?? [];
    for (const flow of flows) {
      if (flow.definition.trigger.type !== "inactivity" && flow.definition.trigger.type !== "date") continue;
      enrolled += await database().transaction((q) => sweepFlow(q, flow, at, limit));
    }
  }
  return { enrolled };
}

async function sweepFlow(q: RawQuery, flow: ActiveFlow, at: Date, limit: number): Promise<number> {
  const t = flow.definition.trigger;
  const candidates = await q<{ id: string }>(
    `SELECT c.id FROM "Customer" c
     WHERE c."shopId" = $1 AND c."mergedIntoId" IS NULL AND c."redactedAt" IS NULL AND (${candidateSql(t)})
       AND NOT EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."shopId" = $1 AND e."flowId" = $2 AND e."customerId" = c.id
                       AND (e.status = 'active' OR e."enteredAt" > $3))
       -- Asked within the day and refused (no consent...): the log says so once, not every sweep.
       AND NOT EXISTS (SELECT 1 FROM "Decision" d WHERE d."shopId" = $1 AND d."customerId" = c.id AND d."flowId" = $2
                       AND d.outcome = 'not_enrolled' AND d.at > $3)
     ORDER BY c.id LIMIT $4`,
    [flow.shopId, flow.id, new Date(at.getTime() - DAY).toISOString(), limit, ...(t.type === "inactivity" ? [new Date(at.getTime() - t.days * DAY).toISOString()] : [])],
  );
  if (candidates.length === 0) return 0;
  const ids = candidates.map((c) => c.id);
  // The candidate query read the history unlocked: tryEnroll decides on the one read after.
  await lockEntryDecisions(q, ids);
  const ctx = await BatchContext.load(q, [flow.shopId], ids, at.getTime());
  const history = await loadHistory(q, [flow.shopId], ids);
  const shop = ctx.shops.get(flow.shopId);
  let enrolled = 0;
  for (const id of ids) {
    const customer = ctx.customers.get(id);
    if (!customer || !shop) continue;
    const match =
      t.type === "inactivity" ? matchInactivityTrigger(t, customer, at.getTime()) : t.type === "date" ? matchDateTrigger(t, customer, at.getTime(), shop.timezone) : { due: false as const };
    if (!match.due) continue;
    if (await tryEnroll(q, ctx, history, flow, customer, match.trigger, at)) enrolled++;
  }
  return enrolled;
}

/** A cheap SQL pre-filter; the pure matcher makes the real decision. */
function candidateSql(t: ActiveFlow["definition"]["trigger"]): string {
  if (t.type === "inactivity") {
    if (t.basis === "last_order") return `c."lastOrderAt" <= $5`;
    if (t.basis === "last_engaged") return `COALESCE(c."lastEngagedAt", c."createdAt") <= $5`;
    return `COALESCE(c."lastSeenAt", c."createdAt") <= $5`;
  }
  if (t.type === "date") {
    if (t.dateField === "first_order") return `c."firstOrderAt" IS NOT NULL`;
    if (t.dateField === "signup") return `true`;
    return `c.properties IS NOT NULL`;
  }
  return "false";
}
