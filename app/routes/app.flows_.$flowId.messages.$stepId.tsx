import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useLocation, type ShouldRevalidateFunction } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, List, Page, Select, Tabs, Text, TextField } from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { EmailEditor } from "~/components/messages/EmailEditor";
import { insertAtCaret, type FocusedField } from "~/components/messages/field-insert";
import { PreviewPane } from "~/components/messages/PreviewPane";
import { SmsEditor, type SmsFigures } from "~/components/messages/SmsEditor";
import { VariablePicker } from "~/components/messages/VariablePicker";
import type { LocaleContent, MessageContent } from "~/domain/messages/message-content";
import { flowDisplayName } from "~/domain/flows";
import { translator } from "~/i18n";
import { requireAdmin } from "~/server/admin/admin-context.server";
import {
  DraftRefused,
  type EmailPreview,
  type SmsPreview,
  editorVariables,
  internalPhones,
  loadMessageStep,
  previewCustomers,
  previewDraft,
  saveMessageContent,
  sendDraftTest,
  startingContent,
} from "~/server/admin/message-editor.server";
import { internalAddresses, TestSendRefused } from "~/server/admin/message-preview.server";
import { db } from "~/server/db/client.server";

// The message editor of one send step. Drafts are previewed through the real email
// pipeline (the "preview" intent, debounced as the merchant types), saved as a new
// flow version, and test-sent to the shop's internal recipients only.

async function loadStep(request: Request, params: LoaderFunctionArgs["params"]) {
  const ctx = await requireAdmin(request);
  const loaded = await loadMessageStep(ctx.shop.id, params.flowId ?? "", params.stepId ?? "");
  if (!loaded) throw new Response("No such message", { status: 404 });
  return { ctx, loaded };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { ctx, loaded } = await loadStep(request, params);
  const { flow, step, version } = loaded;
  const products = await db().product.findMany({
    where: { shopId: ctx.shop.id, status: "active", deletedAt: null },
    orderBy: { title: "asc" },
    take: 100,
    select: { handle: true, title: true },
  });
  return {
    locale: ctx.locale,
    flow: { id: flow.id, name: flowDisplayName(flow, ctx.locale) },
    version,
    step: {
      id: step.id,
      label: step.label ?? step.id,
      channel: step.channel,
      purpose: step.purpose,
      hasDiscount: Boolean(step.discountStepId),
      ownContent: Boolean(step.content),
    },
    content: startingContent(step),
    variables: editorVariables(step),
    customers: await previewCustomers(ctx.shop.id, step.channel),
    internal: step.channel === "email" ? internalAddresses(ctx.shop) : internalPhones(ctx.shop),
    products,
  };
};

const Lang = z.enum(["en", "pl"]);
const Json = z.string().transform((s, c) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    c.addIssue({ code: "custom", message: "content is not JSON" });
    return z.NEVER;
  }
});
const ActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("preview"), content: Json, language: Lang, customerId: z.string().max(100).optional() }),
  z.object({ intent: z.literal("save"), content: Json, baseVersion: z.coerce.number().int(), note: z.string().max(500).optional() }),
  z.object({ intent: z.literal("test"), content: Json, language: Lang, to: z.string().min(3).max(320) }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { ctx, loaded } = await loadStep(request, params);
  const form = ActionForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success)
    return data({ intent: "invalid" as const, ok: false, error: form.error.issues.map((i) => i.message).join("; ") }, { status: 400 });
  const actor = ctx.demo ? "demo-merchant" : "merchant";
  const f = form.data;
  try {
    switch (f.intent) {
      case "preview":
        return {
          intent: "preview" as const,
          ok: true,
          preview: await previewDraft(
            ctx.shop,
            loaded.step,
            { content: f.content, locale: f.language, customerId: f.customerId || null },
            loaded.definition,
          ),
        };
      case "save": {
        const version = await saveMessageContent(
          ctx.shop,
          loaded,
          { content: f.content, baseVersion: f.baseVersion, note: f.note ?? null },
          actor,
          ctx.locale,
        );
        return { intent: "save" as const, ok: true, version };
      }
      case "test":
        await sendDraftTest(ctx.shop, loaded.step, { content: f.content, locale: f.language, to: f.to }, actor, loaded.definition);
        return { intent: "test" as const, ok: true };
    }
  } catch (err) {
    if (err instanceof DraftRefused)
      return data({ intent: f.intent, ok: false, errors: err.errors, error: err.message }, { status: err.conflict ? 409 : 400 });
    if (err instanceof TestSendRefused) return data({ intent: f.intent, ok: false, error: err.message }, { status: 400 });
    throw err;
  }
};

