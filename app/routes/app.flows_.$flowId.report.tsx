import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { Badge, Layout, Page } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { AbSection, HoldoutSection, StepsSection, VariantsSection } from "~/components/reports/flow-sections";
import { reportFormats } from "~/components/reports/format";
import { PeriodPicker } from "~/components/reports/PeriodPicker";
import { ChannelsSection, FunnelSection, Headline, RevenueSection } from "~/components/reports/sections";
import { translator } from "~/i18n";
import { reportTranslator } from "~/i18n/report-labels";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { flowReport } from "~/server/admin/reports/flow-report.server";
import { reportPeriod } from "~/server/admin/reports/report-request.server";

// A flow's report. Its own page under /app/flows/<id>: the flow editor (issue 16) can
// become the parent layout of this route (app.flows_.$flowId.tsx with tabs and an
// Outlet) without moving it.
export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const { period, today } = reportPeriod(request, ctx.shop);
  const report = await flowReport(ctx.shop, params.flowId ?? "", period, today, ctx.locale);
  if (!report) throw new Response("No such flow", { status: 404 });
  return { report, locale: ctx.locale };
};

export default function FlowReportPage() {
  const { report, locale } = useLoaderData<typeof loader>();
  // Attributed figures say "(clicks and opens)" when the shop counts opens.
  const t = reportTranslator(translator(locale), report.shop.attributeOpens);
  const f = reportFormats(locale, report.shop.currency);
  const { search } = useLocation();
  const lang = new URLSearchParams(search).get("lang");
  const exportPath = `/app/flows/${report.flow.id}/report/export`;
  const conclusive = report.holdout.verdict === "positive" || report.holdout.verdict === "negative";
  return (
    <Page
      title={t("report.flowTitle", { flow: report.flow.name })}
      titleMetadata={
        <Badge tone={report.flow.status === "on" ? "success" : undefined}>
          {t(report.flow.status === "on" ? "flows.on" : report.flow.status === "paused" ? "flows.paused" : "flows.off")}
        </Badge>
      }
      subtitle={t("report.flowSubtitle", { from: f.day(report.period.from), to: f.day(report.period.to), timezone: report.shop.timezone })}
      backAction={{ content: t("report.backToFlows"), url: `/app/flows${lang ? `?lang=${lang}` : ""}` }}
      secondaryActions={[{ content: t("report.allReports"), url: `/app/reports${search}` }]}
    >
      <Layout>
        <Layout.Section>
          <PeriodPicker key={`${report.period.kind}:${report.period.from}:${report.period.to}`} period={report.period} t={t} />
        </Layout.Section>
        <Layout.Section>
          <Headline
            funnel={report.funnel}
            totals={report.totals}
            incremental={{ interval: report.holdout.incrementalRevenue, verdict: report.holdout.verdict }}
            f={f}
            t={t}
          />
        </Layout.Section>
        <Layout.Section>
          <HoldoutSection report={report} exportPath={exportPath} f={f} t={t} />
        </Layout.Section>
        <Layout.Section>
          <RevenueSection
            daily={report.daily}
            incremental={{ shown: conclusive, measurementDays: report.flow.measurementDays }}
            attributeOpens={report.shop.attributeOpens}
            attribution={report.shop.attribution}
            exportPath={exportPath}
            f={f}
            t={t}
          />
        </Layout.Section>
        <Layout.Section>
          <FunnelSection funnel={report.funnel} reasons={report.reasons} exportPath={exportPath} f={f} t={t} />
        </Layout.Section>
        <Layout.Section>
          <StepsSection steps={report.steps} exportPath={exportPath} f={f} t={t} />
        </Layout.Section>
        {report.variants.length > 0 && (
          <Layout.Section>
            <VariantsSection variants={report.variants} exportPath={exportPath} f={f} t={t} />
          </Layout.Section>
        )}
        <Layout.Section>
          <AbSection report={report} exportPath={exportPath} f={f} t={t} />
        </Layout.Section>
        <Layout.Section>
          <ChannelsSection channels={report.channels} exportPath={exportPath} f={f} t={t} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
