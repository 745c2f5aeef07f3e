// Every table of a report as CSV: headers in the admin's language, numbers as plain
// numbers (rates as fractions, money with 2 decimals), days as YYYY-MM-DD. Built from
// the same report object the page shows, so the two never disagree.
import { csvFilename, toCsv, type CsvCell } from "~/domain/measurement/csv";
import type { FlowTable, ShopTable } from "~/domain/measurement/report-tables";
import type { MessageKey, Translate } from "~/i18n";
import { channelLabel, outcomeLabel, reasonLabel, stepName } from "~/i18n/report-labels";
import type { DailyRow, FlowReport, Funnel } from "./flow-report.server";
import type { ChannelRow, MessageFigures } from "./messages.server";
import type { ReasonRow } from "./reasons.server";
import type { ShopReport } from "./shop-report.server";

export interface CsvFile {
  filename: string;
  body: string;
}

interface Table {
  header: MessageKey[];
  rows: CsvCell[][];
}

const money = (n: number | null | undefined): CsvCell => (n === null || n === undefined ? null : { money: n });
/** A rate as a fraction, to 6 decimals: 0.034 is 3.4%. */
const fraction = (n: number | null | undefined): CsvCell => (n === null || n === undefined ? null : Math.round(n * 1e6) / 1e6);

const MESSAGE_HEADER: MessageKey[] = [
  "report.steps.sent",
  "report.steps.delivered",
  "report.steps.clicked",
  "report.steps.clickRate",
  "report.steps.heldOut",
  "report.steps.attributedOrders",
  "report.steps.attributedRevenue",
  "report.steps.influencedOrders",
  "report.steps.influencedRevenue",
];
const messageCells = (m: MessageFigures): CsvCell[] => [
  m.sent,
  m.delivered,
  m.clicked,
  fraction(m.clickRate),
  m.heldOut,
  m.attributedOrders,
  money(m.attributedRevenue),
  m.influencedOrders,
  money(m.influencedRevenue),
];

function dailyTable(rows: DailyRow[], withIncremental: boolean): Table {
  const header: MessageKey[] = [
    "report.daily.day",
    "report.daily.entered",
    "report.daily.sent",
    "report.daily.clicked",
    "report.daily.attributedOrders",
    "report.daily.attributedRevenue",
    "report.daily.influencedOrders",
    "report.daily.influencedRevenue",
  ];
  return {
    header: withIncremental ? [...header, "report.daily.incrementalRevenue"] : header,
    rows: rows.map((r) => {
      const cells: CsvCell[] = [
        r.day,
        r.entered,
        r.sent,
        r.clicked,
        r.attributedOrders,
        money(r.attributedRevenue),
        r.influencedOrders,
        money(r.influencedRevenue),
      ];
      return withIncremental ? [...cells, money(r.incrementalRevenue)] : cells;
    }),
  };
}

function funnelTable(f: Funnel, t: Translate): Table {
  const stages: [MessageKey, number][] = [
    ["report.funnel.entered", f.entered],
    ["report.funnel.sent", f.sent],
    ["report.funnel.delivered", f.delivered],
    ["report.funnel.clicked", f.clicked],
    ["report.funnel.converted", f.converted],
    ["report.funnel.heldOut", f.heldOut],
  ];
  return { header: ["report.funnel.stage", "report.funnel.count"], rows: stages.map(([k, n]) => [t(k), n]) };
}

function reasonsTable(rows: ReasonRow[], t: Translate): Table {
  return {
    header: ["report.reasons.outcome", "report.reasons.reason", "report.reasons.code", "report.reasons.count"],
    rows: rows.map((r) => [outcomeLabel(t, r.outcome), reasonLabel(t, r.reason), r.reason, r.count]),
  };
}

function channelsTable(rows: ChannelRow[], t: Translate): Table {
  return { header: ["report.steps.channel", ...MESSAGE_HEADER], rows: rows.map((r) => [channelLabel(t, r.channel), ...messageCells(r)]) };
}

