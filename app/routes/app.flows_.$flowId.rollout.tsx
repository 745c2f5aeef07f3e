import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { z } from "zod";
import { CriteriaTable } from "~/components/rollout/CriteriaTable";
import { rolloutFormats, type RolloutFormats } from "~/components/rollout/format";
import { HaltReasonBanner } from "~/components/rollout/HaltReason";
import { ThresholdsCard } from "~/components/rollout/ThresholdsCard";
import { nextStage, ROLLOUT_STAGES } from "~/domain/rollout";
import { translator, type MessageKey, type Translate } from "~/i18n";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { loadRolloutPage, type RolloutPage } from "~/server/admin/rollout.server";
import { rolloutAction } from "~/server/admin/rollout-actions.server";

// A flow's staged rollout: /app/flows/<id>/rollout. The flow detail page links here.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const page = await loadRolloutPage(ctx.shop, params.flowId ?? "", ctx.locale);
  if (!page) throw new Response("No such flow", { status: 404 });
  return { page, locale: ctx.locale, timeZone: ctx.shop.timezone };
};

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start") }),
  // versionId: the version the page showed staged; a version saved since makes the click stale.
  z.object({ intent: z.literal("advance"), from: z.coerce.number().int(), versionId: z.string().min(1).optional() }),
  z.object({ intent: z.literal("halt") }),
  z.object({ intent: z.literal("resume") }),
  z.object({ intent: z.literal("complete") }),
  z.object({ intent: z.literal("rollBack"), versionId: z.string().min(1).optional() }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? "invalid" }, { status: 400 });
  const result = await rolloutAction(ctx.shop, params.flowId ?? "", parsed.data, ctx.demo ? "demo-merchant" : "merchant");
  if (!result.ok && result.reason === "not_found") throw new Response("No such flow", { status: 404 });
  if (!result.ok) return Response.json({ refused: result.reason }, { status: 409 });
  return { done: parsed.data.intent };
};

const DONE: Record<string, MessageKey> = {
  start: "rollout.done.started",
  advance: "rollout.done.advanced",
  halt: "rollout.done.halted",
  resume: "rollout.done.resumed",
  complete: "rollout.done.completed",
  rollBack: "rollout.done.rolledBack",
};

