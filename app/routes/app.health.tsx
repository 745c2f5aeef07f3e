import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { QuarantineSection } from "~/components/QuarantineSection";
import { TaskHealthCard } from "~/components/TaskHealthCard";
import { translator } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { loadQuarantineByTask, retryQuarantinedItem } from "~/server/admin/system-health.server";
import { loadTaskHealth } from "~/server/admin/task-health.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  return {
    ...(await loadTaskHealth(ctx.shop, ctx.locale)),
    quarantine: await loadQuarantineByTask(ctx.shop),
    locale: ctx.locale,
    timezone: ctx.shop.timezone,
  };
};

const Retry = z.object({ intent: z.literal("retry"), id: z.string().regex(/^\d{1,19}$/) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const parsed = Retry.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ released: false }, { status: 400 });
  const outcome = await retryQuarantinedItem(ctx.shop, parsed.data.id, ctx.demo ? "demo-merchant" : "merchant");
  return Response.json({ released: outcome.ok }, { status: outcome.ok ? 200 : 404 });
};

export default function SystemHealth() {
  const { tasks, flows, quarantine, locale, timezone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { released: boolean } | undefined;
  const busy = useNavigation().state !== "idle";
  const t = translator(locale);
  const format = new Intl.DateTimeFormat(localeTag(locale), { dateStyle: "medium", timeStyle: "short", timeZone: timezone });
  const notice = result
    ? result.released
      ? { tone: "success" as const, text: t("health.quarantine.released") }
      : { tone: "warning" as const, text: t("health.quarantine.notFound") }
    : null;
  return (
    <Page title={t("health.title")} subtitle={t("health.subtitle")}>
      <Layout>
        <Layout.Section>
          <TaskHealthCard
            tasks={tasks}
            flows={flows}
            setAside={Object.fromEntries(quarantine.map((g) => [g.task, g.items.length]))}
            locale={locale}
          />
        </Layout.Section>
        <Layout.Section>
          <QuarantineSection groups={quarantine} t={t} formatDate={(iso) => format.format(new Date(iso))} busy={busy} notice={notice} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
