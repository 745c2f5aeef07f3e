// The flows page's counters, from the same rollups as the reports (so the page and a
// flow's 30-day report agree): sent, held out (the control group's withheld sends),
// deferred and skipped, each counted apart.
import type { Shop } from "@prisma/client";
import { addDays } from "~/domain/measurement/report-period";
import { shopDay } from "~/domain/measurement/shop-day";
import { now } from "../../clock.server";
import { db } from "../../db/client.server";

export interface FlowCounters {
  sent: number;
  heldOut: number;
  /** Deferral decisions: one send postponed twice counts twice. */
  deferred: number;
  skipped: number;
}

export const COUNTER_DAYS = 30;

/** The last 30 shop-local days, today included (the reports' "Last 30 days"), per flow id. */
export async function flowCounters(shop: Shop): Promise<Map<string, FlowCounters>> {
  const to = shopDay(now(), shop.timezone);
  const day = { gte: addDays(to, -(COUNTER_DAYS - 1)), lte: to };
  const [figures, decisions] = await Promise.all([
    db().flowDaily.groupBy({ by: ["flowId"], where: { shopId: shop.id, day }, _sum: { sent: true, heldOut: true } }),
    db().flowReasonDaily.groupBy({
      by: ["flowId", "outcome"],
      where: { shopId: shop.id, day, outcome: { in: ["defer", "skip"] } },
      _sum: { count: true },
    }),
  ]);
  const out = new Map<string, FlowCounters>();
  const get = (flowId: string) => {
    let c = out.get(flowId);
    if (!c) out.set(flowId, (c = { sent: 0, heldOut: 0, deferred: 0, skipped: 0 }));
    return c;
  };
  for (const r of figures) Object.assign(get(r.flowId), { sent: r._sum.sent ?? 0, heldOut: r._sum.heldOut ?? 0 });
  for (const r of decisions) get(r.flowId)[r.outcome === "defer" ? "deferred" : "skipped"] += r._sum.count ?? 0;
  return out;
}