// Previews and test sends change nothing the page shows: no reload of the page's data.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "save" ? defaultShouldRevalidate : false;

type Errors = { path: string; message: string }[];

export default function MessageEditorPage() {
  const d = useLoaderData<typeof loader>();
  const t = translator(d.locale);
  const { search } = useLocation();
  const lang = new URLSearchParams(search).get("lang");
  const back = `/app/flows${lang ? `?lang=${lang}` : ""}`;
  const [content, setContent] = useState<MessageContent>(d.content);
  const [tab, setTab] = useState<0 | 1>(d.locale === "pl" ? 1 : 0);
  const language = tab === 0 ? "en" : "pl";
  const [customerId, setCustomerId] = useState("");
  const [note, setNote] = useState("");
  const [to, setTo] = useState(d.internal[0] ?? "");
  const focused = useRef<FocusedField | null>(null);
  const preview = useFetcher<typeof action>();
  const save = useFetcher<typeof action>();
  const test = useFetcher<typeof action>();

  const contentJson = JSON.stringify(content);
  // Debounced: one render per pause in typing, not per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      preview.submit({ intent: "preview", content: contentJson, language, customerId }, { method: "post" });
    }, 350);
    return () => clearTimeout(timer);
  }, [contentJson, language, customerId]);

  const shown: EmailPreview | SmsPreview | null = preview.data && "preview" in preview.data ? (preview.data.preview ?? null) : null;
  const [lastGood, setLastGood] = useState<{ subject: string; html: string }>({ subject: "", html: "" });
  useEffect(() => {
    if (shown?.channel === "email" && shown.errors.length === 0 && shown.html) setLastGood({ subject: shown.subject, html: shown.html });
  }, [shown]);
  const saveResult = save.data && save.data.intent === "save" ? save.data : null;
  const saveErrors: Errors = saveResult && !saveResult.ok && "errors" in saveResult ? (saveResult.errors as Errors) : [];
  const errors: Errors = [...(shown?.errors ?? []), ...saveErrors.filter((e) => !(shown?.errors ?? []).some((s) => s.path === e.path))];
  const broken = (shown?.errors.length ?? 0) > 0;

  const setLocaleContent = useCallback((loc: "en" | "pl", value: LocaleContent) => setContent((c) => ({ ...c, [loc]: value })), []);
  const onFocusField = useCallback((field: FocusedField) => {
    focused.current = field;
  }, []);
  const insert = (snippet: string) => {
    const field = focused.current;
    if (!field) return;
    insertAtCaret(field, snippet);
  };
  const current: LocaleContent =
    content[language] ?? (d.step.channel === "sms" ? { text: "" } : { subject: "", preheader: "", blocks: [{ type: "footer" }] });
  const tracked = (value: LocaleContent) => setLocaleContent(language, value);

  const smsFigures: SmsFigures | null = shown?.channel === "sms" ? shown : null;
  const testResult = test.data && test.data.intent === "test" ? test.data : null;

  return (
    <Page
      backAction={{ content: t("msgEditor.backToFlows"), url: back }}
      title={t("msgEditor.title", { step: d.step.label })}
      subtitle={t("msgEditor.subtitle", { flow: d.flow.name, version: d.version, channel: d.step.channel === "email" ? "Email" : "SMS" })}
      titleMetadata={<Badge tone={d.step.purpose === "marketing" ? "info" : undefined}>{d.step.purpose}</Badge>}
    >
      <Layout>
        <Layout.Section variant="oneHalf">
          <BlockStack gap="400">
            {!d.step.ownContent && <Banner tone="info">{t("msgEditor.catalogueNote")}</Banner>}
            {errors.length > 0 && (
              <Banner tone="critical" title={t("msgEditor.errors")}>
                <List>
                  {errors.map((e) => (
                    <List.Item key={`${e.path}:${e.message}`}>{e.path ? `${e.path}: ${e.message}` : e.message}</List.Item>
                  ))}
                </List>
              </Banner>
            )}
            <Card>
              <Tabs
                tabs={[
                  { id: "lang-en", content: "English", panelID: "lang-panel" },
                  { id: "lang-pl", content: "Polski", panelID: "lang-panel" },
                ]}
                selected={tab}
                onSelect={(i) => setTab(i === 1 ? 1 : 0)}
              >
                <div id="lang-panel" style={{ paddingTop: 12 }}>
                  {d.step.channel === "email" ? (
                    <EmailEditor
                      key={language}
                      locale={language}
                      value={current}
                      onChange={tracked}
                      errors={errors}
                      products={d.products}
                      hasDiscount={d.step.hasDiscount}
                      onFocusField={onFocusField}
                      t={t}
                    />
                  ) : (
                    <SmsEditor
                      key={language}
                      locale={language}
                      text={current.text ?? ""}
                      onChange={(text) => tracked({ text })}
                      errors={errors}
                      figures={smsFigures}
                      onFocusField={onFocusField}
                      t={t}
                      uiLocale={d.locale}
                    />
                  )}
                </div>
              </Tabs>
            </Card>
            <Card>
              <VariablePicker variables={d.variables} onInsert={insert} t={t} />
            </Card>
            <Card>
              <save.Form method="post">
                <BlockStack gap="300">
                  <input type="hidden" name="intent" value="save" />
                  <input type="hidden" name="content" value={contentJson} />
                  <input type="hidden" name="baseVersion" value={d.version} />
                  <TextField
                    label={t("msgEditor.note")}
                    name="note"
                    value={note}
                    onChange={setNote}
                    helpText={t("msgEditor.noteHelp")}
                    autoComplete="off"
                  />
                  {saveResult?.ok && "version" in saveResult && (
                    <Banner tone="success">{t("msgEditor.saved", { version: saveResult.version })}</Banner>
                  )}
                  {saveResult && !saveResult.ok && (
                    <Banner tone="critical">{t("msgEditor.refused", { count: Math.max(1, saveErrors.length) })}</Banner>
                  )}
                  <InlineStack>
                    <Button submit variant="primary" loading={save.state !== "idle"}>
                      {t("msgEditor.save")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </save.Form>
            </Card>
            <Card>
              <test.Form method="post">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("msgEditor.testSend")}
                  </Text>
                  <input type="hidden" name="intent" value="test" />
                  <input type="hidden" name="content" value={contentJson} />
                  <input type="hidden" name="language" value={language} />
                  {d.internal.length > 0 ? (
                    <Select
                      label={t("msgEditor.testTo")}
                      name="to"
                      value={to}
                      onChange={setTo}
                      options={d.internal.map((a) => ({ value: a, label: a }))}
                    />
                  ) : (
                    <Text as="p" tone="subdued">
                      {t("msgEditor.noInternal")}
                    </Text>
                  )}
                  {testResult?.ok && <Banner tone="success">{t("msgEditor.testSent")}</Banner>}
                  {testResult && !testResult.ok && "error" in testResult && <Banner tone="critical">{String(testResult.error)}</Banner>}
                  <InlineStack>
                    <Button submit disabled={d.internal.length === 0} loading={test.state !== "idle"}>
                      {t("msgEditor.sendTest")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </test.Form>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <PreviewPane
              channel={d.step.channel}
              subject={shown?.channel === "email" && !broken ? shown.subject : lastGood.subject}
              html={shown?.channel === "email" && !broken ? shown.html : lastGood.html}
              smsBody={shown?.channel === "sms" ? shown.body : ""}
              busy={preview.state !== "idle"}
              broken={broken}
              customers={d.customers}
              customerId={customerId}
              onCustomer={setCustomerId}
              t={t}
            />
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
