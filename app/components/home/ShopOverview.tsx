// The shop at a glance (the home page's older half): customers and orders, recent
// orders, system health and, in the demo, its tools.
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import type { Translate } from "~/i18n";
import type { Overview } from "~/server/admin/overview.server";
import { StackedTable } from "~/components/ui/StackedTable";

const DEMO_BUTTONS = {
  "advance-hour": "home.demo.advance",
  "advance-day": "home.demo.advanceDay",
  "test-email": "home.demo.testEmail",
} as const;

export interface OverviewFormats {
  int: Intl.NumberFormat;
  money: Intl.NumberFormat;
  date: Intl.DateTimeFormat;
  orderMoney: (amount: number, currency: string) => string;
}

export function ShopKpis({ data, fmt, t }: { data: Overview; fmt: OverviewFormats; t: Translate }) {
  const { int, money } = fmt;
  const kpis: [string, string][] = [
    [t("home.kpi.customers"), int.format(data.kpis.customers)],
    [t("home.kpi.emailSubscribers"), int.format(data.kpis.emailSubs)],
    [t("home.kpi.smsSubscribers"), int.format(data.kpis.smsSubs)],
    [t("home.kpi.orders30"), int.format(data.kpis.orders30)],
    [t("home.kpi.revenue30"), money.format(Number(data.kpis.revenue30))],
    [t("home.kpi.events24"), int.format(data.kpis.events24)],
  ];
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
      {kpis.map(([label, value]) => (
        <Card key={label}>
          <BlockStack gap="200">
            <Text as="h3" variant="bodyMd" tone="subdued">
              {label}
            </Text>
            <Text as="p" variant="headingXl">
              {value}
            </Text>
          </BlockStack>
        </Card>
      ))}
    </InlineGrid>
  );
}

export function RecentOrders({ data, fmt, t }: { data: Overview; fmt: OverviewFormats; t: Translate }) {
  const { date } = fmt;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("home.recentOrders.title")}
        </Text>
        {data.recentOrders.length === 0 ? (
          <Text as="p">{t("home.recentOrders.empty")}</Text>
        ) : (
          <StackedTable
            columns={[
              { heading: t("home.recentOrders.order") },
              { heading: t("home.recentOrders.date") },
              { heading: t("home.recentOrders.customer") },
              { heading: t("home.recentOrders.total"), numeric: true },
            ]}
            rows={data.recentOrders.map((o) => ({
              key: o.id,
              cells: [o.name, date.format(new Date(o.processedAt)), o.customer, fmt.orderMoney(Number(o.total), o.currency)],
            }))}
          />
        )}
      </BlockStack>
    </Card>
  );
}

export function HealthCard({ data, fmt, t }: { data: Overview; fmt: OverviewFormats; t: Translate }) {
  const { int } = fmt;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("home.health.title")}
        </Text>
        <InlineStack align="space-between">
          <Text as="span">{t("home.health.database")}</Text>
          <Badge tone={data.health.database.ok ? "success" : "critical"}>
            {data.health.database.ok ? `${data.health.database.kind} · ${data.health.database.latencyMs} ms` : "down"}
          </Badge>
        </InlineStack>
        <InlineStack align="space-between">
          <Text as="span">{t("home.health.webhooks")}</Text>
          <Text as="span">{int.format(data.health.webhooks)}</Text>
        </InlineStack>
        <InlineStack align="space-between">
          <Text as="span">{t("home.health.rejected")}</Text>
          <Text as="span">{int.format(data.health.rejected)}</Text>
        </InlineStack>
        <InlineStack align="space-between">
          <Text as="span">{t("home.health.inDoubt")}</Text>
          <Text as="span" tone={data.health.inDoubt > 0 ? "caution" : undefined}>
            {int.format(data.health.inDoubt)}
          </Text>
        </InlineStack>
        <InlineStack align="space-between">
          <Text as="span">{t("home.health.clock")}</Text>
          <Text as="span">
            {data.health.clockOffsetHours
              ? t("home.health.clockOffset", { hours: data.health.clockOffsetHours })
              : t("home.health.clockReal")}
          </Text>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export function DemoTools({ t, query }: { t: Translate; query: string }) {
  // The demo's buttons post to its own route (demo/routes/overview-actions.ts).
  const demoAction = useFetcher<{ ok: boolean; message?: string }>();
  const result = demoAction.data;
  const busy = demoAction.state !== "idle";
  const q = query;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("home.demo.title")}
        </Text>
        {result?.message === "test-email" && <Banner tone="success">{t("home.demo.testEmailSent")}</Banner>}
        <BlockStack gap="200">
          {(["advance-hour", "advance-day", "test-email"] as const).map((intent) => (
            <demoAction.Form method="post" action="/dev/actions" key={intent}>
              <input type="hidden" name="intent" value={intent} />
              <Button submit fullWidth disabled={busy} variant={intent === "test-email" ? "primary" : undefined}>
                {t(DEMO_BUTTONS[intent])}
              </Button>
            </demoAction.Form>
          ))}
        </BlockStack>
        <InlineStack gap="300">
          <Button url={`/dev/mail${q}`} variant="plain">
            {t("home.demo.openMail")}
          </Button>
          <Button url={`/dev/storefront${q}`} variant="plain">
            {t("home.demo.openStorefront")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
