import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { EMAIL_TEMPLATE_KEYS, isEmailTemplateKey } from "~/domain/messages/catalogue";
import { resolveLocale, translator } from "~/i18n";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { internalAddresses, previewEmail, sendTestEmail, TestSendRefused } from "~/server/admin/message-preview.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const url = new URL(request.url);
  const key = url.searchParams.get("template") ?? "welcome_1";
  const templateKey = isEmailTemplateKey(key) ? key : "welcome_1";
  const language = resolveLocale(url.searchParams.get("language") ?? ctx.shop.locale);
  return {
    locale: ctx.locale,
    templateKey,
    language,
    templates: EMAIL_TEMPLATE_KEYS,
    internal: internalAddresses(ctx.shop),
    preview: await previewEmail(ctx.shop, templateKey, language),
  };
};

const TestSend = z.object({
  template: z.string().refine(isEmailTemplateKey, "unknown template"),
  language: z.enum(["en", "pl"]),
  to: z.string().email(),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const parsed = TestSend.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false, error: parsed.error.issues.map((i) => i.message).join("; ") }, { status: 400 });
  try {
    await sendTestEmail(ctx.shop, parsed.data.template, parsed.data.language, parsed.data.to, ctx.demo ? "demo-merchant" : "merchant");
    return { ok: true, error: null };
  } catch (err) {
    if (err instanceof TestSendRefused) return data({ ok: false, error: err.message }, { status: 400 });
    throw err;
  }
};

export default function Preview() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = translator(data.locale);
  const [to, setTo] = useState(data.internal[0] ?? "");
  const [template, setTemplate] = useState<string>(data.templateKey);
  const [language, setLanguage] = useState<string>(data.language);
  return (
    <Page title={t("preview.title")} subtitle={t("preview.subtitle")}>
      <Layout>
        <Layout.Section variant="oneThird">
          <Card>
            <Form method="get">
              <BlockStack gap="300">
                <Select
                  label={t("preview.template")}
                  name="template"
                  options={data.templates.map((k) => ({ label: k, value: k }))}
                  value={template}
                  onChange={setTemplate}
                />
                <Select
                  label={t("preview.language")}
                  name="language"
                  options={[
                    { label: "English", value: "en" },
                    { label: "Polski", value: "pl" },
                  ]}
                  value={language}
                  onChange={setLanguage}
                />
                <input type="hidden" name="lang" value={data.locale} />
                <Button submit>{t("preview.show")}</Button>
              </BlockStack>
            </Form>
          </Card>
          <Card>
            <Form method="post">
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("preview.testSend")}
                </Text>
                {result?.ok && <Banner tone="success">{t("preview.testSent")}</Banner>}
                {result && !result.ok && <Banner tone="critical">{result.error}</Banner>}
                <input type="hidden" name="template" value={data.templateKey} />
                <input type="hidden" name="language" value={data.language} />
                <TextField
                  label={t("preview.to")}
                  name="to"
                  value={to}
                  onChange={setTo}
                  autoComplete="email"
                  helpText={t("preview.internalOnly")}
                />
                <Button submit variant="primary" disabled={busy}>
                  {t("preview.send")}
                </Button>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <InlineStack gap="200">
                <Text as="span" tone="subdued">
                  {t("mail.subject")}:
                </Text>
                <Text as="span" fontWeight="semibold">
                  {data.preview.subject}
                </Text>
              </InlineStack>
              <iframe
                title={data.preview.subject}
                sandbox=""
                srcDoc={data.preview.html}
                style={{ width: "100%", minHeight: 900, border: "1px solid #e3e3e3", borderRadius: 8 }}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
