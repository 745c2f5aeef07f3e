// One flow's report for a period: funnel, non-sends by reason, revenue per day,
// the holdout result, message tables and A/B results. Reads only the rollups
// (FlowDaily, FlowReasonDaily) and the flow's Experiment rows.
import type { Flow, Shop } from "@prisma/client";
import { flowDisplayName } from "~/domain/flows";
import { isoDay, periodDays, type ReportPeriod } from "~/domain/measurement/report-period";
import type { Locale } from "~/i18n";
import { db } from "../../db/client.server";
import { loadExperiments, type ExperimentView } from "./experiments.server";
import { addFigures, cents, figuresOf, SUM_ALL, zeroFigures, type Figures } from "./figures.server";
import { loadHoldouts, type HoldoutView } from "./holdout.server";
import { channelRows, groupCells, loadMessageCells, messageFigures, type ChannelRow, type MessageFigures } from "./messages.server";
import { loadReasons, type ReasonRow } from "./reasons.server";
import { loadStepInfo, stepOrder, type StepInfo } from "./step-labels.server";

export interface Funnel {
  /** Entries into the flow, both groups (held-out customers walk the flow too). */
  entered: number;
  sent: number;
  delivered: number;
  clicked: number;
  /** Orders attributed to the flow's messages (last click, or open when the shop counts opens). */
  converted: number;
  /** Sends withheld because the customer is in the holdout group. */
  heldOut: number;
}

export interface RevenueTotals {
  attributedOrders: number;
  attributedRevenue: number;
  influencedOrders: number;
  influencedRevenue: number;
}

export interface DailyRow {
  day: string;
  entered: number;
  sent: number;
  clicked: number;
  attributedOrders: number;
  attributedRevenue: number;
  influencedOrders: number;
  influencedRevenue: number;
  /**
   * The holdout's incremental revenue per entry × that day's treated entries, by ENTRY
   * day: the period's estimate spread over the days, not a daily measurement (a day's
   * holdout group is far too small to read alone). Null on days whose measurement
   * window is still open, and on every day while the result is not conclusive.
   */
  incrementalRevenue: number | null;
}

export interface StepRow extends MessageFigures {
  stepId: string;
  n: number | null;
  channel: string;
  templateKey: string | null;
  label: string | null;
}

export interface VariantRow extends StepRow {
  variant: string;
}

export interface PeriodView {
  kind: ReportPeriod["kind"];
  from: string;
  to: string;
}

export interface FlowReport {
  flow: { id: string; key: string; name: string; status: string; holdoutPercent: number; measurementDays: number };
  shop: ShopView;
  period: PeriodView;
  funnel: Funnel;
  reasons: ReasonRow[];
  totals: RevenueTotals;
  daily: DailyRow[];
  holdout: Omit<HoldoutView, "treatedByDay">;
  steps: StepRow[];
  variants: VariantRow[];
  channels: ChannelRow[];
  experiments: ExperimentView[];
}

export interface ShopView {
  currency: string;
  timezone: string;
  /** Opens count as touches: the page says so next to attributed revenue. */
  attributeOpens: boolean;
  attribution: { emailDays: number; smsDays: number };
}

export const shopView = (shop: Shop): ShopView => ({
  currency: shop.currency,
  timezone: shop.timezone,
  attributeOpens: shop.attributeOpens,
  attribution: { emailDays: shop.attributionEmailDays, smsDays: shop.attributionSmsDays },
});

export const periodView = (p: ReportPeriod): PeriodView => ({ kind: p.kind, from: isoDay(p.from), to: isoDay(p.to) });

export function funnelOf(f: Figures): Funnel {
  return {
    entered: f.entered,
    sent: f.sent,
    delivered: f.delivered,
    clicked: f.clicked,
    converted: f.attributedOrders,
    heldOut: f.heldOut,
  };
}

export function totalsOf(f: Figures): RevenueTotals {
  return {
    attributedOrders: f.attributedOrders,
    attributedRevenue: cents(f.attributedRevenue),
    influencedOrders: f.influencedOrders,
    influencedRevenue: cents(f.influencedRevenue),
  };
}