export default function RolloutPageView() {
  const { page, locale, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { done?: string; refused?: string; error?: string } | undefined;
  const { search } = useLocation();
  const busy = useNavigation().state !== "idle";
  const t = translator(locale);
  const f = rolloutFormats(locale, timeZone);
  const lang = new URLSearchParams(search).get("lang");
  const r = page.rollout;
  const status = !r ? "none" : r.halted ? "halted" : "running";
  return (
    <Page
      title={t("rollout.title", { flow: page.flow.name })}
      titleMetadata={
        <Badge tone={status === "running" ? "info" : status === "halted" ? "critical" : undefined}>{t(`rollout.status.${status}`)}</Badge>
      }
      subtitle={t("rollout.subtitle")}
      backAction={{ content: t("rollout.back"), url: `/app/flows${lang ? `?lang=${lang}` : ""}` }}
    >
      <Layout>
        {result?.done && DONE[result.done] && (
          <Layout.Section>
            <Banner tone="success">{t(DONE[result.done]!)}</Banner>
          </Layout.Section>
        )}
        {(result?.refused || result?.error) && (
          <Layout.Section>
            <Banner tone="warning">{t("rollout.refused", { reason: result.refused ?? result.error ?? "" })}</Banner>
          </Layout.Section>
        )}
        {r?.halted && r.haltedAt && (
          <Layout.Section>
            <HaltReasonBanner reason={r.haltReason} haltedAt={r.haltedAt} f={f} t={t} />
          </Layout.Section>
        )}
        <Layout.Section>
          {r ? <StageCard page={page} f={f} t={t} busy={busy} /> : <NoRolloutCard page={page} f={f} t={t} busy={busy} />}
        </Layout.Section>
        <Layout.Section>
          <ThresholdsCard thresholds={page.thresholds} settingsUrl={`/app/settings${lang ? `?lang=${lang}` : ""}`} f={f} t={t} />
        </Layout.Section>
        {r?.stages
          .slice()
          .reverse()
          .map((s) => (
            <Layout.Section key={s.percent}>
              <CriteriaTable stage={s} f={f} t={t} />
            </Layout.Section>
          ))}
        {r && (
          <Layout.Section>
            <Text as="p" variant="bodySm" tone="subdued">
              {t("rollout.criteria.note")}
            </Text>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

function IntentButton({
  intent,
  label,
  busy,
  from,
  versionId,
  tone,
}: {
  intent: string;
  label: string;
  busy: boolean;
  from?: number;
  versionId?: string;
  tone?: "critical";
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {from !== undefined && <input type="hidden" name="from" value={from} />}
      {versionId !== undefined && <input type="hidden" name="versionId" value={versionId} />}
      <Button
        submit
        disabled={busy}
        tone={tone}
        variant={intent === "advance" || intent === "start" || intent === "resume" ? "primary" : undefined}
      >
        {label}
      </Button>
    </Form>
  );
}

function VersionLine({
  label,
  v,
  f,
  t,
}: {
  label: string;
  v: { version: number; createdAt: string; createdBy: string | null; changeNote: string | null };
  f: RolloutFormats;
  t: Translate;
}) {
  return (
    <BlockStack gap="050">
      <Text as="p" fontWeight="semibold">
        {label}: {t("rollout.versions.label", { version: v.version })}
      </Text>
      <Text as="p" tone="subdued" variant="bodySm">
        {t("rollout.versions.saved", { at: f.time(v.createdAt), by: v.createdBy ?? "–" })}
        {v.changeNote ? ` · ${v.changeNote}` : ""}
      </Text>
    </BlockStack>
  );
}

function StageCard({ page, f, t, busy }: { page: RolloutPage; f: RolloutFormats; t: Translate; busy: boolean }) {
  const r = page.rollout!;
  const next = nextStage(r.percent);
  // A resume starts another window at the same percent: the stage was reached at its first.
  const reached = new Map([...r.stages].reverse().map((s) => [s.percent, s.from]));
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("rollout.stage.heading")}
        </Text>
        <InlineStack gap="800" wrap>
          {page.active && <VersionLine label={t("rollout.versions.new")} v={page.active} f={f} t={t} />}
          <VersionLine label={t("rollout.versions.base")} v={r.base} f={f} t={t} />
        </InlineStack>
        <ol
          aria-label={t("rollout.stage.heading")}
          style={{ display: "flex", gap: "var(--p-space-400)", listStyle: "none", padding: 0, margin: 0, flexWrap: "wrap" }}
        >
          {ROLLOUT_STAGES.map((p) => (
            <li key={p} aria-current={p === r.percent ? "step" : undefined}>
              <BlockStack gap="050">
                <Badge tone={p === r.percent ? (r.halted ? "critical" : "info") : reached.has(p) ? "success" : undefined}>
                  {t("rollout.stage.step", { percent: p })}
                </Badge>
                <Text as="span" variant="bodySm" tone="subdued">
                  {reached.has(p) ? t("rollout.stage.reached", { at: f.time(reached.get(p)!) }) : t("rollout.stage.notYet")}
                </Text>
              </BlockStack>
            </li>
          ))}
        </ol>
        <ProgressBar progress={r.halted ? 0 : r.percent} tone={r.halted ? "critical" : "primary"} size="small" />
        <Text as="p" data-testid="rollout-stage">
          {r.halted
            ? t("rollout.stage.haltedNow", { base: r.base.version })
            : t("rollout.stage.current", { percent: r.percent, version: page.active?.version ?? "–", base: r.base.version })}
        </Text>
        <InlineStack gap="200" wrap>
          {!r.halted && next !== null && (
            <IntentButton
              intent="advance"
              from={r.percent}
              versionId={page.active?.id}
              label={t("rollout.advance", { percent: next })}
              busy={busy}
            />
          )}
          {!r.halted && next === null && <IntentButton intent="complete" label={t("rollout.complete")} busy={busy} />}
          {!r.halted && <IntentButton intent="halt" label={t("rollout.halt")} busy={busy} tone="critical" />}
          {r.halted && <IntentButton intent="resume" label={t("rollout.resume")} busy={busy} />}
          <IntentButton
            intent="rollBack"
            versionId={page.active?.id}
            label={t("rollout.rollBack", { version: r.base.version })}
            busy={busy}
          />
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function NoRolloutCard({ page, f, t, busy }: { page: RolloutPage; f: RolloutFormats; t: Translate; busy: boolean }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("rollout.versions.heading")}
        </Text>
        {page.active && <VersionLine label={t("rollout.versions.new")} v={page.active} f={f} t={t} />}
        {page.active && <Text as="p">{t("rollout.none.body", { version: page.active.version })}</Text>}
        {page.active && page.canStartFrom ? (
          <>
            <VersionLine label={t("rollout.versions.base")} v={page.canStartFrom} f={f} t={t} />
            <Text as="p">{t("rollout.none.startBody", { version: page.active.version, base: page.canStartFrom.version })}</Text>
            <InlineStack>
              <IntentButton intent="start" label={t("rollout.start")} busy={busy} />
            </InlineStack>
          </>
        ) : (
          <Text as="p" tone="subdued">
            {t("rollout.none.noPrevious")}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
