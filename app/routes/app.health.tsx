import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { TaskHealthCard } from "~/components/TaskHealthCard";
import { translator } from "~/i18n";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { loadTaskHealth } from "~/server/admin/task-health.server";

// System health. The quarantine's list of set-aside items joins this page from its own
// part of the app; this part is the tasks and flows (TaskHealthCard).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  return { ...(await loadTaskHealth(ctx.shop)), locale: ctx.locale };
};

export default function SystemHealth() {
  const { tasks, flows, locale } = useLoaderData<typeof loader>();
  const t = translator(locale);
  return (
    <Page title={t("health.title")} subtitle={t("health.subtitle")}>
      <Layout>
        <Layout.Section>
          <TaskHealthCard tasks={tasks} flows={flows} locale={locale} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
