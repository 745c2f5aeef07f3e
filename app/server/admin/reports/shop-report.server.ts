// The shop's report for a period: the same totals as a flow's, across every flow and
// channel, and one row per flow with its own holdout result. Incremental revenue is
// not summed across flows: a customer can be in several flows' treated groups, so
// the flows' effects overlap and their sum would overstate what they earned together.
import type { Shop } from "@prisma/client";
import { CATALOGUE_KEYS, flowDisplayName } from "~/domain/flows";
import type { ReportPeriod } from "~/domain/measurement/report-period";
import type { Locale } from "~/i18n";
import { db } from "../../db/client.server";
import { figuresOf, SUM_ALL, zeroFigures } from "./figures.server";
import {
  funnelOf,
  loadDaily,
  periodView,
  shopView,
  totalsOf,
  type DailyRow,
  type Funnel,
  type PeriodView,
  type RevenueTotals,
  type ShopView,
} from "./flow-report.server";
import { loadHoldouts } from "./holdout.server";
import type { HoldoutVerdict as Verdict, Interval } from "~/domain/stats";
import { channelRows, loadMessageCells, messageFigures, rank, type ChannelRow, type MessageFigures } from "./messages.server";
import { loadReasons, type ReasonRow } from "./reasons.server";

export interface FlowRow extends MessageFigures {
  flowId: string;
  key: string;
  name: string;
  status: string;
  entered: number;
  incrementalRevenue: Interval | null;
  verdict: Verdict;
}

export interface ShopReport {
  shop: ShopView;
  period: PeriodView;
  funnel: Funnel;
  reasons: ReasonRow[];
  totals: RevenueTotals;
  daily: DailyRow[];
  flows: FlowRow[];
  channels: ChannelRow[];
}

export async function shopReport(shop: Shop, period: ReportPeriod, today: Date, locale: Locale): Promise<ShopReport> {
  const flows = await db().flow.findMany({
    where: { shopId: shop.id },
    select: { id: true, key: true, name: true, status: true, measurementDays: true },
  });
  const [daily, reasons, cells, perFlow, holdouts] = await Promise.all([
    loadDaily(shop.id, null, period),
    loadReasons(shop.id, null, period),
    loadMessageCells(shop.id, null, period),
    db().flowDaily.groupBy({ by: ["flowId"], where: { shopId: shop.id, day: { gte: period.from, lte: period.to } }, _sum: SUM_ALL }),
    loadHoldouts(shop.id, flows, period, today),
  ]);
  const flowRows = flows
    .map((f): FlowRow => {
      const figures = figuresOf(perFlow.find((r) => r.flowId === f.id)?._sum ?? zeroFigures());
      const holdout = holdouts.get(f.id);
      return {
        flowId: f.id,
        key: f.key,
        name: flowDisplayName(f, locale),
        status: f.status,
        entered: figures.entered,
        ...messageFigures(figures),
        incrementalRevenue: holdout?.incrementalRevenue ?? null,
        verdict: holdout?.verdict ?? "too_few",
      };
    })
    // The catalogue's order, as on the flows page; other flows after it by name.
    .sort((a, b) => rank(CATALOGUE_KEYS, a.key) - rank(CATALOGUE_KEYS, b.key) || a.name.localeCompare(b.name));
  return {
    shop: shopView(shop),
    period: periodView(period),
    funnel: funnelOf(daily.total),
    reasons,
    totals: totalsOf(daily.total),
    daily: daily.rows,
    flows: flowRows,
    channels: channelRows(cells),
  };
}
