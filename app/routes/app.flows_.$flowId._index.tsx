import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ChangeLog } from "~/components/flows/ChangeLog";
import { FieldText, FlowTimeline } from "~/components/flows/FlowTimeline";
import { FieldErrors } from "~/components/flows/FormFields";
import { LatestEntries } from "~/components/flows/LatestEntries";
import { SmsEstimate } from "~/components/flows/SmsEstimate";
import type { FlowSmsEstimate } from "~/domain/sms/estimate";
import { ThresholdsSummary } from "~/components/rollout/ThresholdsSummary";
import { translator } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { loadFlowDetail, rollbackFlowVersion, saveFlowEdits } from "~/server/admin/flow-detail.server";

// A flow's page: its active version as a timeline, edited in place (a save is a new
// version; running enrollments keep theirs), its latest entries and its change log
// with rollback. An index route under flows/<id>, so the report, the staged rollout
// and the message editor (flows/<id>/report, /rollout, /messages/<step>) stay pages
// of their own rather than children of this one.

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const detail = await loadFlowDetail(ctx.shop, params.flowId ?? "", ctx.locale);
  if (!detail) throw new Response("No such flow", { status: 404 });
  return { ...detail, locale: ctx.locale, timezone: ctx.shop.timezone };
};

const FIELD =
  /^(priority|(wait|cond|discount|send|exit)\/[^/]{1,64}\/[A-Za-z0-9_./]{1,80}|entry\/(consent|reentry|reentryHours)|goal\/(withinHours|exitOnGoal)|leaf\/(entry\.conditions|trigger\.where)[A-Za-z0-9_.]{0,80}\/(op|value|remove)|filter\/(match|new\/(field|op|value)))$/;
const Save = z.object({
  intent: z.literal("save"),
  note: z.string().max(500).optional(),
  confirmSmsCost: z.string().max(2000).optional(),
  baseVersion: z.coerce.number().int().positive().optional(),
  fields: z.record(z.string().regex(FIELD), z.string().max(2000)),
});
const Rollback = z.object({ intent: z.literal("rollback"), version: z.coerce.number().int().positive() });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const actor = ctx.demo ? "demo-merchant" : "merchant";
  const form = Object.fromEntries(await request.formData());
  const flowId = params.flowId ?? "";
  if (form.intent === "rollback") {
    const parsed = Rollback.safeParse(form);
    if (!parsed.success) return Response.json({ error: "invalid version" }, { status: 400 });
    const newVersion = await rollbackFlowVersion(ctx.shop, flowId, parsed.data.version, actor);
    if (newVersion === null) throw new Response("No such flow or version", { status: 404 });
    return { rolledBack: { version: parsed.data.version, newVersion } };
  }
  const { intent, note, confirmSmsCost, baseVersion, ...rest } = form;
  const parsed = Save.safeParse({ intent, note, confirmSmsCost, baseVersion, fields: rest });
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? "invalid" }, { status: 400 });
  const result = await saveFlowEdits(ctx.shop, flowId, parsed.data.fields, actor, parsed.data.note, ctx.locale, {
    confirmSmsCost: parsed.data.confirmSmsCost,
    baseVersion: parsed.data.baseVersion,
  });
  if (result === null) throw new Response("No such flow", { status: 404 });
  // A message of a flow that is on becoming an SMS: nothing saved until its cost is confirmed.
  if (!result.ok && result.smsCost) return Response.json({ smsCost: result.smsCost, smsCostFor: result.smsCostFor }, { status: 409 });
  if (!result.ok) return Response.json({ errors: result.errors }, { status: result.conflict ? 409 : 400 });
  return { saved: result.version };
};

type ActionData = {
  error?: string;
  smsCost?: FlowSmsEstimate;
  smsCostFor?: string;
  errors?: Record<string, string[]>;
  saved?: number | null;
  rolledBack?: { version: number; newVersion: number };
};

