import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider as PolarisProvider, Banner, Box, InlineStack, Text } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisPl from "@shopify/polaris/locales/pl.json";
import { AppProvider as ShopifyAppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { translator } from "~/i18n";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { readEnv, shopifyCredentials } from "~/server/config.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  return {
    apiKey: shopifyCredentials(readEnv()).apiKey,
    demo: ctx.demo,
    locale: ctx.locale,
    shopName: ctx.shop.name,
  };
};

export default function AppLayout() {
  const { apiKey, demo, locale, shopName } = useLoaderData<typeof loader>();
  const t = translator(locale);
  const q = locale === "en" ? "" : `?lang=${locale}`;
  if (!demo) {
    return (
      <ShopifyAppProvider isEmbeddedApp apiKey={apiKey}>
        <NavMenu>
          <Link to="/app" rel="home">
            {t("nav.home")}
          </Link>
          <Link to="/app/flows">{t("nav.flows")}</Link>
          <Link to="/app/reports">{t("nav.reports")}</Link>
          <Link to="/app/preview">{t("nav.preview")}</Link>
          <Link to="/app/customers">{t("nav.customers")}</Link>
          <Link to="/app/privacy">{t("nav.privacy")}</Link>
          <Link to="/app/health">{t("nav.health")}</Link>
          <Link to="/app/settings">{t("nav.settings")}</Link>
        </NavMenu>
        <Outlet />
      </ShopifyAppProvider>
    );
  }
  // Demo: App Bridge cannot load offline, so Polaris renders on its own with a
  // stand-in for the admin's navigation.
  return (
    <PolarisProvider i18n={locale === "pl" ? polarisPl : polarisEn}>
      <Box background="bg-surface" borderBlockEndWidth="025" borderColor="border" padding="300">
        <InlineStack gap="400" blockAlign="center">
          <Text as="span" variant="headingMd">
            {t("app.name")} · {shopName}
          </Text>
          <Link to={`/app${q}`}>{t("nav.home")}</Link>
          <Link to={`/app/flows${q}`}>{t("nav.flows")}</Link>
          <Link to={`/app/reports${q}`}>{t("nav.reports")}</Link>
          <Link to={`/app/preview${q}`}>{t("nav.preview")}</Link>
          <Link to={`/app/customers${q}`}>{t("nav.customers")}</Link>
          <Link to={`/app/privacy${q}`}>{t("nav.privacy")}</Link>
          <Link to={`/app/health${q}`}>{t("nav.health")}</Link>
          <Link to={`/app/settings${q}`}>{t("nav.settings")}</Link>
          <a href={`/dev/mail${q}`}>{t("nav.mail")}</a>
          <a href={`/dev/storefront${q}`}>{t("nav.storefront")}</a>
          <span style={{ marginLeft: "auto" }}>
            <a href="/app?lang=en" aria-current={locale === "en"}>
              EN
            </a>{" "}
            ·{" "}
            <a href="/app?lang=pl" aria-current={locale === "pl"}>
              PL
            </a>
          </span>
        </InlineStack>
      </Box>
      <Box padding="400" paddingBlockEnd="0">
        <Banner tone="info" title={t("demo.banner.title")}>
          <p>{t("demo.banner.body")}</p>
        </Banner>
      </Box>
      <Outlet />
    </PolarisProvider>
  );
}

// Shopify's boundary turns auth redirects into App Bridge navigation inside the admin.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
