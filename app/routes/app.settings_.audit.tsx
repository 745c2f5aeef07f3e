import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineStack, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { AuditDetails } from "~/components/settings/AuditDetails";
import { isMessageKey, translator, type Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { loadAuditPage } from "~/server/admin/settings/audit-log.server";

const PageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const page = PageParam.parse(new URL(request.url).searchParams.get("page") ?? 1);
  const audit = await loadAuditPage(ctx.shop.id, page, ctx.locale);
  return { locale: ctx.locale, timezone: ctx.shop.timezone, ...audit };
};

const known = (t: Translate, key: string, fallback: string) => (isMessageKey(key) ? t(key) : fallback);

export default function AuditLog() {
  const { locale, timezone, entries, page, pages } = useLoaderData<typeof loader>();
  const t = translator(locale);
  const location = useLocation();
  const lang = new URLSearchParams(location.search).get("lang");
  const link = (p: number) => `/app/settings/audit?${new URLSearchParams({ ...(lang ? { lang } : {}), page: String(p) })}`;
  const when = new Intl.DateTimeFormat(localeTag(locale), { dateStyle: "medium", timeStyle: "short", timeZone: timezone });
  const rows = entries.map((e) => [
    when.format(new Date(e.at)),
    known(t, `audit.actor.${e.actor}`, e.actor),
    <BlockStack gap="050" key="what">
      <Text as="span">{known(t, `audit.action.${e.action}`, e.action)}</Text>
      {e.subject && (
        <Text as="span" variant="bodySm" tone="subdued">
          {e.subject}
        </Text>
      )}
    </BlockStack>,
    <AuditDetails t={t} details={e.details} key="details" />,
  ]);
  return (
    <Page
      title={t("audit.title")}
      subtitle={t("audit.subtitle")}
      backAction={{ content: t("audit.back"), url: `/app/settings${lang ? `?lang=${lang}` : ""}` }}
    >
      <Card padding="0">
        {entries.length === 0 ? (
          <div style={{ padding: "16px" }}>
            <Text as="p">{t("audit.empty")}</Text>
          </div>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={[t("audit.when"), t("audit.who"), t("audit.what"), t("audit.details")]}
            rows={rows}
            verticalAlign="top"
          />
        )}
      </Card>
      <div style={{ padding: "16px 0" }}>
        <InlineStack gap="400" align="center" blockAlign="center">
          {page > 1 ? <Link to={link(page - 1)}>{t("audit.newer")}</Link> : <span />}
          <Text as="span">{t("audit.page", { page, pages })}</Text>
          {page < pages ? <Link to={link(page + 1)}>{t("audit.older")}</Link> : <span />}
        </InlineStack>
      </div>
    </Page>
  );
}
