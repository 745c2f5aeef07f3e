// The parts only a flow's report has: the holdout result with its method, the
// message and variant tables, the A/B tests.
import { Badge, BlockStack, Box, DataTable, InlineStack, Text } from "@shopify/polaris";
import { isMessageKey, type Translate } from "~/i18n";
import { channelLabel, stepName } from "~/i18n/report-labels";
import type { ExperimentView } from "~/server/admin/reports/experiments.server";
import type { FlowReport, StepRow, VariantRow } from "~/server/admin/reports/flow-report.server";
import type { ReportFormats } from "./format";
import { ReportCard } from "./ReportCard";
import { VerdictBadge } from "./sections";

type Holdout = FlowReport["holdout"];

/** The plain sentence for the verdict, with the interval it rests on. */
export function verdictSentence(h: Holdout, f: ReportFormats, t: Translate): string {
  const r = h.revenuePerEntry;
  const total = h.incrementalRevenue;
  if (h.verdict === "too_few" || !r || !total)
    return t("report.holdout.verdict.too_few", {
      tn: f.int(h.treated.n),
      tc: f.int(h.treated.conversions),
      hn: f.int(h.holdout.n),
      hc: f.int(h.holdout.conversions),
    });
  return t(`report.holdout.verdict.${h.verdict}`, {
    estimate: f.signedMoney(r.estimate),
    low: f.signedMoney(r.low),
    high: f.signedMoney(r.high),
    total: f.signedMoney(total.estimate),
    totalLow: f.signedMoney(total.low),
    totalHigh: f.signedMoney(total.high),
    n: f.int(h.treated.n),
  });
}

export function HoldoutSection({ report, exportPath, f, t }: { report: FlowReport; exportPath: string; f: ReportFormats; t: Translate }) {
  const h = report.holdout;
  const days = h.measurementDays;
  const lift = h.conversionLift;
  const interval = (i: { low: number; high: number } | null, fmt: (n: number) => string) => (i ? `${fmt(i.low)} … ${fmt(i.high)}` : "—");
  return (
    <ReportCard title={t("report.holdout.title")} exportPath={exportPath} table="holdout" t={t}>
      <div data-testid="holdout-result">
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center">
            <VerdictBadge verdict={h.verdict} t={t} />
            <Text as="span" variant="bodySm" tone="subdued">
              {h.through
                ? t("report.holdout.entriesCompared", { from: f.day(h.from), through: f.day(h.through), days })
                : t("report.holdout.noneClosed", { days })}
            </Text>
          </InlineStack>
          <Text as="p" variant="bodyLg" fontWeight="semibold">
            {verdictSentence(h, f, t)}
          </Text>
          {lift && h.treated.conversionRate !== null && h.holdout.conversionRate !== null && (
            <Text as="p">
              {t("report.holdout.conversionSentence", {
                treated: f.percent(h.treated.conversionRate),
                holdout: f.percent(h.holdout.conversionRate),
                diff: f.points(lift.estimate),
                low: f.points(lift.low),
                high: f.points(lift.high),
              })}
              {h.conversionVerdict === "inconclusive" ? ` ${t("report.holdout.conversionIncludesZero")}` : ""}
            </Text>
          )}
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={[
              t("report.holdout.group"),
              t("report.holdout.entries"),
              t("report.holdout.conversions", { days }),
              t("report.holdout.conversionRate"),
              t("report.holdout.revenuePerEntry"),
            ]}
            rows={[
              [
                t("report.holdout.treated"),
                f.int(h.treated.n),
                f.int(h.treated.conversions),
                f.percent(h.treated.conversionRate),
                f.money(h.treated.revenuePerEntry),
              ],
              [
                t("report.holdout.holdout"),
                f.int(h.holdout.n),
                f.int(h.holdout.conversions),
                f.percent(h.holdout.conversionRate),
                f.money(h.holdout.revenuePerEntry),
              ],
              [
                t("report.holdout.difference"),
                "",
                "",
                lift ? `${f.points(lift.estimate)} pp` : "—",
                h.revenuePerEntry ? f.signedMoney(h.revenuePerEntry.estimate) : "—",
              ],
              [
                t("report.holdout.interval"),
                "",
                "",
                interval(lift, (n) => `${f.points(n)} pp`),
                interval(h.revenuePerEntry, f.signedMoney),
              ],
            ]}
          />
        </BlockStack>
      </div>
      <Box background="bg-surface-secondary" borderRadius="200" padding="300">
        <div data-testid="holdout-method">
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {t("report.holdout.methodTitle")}
            </Text>
            <Text as="p">{t("report.holdout.method1", { percent: report.flow.holdoutPercent })}</Text>
            <Text as="p">{t("report.holdout.method2", { days })}</Text>
            <Text as="p">{t("report.holdout.method3")}</Text>
          </BlockStack>
        </div>
      </Box>
    </ReportCard>
  );
}

const MESSAGE_COLUMNS = ["numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"] as const;

function messageHeadings(t: Translate) {
  return [
    t("report.steps.sent"),
    t("report.steps.delivered"),
    t("report.steps.clicked"),
    t("report.steps.clickRate"),
    t("report.steps.heldOut"),
    t("report.steps.attributedOrders"),
    t("report.steps.attributedRevenue"),
    t("report.steps.influencedRevenue"),
  ];
}