export default function FlowPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state !== "idle";
  const { search } = useLocation();
  const t = translator(data.locale);
  const lang = new URLSearchParams(search).get("lang");
  const q = lang ? `?lang=${lang}` : "";
  const base = `/app/flows/${data.flow.id}`;
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (result && (result.saved !== undefined || result.rolledBack)) setEditing(false);
  }, [result]);
  const when = (iso: string) =>
    new Intl.DateTimeFormat(localeTag(data.locale), { dateStyle: "medium", timeStyle: "short", timeZone: data.timezone }).format(
      new Date(iso),
    );
  // The entries table reads "Dec 7, 8:21 AM": the year adds nothing to the latest entries.
  const whenShort = (iso: string) =>
    new Intl.DateTimeFormat(localeTag(data.locale), {
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone: data.timezone,
    }).format(new Date(iso));
  const errors: Record<string, string[]> = result?.errors ?? data.activeErrors ?? {};
  const status = data.flow.status;
  return (
    <Page
      title={data.flow.name}
      titleMetadata={
        <Badge tone={status === "on" ? "success" : status === "paused" ? "attention" : undefined}>
          {t(status === "on" ? "flows.on" : status === "paused" ? "flows.paused" : "flows.off")}
        </Badge>
      }
      subtitle={t("flow.subtitle", { version: data.flow.version ?? "—", priority: data.flow.priority, rollout: data.flow.rolloutPercent })}
      backAction={{ content: t("flow.back"), url: `/app/flows${q}` }}
      secondaryActions={[
        { content: t("flow.report"), url: `${base}/report${q}` },
        { content: t("flow.rollout"), url: `${base}/rollout${q}` },
      ]}
    >
      <Layout>
        {(result?.saved !== undefined || result?.rolledBack || result?.errors || result?.error || data.activeErrors) && (
          <Layout.Section>
            <div role="status">
              {result?.saved != null && <Banner tone="success">{t("flow.saved", { version: result.saved })}</Banner>}
              {result?.saved === null && <Banner tone="info">{t("flow.unchanged")}</Banner>}
              {result?.rolledBack && <Banner tone="success">{t("flow.rolledBack", result.rolledBack)}</Banner>}
              {(result?.errors || data.activeErrors) && (
                <Banner tone="critical">
                  <BlockStack gap="100">
                    <Text as="p">{t("flow.invalid")}</Text>
                    {errors.general?.map((e) => (
                      <Text as="p" key={e}>
                        {e}
                      </Text>
                    ))}
                  </BlockStack>
                </Banner>
              )}
              {result?.error && <Banner tone="critical">{result.error}</Banner>}
            </div>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <Form method="post" key={`${data.flow.version}:${editing}`}>
              <input type="hidden" name="intent" value="save" />
              {data.flow.version != null && <input type="hidden" name="baseVersion" value={data.flow.version} />}
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center" gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("flow.timeline.title")}
                  </Text>
                  {editing ? (
                    <Button onClick={() => setEditing(false)}>{t("flow.cancel")}</Button>
                  ) : (
                    <Button onClick={() => setEditing(true)} disabled={data.timeline.length === 0}>
                      {t("flow.edit")}
                    </Button>
                  )}
                </InlineStack>
                <Text as="p" tone="subdued">
                  {t("flow.timeline.help")}
                </Text>
                {editing && (
                  <Box maxWidth="320px">
                    <FieldText
                      name="priority"
                      label={t("flow.field.priority")}
                      helpText={t("flow.field.priorityHelp")}
                      type="number"
                      initial={String(data.flow.priority)}
                      error={errors.priority?.join(" ")}
                    />
                  </Box>
                )}
                <FieldErrors.Provider value={errors}>
                  <FlowTimeline
                    rows={data.timeline}
                    fields={data.fields}
                    entry={data.entry}
                    exits={data.exits}
                    errors={errors}
                    editing={editing}
                    messageUrl={(stepId) => `${base}/messages/${encodeURIComponent(stepId)}${q}`}
                    t={t}
                  />
                </FieldErrors.Provider>
                {editing && (
                  <BlockStack gap="300">
                    <FieldText name="note" label={t("flow.note")} helpText={t("flow.noteHelp")} initial="" />
                    {result?.smsCost && (
                      <div data-slot="sms-cost">
                        <Banner tone="warning" title={t("flowChannel.cost.title")}>
                          <BlockStack gap="200">
                            <Text as="p">{t("flowChannel.cost.body")}</Text>
                            <SmsEstimate estimate={result.smsCost} locale={data.locale} t={t} />
                          </BlockStack>
                        </Banner>
                        <input type="hidden" name="confirmSmsCost" value={result.smsCostFor ?? ""} />
                      </div>
                    )}
                    <InlineStack gap="200">
                      <Button submit variant="primary" loading={busy}>
                        {result?.smsCost ? t("flowChannel.cost.confirm") : t("flow.save")}
                      </Button>
                      <Button onClick={() => setEditing(false)}>{t("flow.cancel")}</Button>
                    </InlineStack>
                  </BlockStack>
                )}
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {/* The staged rollout's own page (flows/<id>/rollout) owns stages and go/no-go; this is its way in. */}
            <div data-slot="flow-rollout">
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("flow.rollout")}
                  </Text>
                  <Text as="p">
                    {t("flow.subtitle", {
                      version: data.flow.version ?? "—",
                      priority: data.flow.priority,
                      rollout: data.flow.rolloutPercent,
                    })}
                  </Text>
                  <ThresholdsSummary thresholds={data.rolloutThresholds} locale={data.locale} t={t} />
                  <InlineStack gap="200">
                    <Button url={`${base}/rollout${q}`}>{t("flow.rollout")}</Button>
                    <Button url={`${base}/report${q}`} variant="plain">
                      {t("flow.report")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            </div>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          {/* Full width: four columns of dates do not fit the side column without scrolling sideways. */}
          <LatestEntries entries={data.entries} when={whenShort} t={t} />
        </Layout.Section>
        <Layout.Section>
          <ChangeLog history={data.history} busy={busy} when={when} t={t} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