/** Every day of the period, zero where no row exists, so the chart's axis has no gaps. */
export async function loadDaily(
  shopId: string,
  flowId: string | null,
  period: ReportPeriod,
): Promise<{ rows: DailyRow[]; total: Figures }> {
  const grouped = await db().flowDaily.groupBy({
    by: ["day"],
    where: { shopId, ...(flowId ? { flowId } : {}), day: { gte: period.from, lte: period.to } },
    _sum: SUM_ALL,
  });
  const byDay = new Map(grouped.map((g) => [isoDay(g.day), figuresOf(g._sum)]));
  let total = zeroFigures();
  const rows = periodDays(period).map((d): DailyRow => {
    const f = byDay.get(isoDay(d)) ?? zeroFigures();
    total = addFigures(total, f);
    return {
      day: isoDay(d),
      entered: f.entered,
      sent: f.sent,
      clicked: f.clicked,
      attributedOrders: f.attributedOrders,
      attributedRevenue: cents(f.attributedRevenue),
      influencedOrders: f.influencedOrders,
      influencedRevenue: cents(f.influencedRevenue),
      incrementalRevenue: null,
    };
  });
  return { rows, total };
}

/** Null when the shop has no such flow: the route answers 404. */
export async function flowReport(
  shop: Shop,
  flowId: string,
  period: ReportPeriod,
  today: Date,
  locale: Locale,
): Promise<FlowReport | null> {
  const flow: Flow | null = await db().flow.findFirst({ where: { id: flowId, shopId: shop.id } });
  if (!flow) return null;
  const [daily, reasons, cells, holdouts, steps, experiments] = await Promise.all([
    loadDaily(shop.id, flow.id, period),
    loadReasons(shop.id, flow.id, period),
    loadMessageCells(shop.id, flow.id, period),
    loadHoldouts(shop.id, [{ id: flow.id, measurementDays: flow.measurementDays }], period, today),
    loadStepInfo(shop.id, flow.activeVersionId),
    loadExperiments(shop.id, flow.id, shop.timezone, today),
  ]);
  const { treatedByDay, ...holdout } = holdouts.get(flow.id)!;
  const conclusive = (holdout.verdict === "positive" || holdout.verdict === "negative") && holdout.revenuePerEntry;
  // Entry days whose windows have closed get the estimate × their treated entries (0 without entries); later days none.
  const through = holdout.through;
  const rows = daily.rows.map((r) =>
    conclusive && through !== null && r.day <= through
      ? { ...r, incrementalRevenue: cents((treatedByDay[r.day] ?? 0) * holdout.revenuePerEntry!.estimate) }
      : r,
  );
  return {
    flow: {
      id: flow.id,
      key: flow.key,
      name: flowDisplayName(flow, locale),
      status: flow.status,
      holdoutPercent: flow.holdoutPercent ?? shop.holdoutPercent,
      measurementDays: flow.measurementDays,
    },
    shop: shopView(shop),
    period: periodView(period),
    funnel: funnelOf(daily.total),
    reasons,
    totals: totalsOf(daily.total),
    daily: rows,
    holdout,
    ...messageTables(cells, steps),
    experiments,
  };
}

function messageTables(cells: Awaited<ReturnType<typeof loadMessageCells>>, info: StepInfo[]) {
  const order = stepOrder(info);
  const described = (stepId: string, channel: string) => {
    const s = info.find((x) => x.stepId === stepId);
    return { stepId, n: s?.n ?? null, channel, templateKey: s?.templateKey ?? null, label: s?.label ?? null };
  };
  const steps = [...groupCells(cells, (c) => c.stepId).values()]
    .sort((a, b) => order(a.stepId, b.stepId))
    .map((c): StepRow => ({ ...described(c.stepId, c.channel), ...messageFigures(c.figures) }));
  const variants = [
    ...groupCells(
      cells.filter((c) => c.variant !== ""),
      (c) => `${c.stepId}\u0000${c.variant}`,
    ).values(),
  ]
    .sort((a, b) => order(a.stepId, b.stepId) || a.variant.localeCompare(b.variant))
    .map((c): VariantRow => ({ ...described(c.stepId, c.channel), variant: c.variant, ...messageFigures(c.figures) }));
  return { steps, variants, channels: channelRows(cells) };
}
