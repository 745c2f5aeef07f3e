import type { EpochMs } from "../arbitration/types";
import { evaluate, type Scope } from "./conditions";
import type { Condition, FlowDefinition } from "./schema";

// The flow filter (`entry.conditions`) is checked at entry and again right before
// every send, like the flow filters of the established tools: a customer who placed an
// order, unsubscribed or changed a fact since entering no longer gets the next message
// and leaves the flow with this reason. Held-out customers take the same path, so the
// holdout stays comparable.

export const FILTER_FAILED = "filter_failed";

/** The filter's verdict: null when the customer still matches (or the flow has no filter). */
export function filterFailure(def: FlowDefinition, scope: Scope, now: EpochMs): { failed: string[] } | null {
  const filter = def.entry.conditions;
  if (!filter || evaluate(filter, scope, now)) return null;
  return { failed: failingLeaves(filter, scope, now) };
}

/** "customer.ordersCount eq" for each leaf that is false now (what the decision log shows). */
function failingLeaves(c: Condition, scope: Scope, now: EpochMs): string[] {
  if ("all" in c) return c.all.flatMap((x) => failingLeaves(x, scope, now));
  if ("any" in c) return c.any.flatMap((x) => failingLeaves(x, scope, now));
  if ("not" in c) return evaluate(c, scope, now) ? [] : ["not"];
  return evaluate(c, scope, now) ? [] : [`${c.field} ${c.op}`];
}
