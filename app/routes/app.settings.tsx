import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { CapsSection } from "~/components/settings/CapsSection";
import { FlowPrioritiesSection } from "~/components/settings/FlowPrioritiesSection";
import { MeasurementSection } from "~/components/settings/MeasurementSection";
import { PrivacySection } from "~/components/settings/PrivacySection";
import { RolloutThresholdsSection } from "~/components/settings/RolloutThresholdsSection";
import { ScheduleSection } from "~/components/settings/ScheduleSection";
import type { SaveResult } from "~/components/settings/SettingsForm";
import { MIN_STOREFRONT_EVENT_DAYS, STOREFRONT_EVENT_DAYS } from "~/domain/privacy/retention";
import { translator } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { requireAdmin } from "~/server/admin/admin-context.server";
import {
  FlowNotFound,
  INCREMENT_DAYS,
  loadFlowSettings,
  orderFlowsByIncrement,
  priorityOrderByIncrement,
  saveFlowRow,
} from "~/server/admin/settings/flow-settings.server";
import { FlowForm, MeasurementForm, parseCaps, parseForm, PrivacyForm, ScheduleForm } from "~/server/admin/settings/forms.server";
import { parseRolloutThresholds } from "~/server/admin/settings/rollout-thresholds.server";
import {
  saveCaps,
  saveMeasurement,
  savePrivacy,
  saveRolloutThresholds,
  saveSchedule,
  shopSettingsView,
} from "~/server/admin/settings/shop-settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const flows = await loadFlowSettings(ctx.shop, ctx.locale);
  const order = priorityOrderByIncrement(flows);
  const suggestion = order ? [...order.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => flows.find((f) => f.id === id)!.name) : null;
  const timezones = Intl.supportedValuesOf("timeZone");
  if (!timezones.includes(ctx.shop.timezone)) timezones.unshift(ctx.shop.timezone);
  return {
    locale: ctx.locale,
    currency: ctx.shop.currency,
    settings: shopSettingsView(ctx.shop),
    flows,
    suggestion,
    incrementDays: INCREMENT_DAYS,
    timezones,
  };
};

const Intent = z.enum(["schedule", "caps", "flow", "measurement", "privacy", "order", "rollout"]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const form = await request.formData();
  const intent = Intent.safeParse(form.get("intent"));
  if (!intent.success)
    return Response.json({ intent: "unknown", ok: false, errors: { intent: "settings.error.invalid" } }, { status: 400 });
  const actor = ctx.demo ? "demo-merchant" : "merchant";
  const shopId = ctx.shop.id;
  const invalid = (errors: Record<string, string>) =>
    Response.json({ intent: intent.data, ok: false, errors } satisfies SaveResult, { status: 400 });
  switch (intent.data) {
    case "schedule": {
      const p = parseForm(ScheduleForm, form);
      if (!p.ok) return invalid(p.errors);
      const r = await saveSchedule(shopId, p.data, actor);
      return { intent: "schedule", ok: true, changed: r.changed } satisfies SaveResult;
    }
    case "caps": {
      const p = parseCaps(form);
      if (!p.ok) return invalid(p.errors);
      const r = await saveCaps(shopId, p.data, actor);
      return { intent: "caps", ok: true, changed: r.changed } satisfies SaveResult;
    }
    case "measurement": {
      const p = parseForm(MeasurementForm, form);
      if (!p.ok) return invalid(p.errors);
      const r = await saveMeasurement(shopId, p.data, actor);
      return { intent: "measurement", ok: true, changed: r.changed, reattributed: r.reattributed } satisfies SaveResult;
    }
    case "privacy": {
      const p = parseForm(PrivacyForm, form);
      if (!p.ok) return invalid(p.errors);
      const r = await savePrivacy(shopId, p.data, actor);
      return { intent: "privacy", ok: true, changed: r.changed } satisfies SaveResult;
    }
    case "rollout": {
      const p = parseRolloutThresholds(form);
      if (!p.ok) return invalid(p.errors);
      const r = await saveRolloutThresholds(shopId, p.data, actor);
      return { intent: "rollout", ok: true, changed: r.changed } satisfies SaveResult;
    }
    case "flow": {
      const p = parseForm(FlowForm, form);
      if (!p.ok) return invalid(p.errors);
      try {
        await saveFlowRow(shopId, p.data, actor);
      } catch (e) {
        if (e instanceof FlowNotFound)
          // The id is not echoed: an id that is not this shop's flow is answered like any unknown one.
          return Response.json({ intent: "flow", ok: false, notFound: true } satisfies SaveResult, { status: 404 });
        throw e;
      }
      return { intent: "flow", ok: true, flowId: p.data.flowId } satisfies SaveResult;
    }
    case "order": {
      const r = await orderFlowsByIncrement(ctx.shop, ctx.locale, actor);
      return { intent: "order", ok: true, changed: r.changed > 0 } satisfies SaveResult;
    }
  }
};

export default function Settings() {
  const { locale, currency, settings, flows, suggestion, incrementDays, timezones } = useLoaderData<typeof loader>();
  const t = translator(locale);
  const location = useLocation();
  const lang = new URLSearchParams(location.search).get("lang");
  const q = lang ? `?lang=${lang}` : "";
  const fmt = new Intl.NumberFormat(localeTag(locale), { style: "currency", currency });
  return (
    <Page title={t("settings.general.title")} subtitle={t("settings.general.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <InlineStack gap="400" wrap>
              <Link to={`/app/settings/sending${q}`}>{t("settings.general.sendingLink")}</Link>
              <Link to={`/app/settings/audit${q}`}>{t("settings.general.auditLink")}</Link>
            </InlineStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            <ScheduleSection t={t} timezone={settings.timezone} timezones={timezones} quiet={settings.quiet} />
            <CapsSection t={t} caps={settings.caps} />
            <FlowPrioritiesSection
              t={t}
              flows={flows}
              money={(n) => fmt.format(n)}
              shopHoldout={settings.holdoutPercent}
              suggestion={suggestion}
              incrementDays={incrementDays}
              flowsUrl={`/app/flows${q}`}
            />
            <MeasurementSection t={t} initial={settings} />
            <RolloutThresholdsSection t={t} locale={locale} thresholds={settings.rolloutThresholds} />
            <PrivacySection
              t={t}
              doubleOptIn={settings.doubleOptIn}
              retentionDays={settings.storefrontEventDays}
              bounds={{ min: MIN_STOREFRONT_EVENT_DAYS, max: STOREFRONT_EVENT_DAYS }}
            />
            <Text as="p" variant="bodySm" tone="subdued">
              <Link to={`/app/settings/audit${q}`}>{t("settings.general.auditLink")}</Link>
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
