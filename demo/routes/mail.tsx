import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AppProvider, Badge, BlockStack, Box, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisPl from "@shopify/polaris/locales/pl.json";
import { resolveLocale, translator } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { readEnv } from "~/server/config.server";
import { requireDemo } from "../guard.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  requireDemo();
  // Lazily: smtp-server and mailparser are demo-only packages, absent from a production install.
  const { sinkRunning, sunkMails } = await import("../standins/smtp-sink.server");
  const url = new URL(request.url);
  const mails = sunkMails();
  const selectedId = Number(url.searchParams.get("id") ?? mails[0]?.id ?? 0);
  return {
    locale: resolveLocale(url.searchParams.get("lang")),
    external: Boolean(readEnv().SMTP_URL) && !sinkRunning(),
    mails: mails.map(({ html: _html, text: _text, headers: _headers, ...rest }) => rest),
    selected: mails.find((m) => m.id === selectedId) ?? null,
  };
};

export default function MailOutbox() {
  const { locale, external, mails, selected } = useLoaderData<typeof loader>();
  const t = translator(locale);
  const q = locale === "en" ? "" : `&lang=${locale}`;
  return (
    <AppProvider i18n={locale === "pl" ? polarisPl : polarisEn}>
      <Page
        title={t("mail.title")}
        subtitle={t("mail.subtitle")}
        backAction={{ content: "Admin", url: `/app${q ? `?${q.slice(1)}` : ""}` }}
        secondaryActions={[{ content: t("mail.smsOutbox"), url: `/dev/sms${q ? `?${q.slice(1)}` : ""}` }]}
      >
        <Layout>
          {external ? (
            <Layout.Section>
              <Card>
                <Text as="p">{t("mail.external")}</Text>
              </Card>
            </Layout.Section>
          ) : mails.length === 0 ? (
            <Layout.Section>
              <Card>
                <EmptyState heading={t("mail.empty")} image="">
                  <p>{t("mail.subtitle")}</p>
                </EmptyState>
              </Card>
            </Layout.Section>
          ) : (
            <>
              <Layout.Section variant="oneThird">
                <Card padding="0">
                  <ul style={{ listStyle: "none", margin: 0, padding: 0 }} data-testid="mail-list">
                    {mails.map((m) => (
                      <li key={m.id}>
                        <a
                          href={`/dev/mail?id=${m.id}${q}`}
                          style={{ display: "block", textDecoration: "none", color: "inherit" }}
                          aria-current={selected?.id === m.id}
                        >
                          <Box
                            padding="300"
                            background={selected?.id === m.id ? "bg-surface-selected" : undefined}
                            borderBlockEndWidth="025"
                            borderColor="border"
                          >
                            <BlockStack gap="100">
                              <Text as="span" variant="bodyMd" fontWeight="semibold" truncate>
                                {m.subject || "(no subject)"}
                              </Text>
                              <Text as="span" variant="bodySm" tone="subdued" truncate>
                                {m.to}
                              </Text>
                              <Text as="span" variant="bodySm" tone="subdued">
                                {new Date(m.receivedAt).toLocaleString(localeTag(locale))}
                              </Text>
                            </BlockStack>
                          </Box>
                        </a>
                      </li>
                    ))}
                  </ul>
                </Card>
              </Layout.Section>
              <Layout.Section>
                {selected && (
                  <Card>
                    <BlockStack gap="300">
                      <Text as="h2" variant="headingLg">
                        {selected.subject}
                      </Text>
                      <InlineStack gap="200">
                        <Badge>{`${t("mail.to")}: ${selected.to}`}</Badge>
                        <Badge tone="info">{selected.from}</Badge>
                      </InlineStack>
                      {selected.html ? (
                        <iframe
                          title={selected.subject}
                          sandbox=""
                          srcDoc={selected.html}
                          style={{ width: "100%", minHeight: 900, border: "1px solid #e3e3e3", borderRadius: 8 }}
                        />
                      ) : (
                        <pre style={{ whiteSpace: "pre-wrap" }}>{selected.text}</pre>
                      )}
                      <details>
                        <summary>Headers</summary>
                        <pre style={{ whiteSpace: "pre-wrap", fontSize: 12 }}>
                          {Object.entries(selected.headers)
                            .map(([k, v]) => `${k}: ${v}`)
                            .join("\n")}
                        </pre>
                      </details>
                    </BlockStack>
                  </Card>
                )}
              </Layout.Section>
            </>
          )}
        </Layout>
      </Page>
    </AppProvider>
  );
}
