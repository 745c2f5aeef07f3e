import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { AppProvider, Badge, BlockStack, Box, Button, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisPl from "@shopify/polaris/locales/pl.json";
import { resolveLocale, translator, type MessageKey } from "~/i18n";
import { readSmsConfig } from "~/server/channels/sms/config.server";
import { requireDemo } from "../guard.server";
import { DEMO_SHOP } from "../seed/demo-shop";
import { maskPhone, replyAsRecipient, standinSmsMessages, type StandinSms } from "../standins/twilio.server";

// The SMS outbox: what the demo's Twilio stand-in received from the app's real
// provider, and replies sent "as the customer" through Twilio's signed webhook.

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

const DIRECTION: Record<StandinSms["direction"], { key: MessageKey; tone?: "info" | "attention" | "success" }> = {
  "outbound-api": { key: "smsOutbox.outbound", tone: "info" },
  inbound: { key: "smsOutbox.inbound", tone: "attention" },
  "outbound-reply": { key: "smsOutbox.reply", tone: "success" },
};

export const loader = ({ request }: LoaderFunctionArgs) => {
  requireDemo();
  const locale = resolveLocale(new URL(request.url).searchParams.get("lang"));
  const config = readSmsConfig();
  // Times in the demo shop's zone, formatted here so the browser renders the same text.
  const time = new Intl.DateTimeFormat(locale === "pl" ? "pl-PL" : "en-GB", {
    timeZone: DEMO_SHOP.ianaTimezone,
    dateStyle: "medium",
    timeStyle: "short",
  });
  return {
    locale,
    notConfigured: !config,
    external: config && !/\/dev\/twilio$/.test(config.apiBaseUrl) ? config.apiBaseUrl : null,
    messages: standinSmsMessages().map((m) => ({
      sid: m.sid,
      direction: m.direction,
      // The shop's own number in full; the customer's masked.
      from: m.direction === "inbound" ? maskPhone(m.from ?? "") : (m.from ?? m.messagingServiceSid ?? ""),
      to: m.direction === "inbound" ? m.to : maskPhone(m.to),
      body: m.body,
      segments: m.segments,
      encoding: m.encoding,
      status: m.status,
      time: time.format(new Date(m.createdAt)),
      webhookStatus: m.webhookStatus ?? null,
      canReply: m.direction === "outbound-api" && Boolean(m.from),
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemo();
  const url = new URL(request.url);
  const form = await request.formData();
  const sid = form.get("sid");
  const reply = form.get("reply");
  if (typeof sid !== "string" || !/^SM[0-9a-f]{32}$/.test(sid) || typeof reply !== "string" || !["STOP", "START"].includes(reply))
    return new Response("Bad request", { status: 400 });
  try {
    // Twilio calls the webhook URL configured for the number: here, this app.
    await replyAsRecipient(sid, reply, url.origin);
  } catch (err) {
    return new Response(String(err instanceof Error ? err.message : err), { status: 400 });
  }
  const lang = url.searchParams.get("lang");
  return redirect(`/dev/sms${lang ? `?lang=${encodeURIComponent(lang)}` : ""}`);
};

export default function SmsOutbox() {
  const { locale, notConfigured, external, messages } = useLoaderData<typeof loader>();
  const t = translator(locale);
  const q = locale === "en" ? "" : `?lang=${locale}`;
  return (
    <AppProvider i18n={locale === "pl" ? polarisPl : polarisEn}>
      <Page
        title={t("smsOutbox.title")}
        subtitle={t("smsOutbox.subtitle")}
        backAction={{ content: "Admin", url: `/app${q}` }}
        secondaryActions={[{ content: t("smsOutbox.mailOutbox"), url: `/dev/mail${q}` }]}
      >
        <Layout>
          <Layout.Section>
            {notConfigured || external ? (
              <Card>
                <Text as="p">{notConfigured ? t("smsOutbox.notConfigured") : t("smsOutbox.external", { url: external ?? "" })}</Text>
              </Card>
            ) : messages.length === 0 ? (
              <Card>
                <EmptyState heading={t("smsOutbox.empty")} image="">
                  <p>{t("smsOutbox.emptyHint")}</p>
                </EmptyState>
              </Card>
            ) : (
              <Card padding="0">
                <ul style={{ listStyle: "none", margin: 0, padding: 0 }} data-testid="sms-list">
                  {messages.map((m) => (
                    <li key={m.sid} data-sid={m.sid} data-direction={m.direction}>
                      <Box padding="400" borderBlockEndWidth="025" borderColor="border">
                        <BlockStack gap="200">
                          <InlineStack gap="200" blockAlign="center">
                            <Badge tone={DIRECTION[m.direction].tone}>{t(DIRECTION[m.direction].key)}</Badge>
                            <Text as="span" variant="bodySm" tone="subdued">
                              {`${m.time} (${t("smsOutbox.timeZone")})`}
                            </Text>
                            <Text as="span" variant="bodySm" tone="subdued">
                              {`${t("smsOutbox.from")}: ${m.from} → ${t("smsOutbox.to")}: ${m.to}`}
                            </Text>
                          </InlineStack>
                          <div
                            style={{
                              whiteSpace: "pre-wrap",
                              background: m.direction === "inbound" ? "#f1f1f1" : "#e8f0fe",
                              borderRadius: 12,
                              padding: "8px 12px",
                              maxWidth: 560,
                              fontSize: 14,
                              lineHeight: 1.45,
                            }}
                          >
                            {m.body}
                          </div>
                          <InlineStack gap="300" blockAlign="center">
                            <Text as="span" variant="bodySm" tone="subdued">
                              {t("smsOutbox.segments", { count: m.segments, encoding: m.encoding })}
                            </Text>
                            <Text as="span" variant="bodySm" tone="subdued">
                              {m.status}
                            </Text>
                            <Text as="span" variant="bodySm" tone="subdued">
                              <code>{m.sid}</code>
                            </Text>
                            {m.webhookStatus !== null && (
                              <Badge tone={m.webhookStatus === 200 ? "success" : "critical"}>
                                {t("smsOutbox.webhook", { status: m.webhookStatus })}
                              </Badge>
                            )}
                          </InlineStack>
                          {m.canReply && (
                            <InlineStack gap="200">
                              {(["STOP", "START"] as const).map((reply) => (
                                <Form key={reply} method="post" action={`/dev/sms${q}`}>
                                  <input type="hidden" name="sid" value={m.sid} />
                                  <input type="hidden" name="reply" value={reply} />
                                  <Button submit size="slim" variant={reply === "STOP" ? "secondary" : "plain"}>
                                    {t(reply === "STOP" ? "smsOutbox.replyStop" : "smsOutbox.replyStart")}
                                  </Button>
                                </Form>
                              ))}
                            </InlineStack>
                          )}
                        </BlockStack>
                      </Box>
                    </li>
                  ))}
                </ul>
              </Card>
            )}
          </Layout.Section>
        </Layout>
      </Page>
    </AppProvider>
  );
}