function messageCells(r: StepRow, f: ReportFormats) {
  return [
    f.int(r.sent),
    f.int(r.delivered),
    f.int(r.clicked),
    f.percent(r.clickRate),
    f.int(r.heldOut),
    f.int(r.attributedOrders),
    f.money(r.attributedRevenue),
    f.money(r.influencedRevenue),
  ];
}

export function StepsSection({ steps, exportPath, f, t }: { steps: StepRow[]; exportPath: string; f: ReportFormats; t: Translate }) {
  return (
    <ReportCard title={t("report.steps.title")} exportPath={exportPath} table="steps" t={t}>
      {steps.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("report.empty")}
        </Text>
      ) : (
        <div data-testid="steps">
          <DataTable
            columnContentTypes={["text", "text", ...MESSAGE_COLUMNS]}
            headings={[t("report.steps.step"), t("report.steps.channel"), ...messageHeadings(t)]}
            rows={steps.map((s) => [stepName(t, s), channelLabel(t, s.channel), ...messageCells(s, f)])}
          />
        </div>
      )}
    </ReportCard>
  );
}

export function VariantsSection({
  variants,
  exportPath,
  f,
  t,
}: {
  variants: VariantRow[];
  exportPath: string;
  f: ReportFormats;
  t: Translate;
}) {
  if (variants.length === 0) return null;
  return (
    <ReportCard title={t("report.variants.title")} exportPath={exportPath} table="variants" t={t}>
      <DataTable
        columnContentTypes={["text", "text", ...MESSAGE_COLUMNS]}
        headings={[t("report.steps.step"), t("report.variants.variant"), ...messageHeadings(t)]}
        rows={variants.map((v) => [stepName(t, v), v.variant, ...messageCells(v, f)])}
      />
    </ReportCard>
  );
}

export function AbSection({ report, exportPath, f, t }: { report: FlowReport; exportPath: string; f: ReportFormats; t: Translate }) {
  return (
    <ReportCard title={t("report.ab.title")} exportPath={report.experiments.length > 0 ? exportPath : undefined} table="experiments" t={t}>
      {report.experiments.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("report.ab.empty")}
        </Text>
      ) : (
        <BlockStack gap="500">
          {report.experiments.map((e) => (
            <div key={e.id} data-testid="ab-test">
              <Experiment e={e} report={report} f={f} t={t} />
            </div>
          ))}
          <Text as="p" variant="bodySm" tone="subdued">
            {t("report.ab.method")}
          </Text>
        </BlockStack>
      )}
    </ReportCard>
  );
}

function Experiment({ e, report, f, t }: { e: ExperimentView; report: FlowReport; f: ReportFormats; t: Translate }) {
  const step = report.steps.find((s) => s.stepId === e.stepId) ?? {
    stepId: e.stepId,
    n: null,
    channel: "",
    templateKey: null,
    label: null,
  };
  const lossOf = (n: number | null) => (n === null ? "—" : e.metric === "revenue_per_recipient" ? f.money(n) : `${f.smallPoints(n)} pp`);
  const key = `report.ab.reason.${e.reason}`;
  const reasonKey = e.reason && e.reason !== "winner_found" && isMessageKey(key) ? key : null;
  const outcome =
    e.status === "concluded"
      ? e.winner
        ? t("report.ab.winner", { variant: e.winner })
        : t("report.ab.noWinner")
      : t("report.ab.noWinnerYet");
  return (
    <BlockStack gap="300">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {t("report.ab.step", { step: stepName(t, step) })}
        </Text>
        <Badge tone={e.status === "concluded" ? "success" : "info"}>{t(`report.ab.status.${e.status}`)}</Badge>
        <Badge>{t(`report.ab.metric.${e.metric}`)}</Badge>
      </InlineStack>
      <Text as="p" tone="subdued" variant="bodySm">
        {e.status === "concluded" && e.endedOn
          ? t("report.ab.concluded", { date: f.day(e.endedOn) })
          : t("report.ab.running", { date: f.day(e.startedOn) })}
        {e.evaluatedOn ? ` · ${t("report.ab.evaluated", { date: f.day(e.evaluatedOn) })}` : ""}
      </Text>
      <Text as="p" fontWeight="semibold">
        {outcome}
      </Text>
      {reasonKey && (
        <Text as="p" tone="subdued">
          {t(reasonKey, { minSample: f.int(e.minSample), minDays: e.minDays })}
        </Text>
      )}
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
        headings={[
          t("report.ab.variant"),
          t("report.ab.recipients"),
          t("report.ab.clickRate"),
          t("report.ab.conversionRate"),
          t("report.ab.revenuePerRecipient"),
          t("report.ab.probBeatControl"),
          t("report.ab.expectedLoss"),
        ]}
        rows={e.variants.map((v) => [
          `${v.key}${v.isControl ? ` (${t("report.ab.control")})` : ""}${v.isWinner ? " ★" : ""}`,
          f.int(v.recipients),
          f.percent(v.clickRate),
          f.percent(v.conversionRate),
          f.money(v.revenuePerRecipient),
          f.percent(v.probBeatControl),
          lossOf(v.expectedLoss),
        ])}
      />
      <Text as="p" variant="bodySm" tone="subdued">
        {t("report.ab.rule", {
          minSample: f.int(e.minSample),
          minDays: e.minDays,
          probability: f.wholePercent(e.minProbability),
          maxDays: e.maxDays,
        })}
      </Text>
    </BlockStack>
  );
}
