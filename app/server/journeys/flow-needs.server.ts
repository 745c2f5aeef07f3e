import type { TriggerEnrichment } from "~/domain/flows";
import type { RuntimeNeed } from "~/domain/journey";
import type { RawQuery } from "../db/client.server";
import { learnedIntervals } from "./learned.server";

type Loader = (q: RawQuery, shopId: string, customerId: string, triggerData: Record<string, unknown>) => Promise<TriggerEnrichment>;

// One loader per need a flow definition may declare (FlowDefinition.needs): the router
// loads what the flow asks for, whatever flow it is.
const LOADERS: Record<RuntimeNeed, Loader> = {
  learnedReorderIntervals: async (q, shopId, customerId, data) => ({
    learnedIntervalDays: await learnedIntervals(q, shopId, customerId, productIdsOf(data)),
  }),
};

/** Loads what a flow declares it needs for one customer's trigger, for prepareTrigger. */
export async function loadFlowNeeds(
  q: RawQuery,
  needs: readonly RuntimeNeed[],
  shopId: string,
  customerId: string,
  triggerData: Record<string, unknown>,
): Promise<TriggerEnrichment> {
  const out: TriggerEnrichment = {};
  for (const need of needs) Object.assign(out, await LOADERS[need](q, shopId, customerId, triggerData));
  return out;
}

function productIdsOf(data: Record<string, unknown>): string[] {
  const lines = Array.isArray(data.lines) ? (data.lines as { productId?: unknown }[]) : [];
  return lines
    .map((l) => (typeof l?.productId === "string" || typeof l?.productId === "number" ? String(l.productId) : null))
    .filter((x): x is string => x !== null);
}
