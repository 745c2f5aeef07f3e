import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { BlockStack, DataTable, Layout, Page, Text } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { reportFormats } from "~/components/reports/format";
import { PeriodPicker } from "~/components/reports/PeriodPicker";
import { ReportCard } from "~/components/reports/ReportCard";
import { ChannelsSection, FunnelSection, Headline, RevenueSection, Subdued, VerdictBadge } from "~/components/reports/sections";
import { translator } from "~/i18n";
import { reportTranslator } from "~/i18n/report-labels";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { reportPeriod } from "~/server/admin/reports/report-request.server";
import { shopReport } from "~/server/admin/reports/shop-report.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const { period, today } = reportPeriod(request, ctx.shop);
  return { report: await shopReport(ctx.shop, period, today, ctx.locale), locale: ctx.locale };
};

const EXPORT = "/app/reports/export";

export default function Reports() {
  const { report, locale } = useLoaderData<typeof loader>();
  // Attributed figures say "(clicks and opens)" when the shop counts opens.
  const t = reportTranslator(translator(locale), report.shop.attributeOpens);
  const f = reportFormats(locale, report.shop.currency);
  const { search } = useLocation();
  return (
    <Page
      title={t("report.title")}
      subtitle={t("report.subtitle", { from: f.day(report.period.from), to: f.day(report.period.to), timezone: report.shop.timezone })}
    >
      <Layout>
        <Layout.Section>
          <PeriodPicker key={`${report.period.kind}:${report.period.from}:${report.period.to}`} period={report.period} t={t} />
        </Layout.Section>
        <Layout.Section>
          <Headline funnel={report.funnel} totals={report.totals} f={f} t={t} />
        </Layout.Section>
        <Layout.Section>
          <RevenueSection
            daily={report.daily}
            attributeOpens={report.shop.attributeOpens}
            attribution={report.shop.attribution}
            exportPath={EXPORT}
            f={f}
            t={t}
          />
        </Layout.Section>
        <Layout.Section>
          <ReportCard title={t("report.flows.title")} exportPath={EXPORT} table="flows" t={t}>
            <div data-testid="flows">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "text"]}
                headings={[
                  t("report.flows.flow"),
                  t("report.flows.entered"),
                  t("report.steps.sent"),
                  t("report.steps.clicked"),
                  t("report.steps.attributedRevenue"),
                  t("report.steps.influencedRevenue"),
                  t("report.flows.incremental"),
                  t("report.flows.verdict"),
                ]}
                rows={report.flows.map((row) => [
                  <Link key={row.flowId} to={`/app/flows/${row.flowId}/report${search}`}>
                    {row.name}
                  </Link>,
                  f.int(row.entered),
                  f.int(row.sent),
                  f.int(row.clicked),
                  f.money(row.attributedRevenue),
                  f.money(row.influencedRevenue),
                  row.incrementalRevenue && row.verdict !== "too_few" ? (
                    <BlockStack key="i" gap="0" inlineAlign="end">
                      <Text as="span">{f.signedMoney(row.incrementalRevenue.estimate)}</Text>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {f.signedMoney(row.incrementalRevenue.low)} … {f.signedMoney(row.incrementalRevenue.high)}
                      </Text>
                    </BlockStack>
                  ) : (
                    "—"
                  ),
                  <VerdictBadge key="v" verdict={row.verdict} t={t} />,
                ])}
              />
            </div>
            <Subdued>{t("report.flows.entriesNote")}</Subdued>
          </ReportCard>
        </Layout.Section>
        <Layout.Section>
          <FunnelSection funnel={report.funnel} reasons={report.reasons} exportPath={EXPORT} f={f} t={t} />
        </Layout.Section>
        <Layout.Section>
          <ChannelsSection channels={report.channels} exportPath={EXPORT} f={f} t={t} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
