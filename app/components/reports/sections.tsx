// The parts of a report page shared by the shop's report and a flow's: the headline
// figures, the funnel with its reasons, revenue per day, the channel table.
import { Badge, BlockStack, Box, Card, DataTable, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import type { Translate } from "~/i18n";
import { channelLabel, outcomeLabel, reasonLabel } from "~/i18n/report-labels";
import type { DailyRow, Funnel, RevenueTotals } from "~/server/admin/reports/flow-report.server";
import type { Interval, Verdict } from "~/server/admin/reports/holdout-stats";
import type { ChannelRow } from "~/server/admin/reports/messages.server";
import type { ReasonRow } from "~/server/admin/reports/reasons.server";
import { FunnelBars, RevenueChart } from "./ClientChart";
import type { ReportFormats } from "./format";
import { ReportCard } from "./ReportCard";

export const VERDICT_TONE: Record<Verdict, "success" | "critical" | "attention" | undefined> = {
  positive: "success",
  negative: "critical",
  inconclusive: "attention",
  too_few: undefined,
};

// Colours that stay apart for colour-blind readers (Polaris viz's own palette order).
const COLOURS = { attributed: "#4b92e5", influenced: "#b1c2d6", incremental: "#7f4afa" };

export function Kpi({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="bodyMd" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        {help && (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

interface HeadlineProps {
  funnel: Funnel;
  totals: RevenueTotals;
  attributeOpens: boolean;
  /** The flow's holdout estimate; undefined on the shop's report (not summed across flows). */
  incremental?: { interval: Interval | null; from: string; through: string | null };
  f: ReportFormats;
  t: Translate;
}

export function Headline({ funnel, totals, attributeOpens, incremental, f, t }: HeadlineProps) {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: incremental ? 5 : 4 }} gap="400">
      <Kpi label={t("report.kpi.sent")} value={f.int(funnel.sent)} />
      <Kpi label={t("report.kpi.clicked")} value={f.int(funnel.clicked)} />
      <Kpi
        label={t(attributeOpens ? "report.kpi.attributedOpens" : "report.kpi.attributed")}
        value={f.money(totals.attributedRevenue)}
        help={t("report.kpi.attributedOrders", { count: f.int(totals.attributedOrders) })}
      />
      <Kpi label={t("report.kpi.influenced")} value={f.money(totals.influencedRevenue)} help={t("report.kpi.influencedHelp")} />
      {incremental && (
        <Kpi
          label={t("report.kpi.incremental")}
          value={incremental.interval ? f.money(incremental.interval.estimate) : t("report.kpi.incrementalNone")}
          help={
            incremental.interval && incremental.through
              ? `${f.money(incremental.interval.low)} … ${f.money(incremental.interval.high)} (95%). ${t("report.kpi.incrementalHelp", {
                  from: f.day(incremental.from),
                  through: f.day(incremental.through),
                })}`
              : undefined
          }
        />
      )}
    </InlineGrid>
  );
}

interface FunnelProps {
  funnel: Funnel;
  reasons: ReasonRow[];
  exportPath: string;
  f: ReportFormats;
  t: Translate;
}

export function FunnelSection({ funnel, reasons, exportPath, f, t }: FunnelProps) {
  const stages: [string, number][] = [
    [t("report.funnel.entered"), funnel.entered],
    [t("report.funnel.sent"), funnel.sent],
    [t("report.funnel.delivered"), funnel.delivered],
    [t("report.funnel.clicked"), funnel.clicked],
    [t("report.funnel.converted"), funnel.converted],
  ];
  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
      <ReportCard title={t("report.funnel.title")} exportPath={exportPath} table="funnel" t={t}>
        <FunnelBars label={t("report.funnel.title")} name={t("report.funnel.count")} stages={stages} formatCount={f.int} />
        <div data-testid="funnel">
          <BlockStack gap="100">
            {[...stages, [t("report.funnel.heldOut"), funnel.heldOut] as [string, number]].map(([label, n]) => (
              <InlineStack key={label} align="space-between">
                <Text as="span">{label}</Text>
                <Text as="span" fontWeight="semibold">
                  {f.int(n)}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        </div>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("report.funnel.note")}
        </Text>
      </ReportCard>
      <ReportCard title={t("report.reasons.title")} exportPath={exportPath} table="reasons" t={t}>
        {reasons.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("report.reasons.empty")}
          </Text>
        ) : (
          <div data-testid="reasons">
            <DataTable
              columnContentTypes={["text", "text", "numeric"]}
              headings={[t("report.reasons.outcome"), t("report.reasons.reason"), t("report.reasons.count")]}
              rows={reasons.map((r) => [outcomeLabel(t, r.outcome), reasonLabel(t, r.reason), f.int(r.count)])}
            />
          </div>
        )}
      </ReportCard>
    </InlineGrid>
  );
}

interface RevenueProps {
  daily: DailyRow[];
  /** The flow report's incremental line; null when not conclusive; undefined on the shop report. */
  incremental?: { shown: boolean; measurementDays: number };
  attributeOpens: boolean;
  attribution: { emailDays: number; smsDays: number };
  exportPath: string;
  f: ReportFormats;
  t: Translate;
}

export function RevenueSection({ daily, incremental, attributeOpens, attribution, exportPath, f, t }: RevenueProps) {
  const series = [
    {
      name: t("report.revenue.attributed"),
      color: COLOURS.attributed,
      points: daily.map((d): [string, number] => [d.day, d.attributedRevenue]),
    },
    {
      name: t("report.revenue.influenced"),
      color: COLOURS.influenced,
      dashed: true,
      points: daily.map((d): [string, number] => [d.day, d.influencedRevenue]),
    },
  ];
  if (incremental?.shown)
    series.push({
      name: t("report.revenue.incremental"),
      color: COLOURS.incremental,
      points: daily.map((d): [string, number] => [d.day, d.incrementalRevenue as number]),
    });
  return (
    <ReportCard title={t("report.revenue.title")} exportPath={exportPath} table="daily" t={t}>
      <RevenueChart label={t("report.revenue.title")} series={series} formatDay={f.shortDay} formatMoney={(n) => f.money(n)} />
      <BlockStack gap="200">
        <Text as="p" variant="bodySm" tone="subdued">
          {t(attributeOpens ? "report.attribution.opens" : "report.attribution.clicks", attribution)}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {incremental === undefined
            ? t("report.revenue.noIncrementalShop")
            : incremental.shown
              ? t("report.revenue.note", { days: incremental.measurementDays })
              : t("report.revenue.noIncremental")}
        </Text>
      </BlockStack>
    </ReportCard>
  );
}

export function ChannelsSection({
  channels,
  exportPath,
  f,
  t,
}: {
  channels: ChannelRow[];
  exportPath: string;
  f: ReportFormats;
  t: Translate;
}) {
  return (
    <ReportCard title={t("report.channels.title")} exportPath={exportPath} table="channels" t={t}>
      {channels.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("report.empty")}
        </Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={[
            t("report.steps.channel"),
            t("report.steps.sent"),
            t("report.steps.delivered"),
            t("report.steps.clicked"),
            t("report.steps.clickRate"),
            t("report.steps.attributedRevenue"),
            t("report.steps.influencedRevenue"),
          ]}
          rows={channels.map((c) => [
            channelLabel(t, c.channel),
            f.int(c.sent),
            f.int(c.delivered),
            f.int(c.clicked),
            f.percent(c.clickRate),
            f.money(c.attributedRevenue),
            f.money(c.influencedRevenue),
          ])}
        />
      )}
    </ReportCard>
  );
}

export function VerdictBadge({ verdict, t }: { verdict: Verdict; t: Translate }) {
  return <Badge tone={VERDICT_TONE[verdict]}>{t(`report.holdout.badge.${verdict}`)}</Badge>;
}

export function Subdued({ children }: { children: string }) {
  return (
    <Box>
      <Text as="p" variant="bodySm" tone="subdued">
        {children}
      </Text>
    </Box>
  );
}
