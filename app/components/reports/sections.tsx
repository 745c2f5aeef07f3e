// The parts of a report page shared by the shop's report and a flow's: the headline
// figures, the funnel with its reasons, revenue per day, the channel table.
import { Badge, BlockStack, Box, Card, DataTable, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import type { Translate } from "~/i18n";
import { channelLabel, outcomeLabel, reasonLabel } from "~/i18n/report-labels";
import type { DailyRow, Funnel, RevenueTotals } from "~/server/admin/reports/flow-report.server";
import type { HoldoutVerdict as Verdict, Interval } from "~/domain/stats";
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

export function Kpi({ label, value, help, muted }: { label: string; value: string; help?: string; muted?: boolean }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="bodyMd" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant={muted ? "headingMd" : "headingXl"} tone={muted ? "subdued" : undefined}>
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
  /** The flow's holdout estimate; undefined on the shop's report (not summed across flows). */
  incremental?: { interval: Interval | null; verdict: Verdict };
  f: ReportFormats;
  t: Translate;
}

export function Headline({ funnel, totals, incremental, f, t }: HeadlineProps) {
  // With too few entries there is no number worth a headline, only the holdout card's explanation.
  const shown = incremental && incremental.verdict !== "too_few" ? incremental.interval : null;
  return (
    <InlineGrid columns={{ xs: 2, md: incremental ? 5 : 4 }} gap={{ xs: "200", sm: "400" }}>
      <Kpi label={t("report.kpi.sent")} value={f.int(funnel.sent)} />
      <Kpi label={t("report.kpi.clicked")} value={f.int(funnel.clicked)} />
      <Kpi
        label={t("report.kpi.attributed")}
        value={f.money(totals.attributedRevenue)}
        help={t("report.kpi.attributedOrders", { count: f.int(totals.attributedOrders) })}
      />
      <Kpi label={t("report.kpi.influenced")} value={f.money(totals.influencedRevenue)} help={t("report.kpi.influencedHelp")} />
      {incremental && (
        <Kpi
          label={t("report.kpi.incremental")}
          value={shown ? f.signedMoney(shown.estimate) : t("report.kpi.incrementalNone")}
          muted={!shown}
          help={
            shown
              ? t("report.kpi.incrementalHelp", { low: f.signedMoney(shown.low), high: f.signedMoney(shown.high) })
              : t("report.holdout.badge.too_few")
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
        {/* The chart draws in the browser only: the figures are also here, as text, for every reader. */}
        <div data-testid="funnel">
          <InlineStack gap="300" wrap>
            {[...stages, [t("report.funnel.heldOut"), funnel.heldOut] as [string, number]].map(([label, n]) => (
              <Text as="span" key={label} variant="bodySm">
                {label}: <b>{f.int(n)}</b>
              </Text>
            ))}
          </InlineStack>
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
          // A list by outcome rather than a table: the reasons' names are long and must wrap on a phone.
          <div data-testid="reasons">
            <BlockStack gap="300">
              {groupByOutcome(reasons).map(([outcome, rows]) => (
                <BlockStack gap="100" key={outcome}>
                  <Text as="h3" variant="headingSm">
                    {outcomeLabel(t, outcome)}
                  </Text>
                  {rows.map((r) => (
                    <InlineStack key={r.reason} align="space-between" gap="200" wrap={false}>
                      <Text as="span">{reasonLabel(t, r.reason)}</Text>
                      <Text as="span" numeric>
                        {f.int(r.count)}
                      </Text>
                    </InlineStack>
                  ))}
                </BlockStack>
              ))}
            </BlockStack>
          </div>
        )}
      </ReportCard>
    </InlineGrid>
  );
}

function groupByOutcome(rows: ReasonRow[]): [string, ReasonRow[]][] {
  const out = new Map<string, ReasonRow[]>();
  for (const r of rows) out.set(r.outcome, [...(out.get(r.outcome) ?? []), r]);
  return [...out];
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
            <span key={c.channel} style={{ whiteSpace: "nowrap" }}>
              {channelLabel(t, c.channel)}
            </span>,
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