function flowTable(report: FlowReport, table: FlowTable, t: Translate): Table {
  switch (table) {
    case "daily":
      return dailyTable(report.daily, true);
    case "funnel":
      return funnelTable(report.funnel, t);
    case "reasons":
      return reasonsTable(report.reasons, t);
    case "channels":
      return channelsTable(report.channels, t);
    case "holdout": {
      const h = report.holdout;
      const group = (label: MessageKey, g: typeof h.treated): CsvCell[] => [
        t(label),
        g.n,
        g.conversions,
        fraction(g.conversionRate),
        money(g.revenuePerEntry),
        null,
        null,
      ];
      return {
        header: [
          "report.holdout.group",
          "report.holdout.entries",
          "report.holdout.conversionsCsv",
          "report.holdout.conversionRate",
          "report.holdout.revenuePerEntry",
          "report.holdout.low",
          "report.holdout.high",
        ],
        rows: [
          group("report.holdout.treated", h.treated),
          group("report.holdout.holdout", h.holdout),
          // The differences: the conversion rate's under its column, revenue per entry's under its own, each with its interval.
          [
            t("report.holdout.conversionRate"),
            null,
            null,
            fraction(h.conversionLift?.estimate),
            null,
            fraction(h.conversionLift?.low),
            fraction(h.conversionLift?.high),
          ],
          [
            t("report.holdout.revenuePerEntry"),
            null,
            null,
            null,
            money(h.revenuePerEntry?.estimate),
            money(h.revenuePerEntry?.low),
            money(h.revenuePerEntry?.high),
          ],
          [
            t("report.holdout.total"),
            h.treated.n,
            null,
            null,
            money(h.incrementalRevenue?.estimate),
            money(h.incrementalRevenue?.low),
            money(h.incrementalRevenue?.high),
          ],
        ],
      };
    }
    case "steps":
      return {
        header: ["report.steps.step", "report.steps.stepId", "report.steps.template", "report.steps.channel", ...MESSAGE_HEADER],
        rows: report.steps.map((s) => [stepName(t, s), s.stepId, s.templateKey, channelLabel(t, s.channel), ...messageCells(s)]),
      };
    case "variants":
      return {
        header: ["report.steps.step", "report.steps.stepId", "report.variants.variant", "report.steps.channel", ...MESSAGE_HEADER],
        rows: report.variants.map((v) => [stepName(t, v), v.stepId, v.variant, channelLabel(t, v.channel), ...messageCells(v)]),
      };
    case "experiments":
      return {
        header: [
          "report.ab.experiment",
          "report.steps.stepId",
          "report.ab.status",
          "report.ab.variant",
          "report.ab.recipients",
          "report.ab.clicks",
          "report.ab.clickRate",
          "report.ab.conversions",
          "report.ab.conversionRate",
          "report.ab.revenue",
          "report.ab.revenuePerRecipient",
          "report.ab.probBeatControl",
          "report.ab.expectedLoss",
        ],
        rows: report.experiments.flatMap((e) =>
          e.variants.map((v): CsvCell[] => [
            e.startedOn,
            e.stepId,
            t(`report.ab.status.${e.status}`),
            v.isControl ? `${v.key} (${t("report.ab.control")})` : v.key,
            v.recipients,
            v.clicks,
            fraction(v.clickRate),
            v.conversions,
            fraction(v.conversionRate),
            money(v.revenue),
            money(v.revenuePerRecipient),
            fraction(v.probBeatControl),
            // In the metric's own unit: a rate's loss as a fraction, revenue's in money.
            e.metric === "revenue_per_recipient" ? money(v.expectedLoss) : fraction(v.expectedLoss),
          ]),
        ),
      };
  }
}

function shopTable(report: ShopReport, table: ShopTable, t: Translate): Table {
  switch (table) {
    case "daily":
      return dailyTable(report.daily, false);
    case "funnel":
      return funnelTable(report.funnel, t);
    case "reasons":
      return reasonsTable(report.reasons, t);
    case "channels":
      return channelsTable(report.channels, t);
    case "flows":
      return {
        header: [
          "report.flows.flow",
          "report.flows.entered",
          ...MESSAGE_HEADER,
          "report.flows.incremental",
          "report.flows.incrementalLow",
          "report.flows.incrementalHigh",
          "report.flows.verdict",
        ],
        rows: report.flows.map((f) => [
          f.name,
          f.entered,
          ...messageCells(f),
          money(f.incrementalRevenue?.estimate),
          money(f.incrementalRevenue?.low),
          money(f.incrementalRevenue?.high),
          t(`report.holdout.badge.${f.verdict}`),
        ]),
      };
  }
}

const render = (table: Table, t: Translate) =>
  toCsv(
    table.header.map((k) => t(k)),
    table.rows,
  );

export function flowCsv(report: FlowReport, table: FlowTable, t: Translate): CsvFile {
  return {
    filename: csvFilename("flowmate", report.flow.key, table, report.period.from, report.period.to),
    body: render(flowTable(report, table, t), t),
  };
}

export function shopCsv(report: ShopReport, table: ShopTable, t: Translate): CsvFile {
  return {
    filename: csvFilename("flowmate", "shop", table, report.period.from, report.period.to),
    body: render(shopTable(report, table, t), t),
  };
}

/** The download response: UTF-8 with a byte order mark, so Excel reads Polish letters right. */
export function csvResponse(file: CsvFile): Response {
  return new Response(`\uFEFF${file.body}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
}
