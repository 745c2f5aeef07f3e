import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { translator, type Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { loadPrivacyRequests, type PrivacyRequest } from "~/server/admin/privacy-requests.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  return { requests: await loadPrivacyRequests(ctx.shop), locale: ctx.locale, timezone: ctx.shop.timezone };
};

export default function PrivacyRequests() {
  const { requests, locale, timezone } = useLoaderData<typeof loader>();
  const t = translator(locale);
  const tag = localeTag(locale);
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: timezone });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: "long", timeZone: timezone });
  const [failed, setFailed] = useState(false);
  const q = locale === "en" ? "" : `?lang=${locale}`;

  // A fetch, not a link: inside Shopify admin, App Bridge authenticates fetches only.
  const download = async (id: string) => {
    setFailed(false);
    const res = await fetch(`/app/privacy/${id}/export${q}`);
    if (!res.ok) return setFailed(true);
    const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `customer-data-${id}.json`;
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  };

  return (
    <Page title={t("privacy.title")} subtitle={t("privacy.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Banner tone="info">
              <Text as="p">{t("privacy.howTo")}</Text>
            </Banner>
            {failed && <Banner tone="critical">{t("privacy.downloadFailed")}</Banner>}
            <Card padding="0">
              {requests.length === 0 ? (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    {t("privacy.empty")}
                  </Text>
                </div>
              ) : (
                <IndexTable
                  itemCount={requests.length}
                  selectable={false}
                  headings={[
                    { title: t("privacy.received") },
                    { title: t("privacy.request") },
                    { title: t("privacy.status") },
                    { title: "" },
                  ]}
                >
                  {requests.map((r, i) => (
                    <IndexTable.Row id={r.id} key={r.id} position={i}>
                      <IndexTable.Cell>{dateTime.format(new Date(r.at))}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <RequestLabel request={r} t={t} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        {r.kind === "erasure" ? (
                          <Badge tone="success">{t("privacy.erased")}</Badge>
                        ) : (
                          <BlockStack gap="100">
                            <Text as="span">
                              {r.profiles === 0 ? t("privacy.profiles.none") : t("privacy.profiles.some", { count: r.profiles })}
                            </Text>
                            <Text as="span" tone="subdued">
                              {t("privacy.answerBy", { date: date.format(new Date(r.answerBy)) })}
                            </Text>
                          </BlockStack>
                        )}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        {r.kind === "data_request" && (
                          <InlineStack align="end">
                            <Button onClick={() => void download(r.id)}>{t("privacy.download")}</Button>
                          </InlineStack>
                        )}
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function RequestLabel({ request, t }: { request: PrivacyRequest; t: Translate }) {
  if (request.kind === "erasure") return <Text as="span">{t("privacy.kind.erasure")}</Text>;
  return (
    <BlockStack gap="100">
      <Text as="span" fontWeight="semibold">
        {t("privacy.kind.dataRequest")}
      </Text>
      {request.requestId && (
        <Text as="span" tone="subdued">
          {t("privacy.requestId", { id: request.requestId })}
        </Text>
      )}
    </BlockStack>
  );
}
