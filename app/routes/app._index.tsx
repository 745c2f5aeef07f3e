import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { Last30Days } from "~/components/home/Last30Days";
import { SetupChecklist } from "~/components/home/SetupChecklist";
import { DemoTools, HealthCard, RecentOrders, ShopKpis, type OverviewFormats } from "~/components/home/ShopOverview";
import { reportFormats } from "~/components/reports/format";
import { translator } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { checklistLinks, loadChecklist } from "~/server/admin/home/checklist.server";
import { loadLast30 } from "~/server/admin/home/last30.server";
import { loadOverview } from "~/server/admin/overview.server";
import { readEnv, shopifyCredentials } from "~/server/config.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const query = ctx.locale === "en" ? "" : `?lang=${ctx.locale}`;
  const [overview, checklist, last30] = await Promise.all([loadOverview(ctx.shop), loadChecklist(ctx.shop), loadLast30(ctx.shop)]);
  return {
    ...overview,
    checklist,
    links: checklistLinks({ demo: ctx.demo, shopDomain: ctx.shop.domain, apiKey: shopifyCredentials(readEnv()).apiKey, query }),
    last30,
    demo: ctx.demo,
    locale: ctx.locale,
    query,
  };
};

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const t = translator(data.locale);
  const tag = localeTag(data.locale);
  const fmt: OverviewFormats = {
    int: new Intl.NumberFormat(tag),
    money: new Intl.NumberFormat(tag, { style: "currency", currency: data.shop.currency }),
    date: new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: data.shop.timezone }),
    orderMoney: (amount, currency) => new Intl.NumberFormat(tag, { style: "currency", currency }).format(amount),
  };
  const reportsUrl = `/app/reports?period=30${data.query.replace("?", "&")}`;
  return (
    <Page
      title={t("home.title")}
      subtitle={t("home.subtitle", { shop: data.shop.name, timezone: data.shop.timezone, currency: data.shop.currency })}
    >
      <Layout>
        {data.health.inDoubt > 0 && (
          <Layout.Section>
            <Banner tone="warning" title={t("home.inDoubt.title", { count: fmt.int.format(data.health.inDoubt) })}>
              <p>{t("home.inDoubt.body")}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <SetupChecklist items={data.checklist.items} links={data.links} flowsOn={data.checklist.flowsOn} t={t} />
        </Layout.Section>
        <Layout.Section>
          <Last30Days data={data.last30} f={reportFormats(data.locale, data.shop.currency)} t={t} reportsUrl={reportsUrl} />
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            <ShopKpis data={data} fmt={fmt} t={t} />
            <RecentOrders data={data} fmt={fmt} t={t} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <HealthCard data={data} fmt={fmt} t={t} />
            {data.demo && <DemoTools t={t} query={data.query} />}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
