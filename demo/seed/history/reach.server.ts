import { database } from "~/server/db/client.server";
import { HISTORY_FLOW_KEYS, isHistoryFlowKey, type HistoryFlowKey } from "./effects";
import { episodeOf, type Shopper } from "./episodes";

// How much of a flow's planted lift its holdout can see (effects.ts): the share of
// treated entries that are an episode of the flow's situation and whose message went
// out in time, estimated over the entries whose draw was not "buys anyway" (a baseline
// buyer may order before the first message and end the journey; a persuadable one
// never does, so their chance of being reached is the other non-baseline entries').

export interface FlowLedger {
  /** Entries the engine made, and of them those in the flow's holdout. */
  entries: number;
  heldOut: number;
  /** Treated entries that are an episode of this flow's situation. */
  episodes: number;
  /** Of those, the ones whose draw was not "buys anyway" (their message can matter)... */
  open: number;
  /** ...and of these, the ones that received a message of the entry in time. */
  reached: number;
  /** episodes/treated x reached/open. */
  reach: number;
}

export async function reachLedger(
  shopId: string,
  shopperOf: (customerIds: string[]) => Promise<Map<string, Shopper>>,
): Promise<Record<HistoryFlowKey, FlowLedger>> {
  const rows = await database().query<{ id: string; customerId: string; enteredAt: Date | string; holdout: boolean; flowKey: string }>(
    `SELECT e.id, e."customerId", e."enteredAt", e.holdout, f.key AS "flowKey"
     FROM "Enrollment" e JOIN "Flow" f ON f.id = e."flowId" WHERE e."shopId" = $1`,
    [shopId],
  );
  const byCustomer = await shopperOf(rows.map((r) => r.customerId));
  const ledger = Object.fromEntries(
    HISTORY_FLOW_KEYS.map((k) => [k, { entries: 0, heldOut: 0, episodes: 0, open: 0, reached: 0, reach: 0 }]),
  ) as Record<HistoryFlowKey, FlowLedger>;
  for (const r of rows) {
    if (!isHistoryFlowKey(r.flowKey)) continue;
    const l = ledger[r.flowKey];
    l.entries++;
    if (r.holdout) {
      l.heldOut++;
      continue;
    }
    const s = byCustomer.get(r.customerId);
    const e = s && episodeOf(s, r.flowKey, new Date(r.enteredAt).getTime());
    if (!e || (e.entryId !== null && e.entryId !== r.id)) continue;
    l.episodes++;
    if (e.outcome === "baseline") continue;
    l.open++;
    if (e.received) l.reached++;
  }
  for (const l of Object.values(ledger)) {
    const treated = l.entries - l.heldOut;
    l.reach = treated > 0 && l.open > 0 ? (l.episodes / treated) * (l.reached / l.open) : 0;
  }
  return ledger;
}
