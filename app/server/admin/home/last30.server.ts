// The home page's last 30 days: the same rollups, period and rules as the reports page
// (shop-report.server.ts), so the numbers agree with /app/reports?period=30.
import type { Shop } from "@prisma/client";
import { localToInstant } from "~/domain/arbitration/local-time";
import { addDays, parsePeriod, type ReportPeriod } from "~/domain/measurement/report-period";
import { shopDay } from "~/domain/measurement/shop-day";
import { now } from "../../clock.server";
import { db } from "../../db/client.server";
import { cents } from "../reports/figures.server";
import { loadDaily, periodView, totalsOf, type PeriodView } from "../reports/flow-report.server";
import { loadHoldouts } from "../reports/holdout.server";

export interface HomeDay {
  day: string;
  sent: number;
  clicked: number;
  attributedRevenue: number;
}

export interface Last30 {
  period: PeriodView;
  sent: number;
  clicked: number;
  attributedRevenue: number;
  attributedOrders: number;
  /**
   * The sum of the holdout estimates of the flows whose result is conclusive (positive
   * or negative); flows still inconclusive or with too few entries add nothing. null
   * when no flow is conclusive. The flows' treated groups can overlap, which is why the
   * reports page does not add them up: the page says what this sum is.
   */
  incremental: { estimate: number; flows: number } | null;
  /** Flows with a holdout result of any kind (the "of N" in "2 of 5 flows"). */
  measuredFlows: number;
  /** Unsubscribes through a message's link in the period (shop-local days). */
  unsubscribes: number;
  daily: HomeDay[];
}

/** The last 30 days (today included) in the shop's time zone, as the reports page reads `?period=30`. */
export function last30Period(shop: Shop): { period: ReportPeriod; today: Date } {
  const today = shopDay(now(), shop.timezone);
  return { period: parsePeriod(new URLSearchParams({ period: "30" }), today), today };
}

export async function loadLast30(shop: Shop): Promise<Last30> {
  const { period, today } = last30Period(shop);
  const flows = await db().flow.findMany({ where: { shopId: shop.id }, select: { id: true, measurementDays: true } });
  const [daily, holdouts, unsubscribes] = await Promise.all([
    loadDaily(shop.id, null, period),
    loadHoldouts(shop.id, flows, period, today),
    countUnsubscribes(shop, period),
  ]);
  const conclusive = [...holdouts.values()].filter(
    (h) => (h.verdict === "positive" || h.verdict === "negative") && h.incrementalRevenue !== null,
  );
  const totals = totalsOf(daily.total);
  return {
    period: periodView(period),
    sent: daily.total.sent,
    clicked: daily.total.clicked,
    attributedRevenue: totals.attributedRevenue,
    attributedOrders: totals.attributedOrders,
    incremental:
      conclusive.length > 0
        ? { estimate: cents(conclusive.reduce((s, h) => s + h.incrementalRevenue!.estimate, 0)), flows: conclusive.length }
        : null,
    measuredFlows: [...holdouts.values()].filter((h) => h.treated.n > 0).length,
    unsubscribes,
    daily: daily.rows.map((r) => ({ day: r.day, sent: r.sent, clicked: r.clicked, attributedRevenue: r.attributedRevenue })),
  };
}

/**
 * Unsubscribes are not in the rollups: they are the messages' "unsubscribed" events
 * (a message's unsubscribe link, recorded by unsubscribe.server.ts) and "complained"
 * events (a spam report, which withdraws consent too: compliance/feedback/) from the
 * start of the period's first shop-local day to the end of its last.
 */
async function countUnsubscribes(shop: Shop, period: ReportPeriod): Promise<number> {
  const start = (d: Date) => new Date(localToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, shop.timezone));
  return db().messageEvent.count({
    where: {
      shopId: shop.id,
      type: { in: ["unsubscribed", "complained"] },
      occurredAt: { gte: start(period.from), lt: start(addDays(period.to, 1)) },
    },
  });
}
