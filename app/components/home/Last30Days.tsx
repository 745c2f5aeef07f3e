// The last 30 days on the home page: the reports' own figures for the same period, two
// charts (loaded after hydration, as on the reports page) and a way into the reports.
import { BlockStack, Box, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { RevenueChart } from "~/components/reports/ClientChart";
import type { ReportFormats } from "~/components/reports/format";
import { Kpi } from "~/components/reports/sections";
import type { Translate } from "~/i18n";
import type { Last30 } from "~/server/admin/home/last30.server";

// The reports' colours: attributed revenue in blue, clicks apart from sends.
const COLOURS = { sent: "#b1c2d6", clicked: "#4b92e5", attributed: "#4b92e5" };

interface Props {
  data: Last30;
  f: ReportFormats;
  t: Translate;
  /** The reports page for the same period, with the admin's language. */
  reportsUrl: string;
}

export function Last30Days({ data, f, t, reportsUrl }: Props) {
  const inc = data.incremental;
  return (
    <section aria-labelledby="last30-title" data-testid="last30">
      <BlockStack gap="400">
        {/* Polaris cards run edge to edge on phones; the section's own heading keeps the page's margin. */}
        <Box paddingInline={{ xs: "400", sm: "0" }}>
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <BlockStack gap="100">
              <Text as="h2" variant="headingLg" id="last30-title">
                {t("home.last30.title")}
              </Text>
              <Text as="p" tone="subdued">
                {t("home.last30.subtitle", { from: f.day(data.period.from), to: f.day(data.period.to) })}
              </Text>
            </BlockStack>
            <Button url={reportsUrl}>{t("home.last30.openReports")}</Button>
          </InlineStack>
        </Box>
        {/* Counts in one row, money (wider numbers, longer notes) in the next. */}
        <InlineGrid columns={3} gap={{ xs: "200", sm: "400" }}>
          <Kpi label={t("home.last30.sent")} value={f.int(data.sent)} />
          <Kpi label={t("home.last30.clicked")} value={f.int(data.clicked)} />
          <Kpi label={t("home.last30.unsubscribes")} value={f.int(data.unsubscribes)} help={t("home.last30.unsubscribesHelp")} />
        </InlineGrid>
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap={{ xs: "200", sm: "400" }}>
          <Kpi
            label={t("home.last30.attributed")}
            value={f.money(data.attributedRevenue)}
            help={t("home.last30.attributedOrders", { count: f.int(data.attributedOrders) })}
          />
          <Kpi
            label={t("home.last30.incremental")}
            value={inc ? f.signedMoney(inc.estimate) : t("home.last30.incrementalNone")}
            muted={!inc}
            help={
              inc
                ? t("home.last30.incrementalHelp", { count: f.int(inc.flows), measured: f.int(data.measuredFlows) })
                : t("home.last30.incrementalNoneHelp")
            }
          />
        </InlineGrid>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Card>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {t("home.last30.messagesChart")}
              </Text>
              <Box minHeight="300px">
                <RevenueChart
                  label={t("home.last30.messagesChart")}
                  series={[
                    { name: t("home.last30.seriesSent"), color: COLOURS.sent, points: data.daily.map((d) => [d.day, d.sent]) },
                    { name: t("home.last30.seriesClicked"), color: COLOURS.clicked, points: data.daily.map((d) => [d.day, d.clicked]) },
                  ]}
                  formatDay={f.shortDay}
                  formatMoney={f.int}
                />
              </Box>
            </BlockStack>
          </Card>
          <Card>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {t("home.last30.revenueChart")}
              </Text>
              <Box minHeight="300px">
                <RevenueChart
                  label={t("home.last30.revenueChart")}
                  series={[
                    {
                      name: t("home.last30.seriesAttributed"),
                      color: COLOURS.attributed,
                      points: data.daily.map((d) => [d.day, d.attributedRevenue]),
                    },
                  ]}
                  formatDay={f.shortDay}
                  formatMoney={(n) => f.money(n)}
                />
              </Box>
            </BlockStack>
          </Card>
        </InlineGrid>
      </BlockStack>
    </section>
  );
}
