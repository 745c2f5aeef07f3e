import { Badge, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { isMessageKey, translator, type Locale, type Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import type { FlowHealth, TaskHealth } from "~/server/admin/task-health.server";

// The per-task and per-flow part of the system health page: lag, backlog and error
// rates (app/server/admin/task-health.server.ts). Self-contained: give it the loader's data.

/** A queue whose oldest item has waited this long is shown as behind (the alerts' tightest threshold). */
const LATE_SECONDS = 10 * 60;

export interface TaskHealthCardProps {
  tasks: TaskHealth[];
  flows: FlowHealth[];
  /** How many of this shop's items each task has set aside (task -> count). */
  setAside: Record<string, number>;
  locale: Locale;
}

export type TaskStatusKind = "failing" | "set_aside" | "late" | "ok";

/**
 * One badge per task, the most urgent first: failing runs, then items set aside (the
 * queue moves, but something waits for the merchant), then lag.
 */
export function taskStatus(task: Pick<TaskHealth, "failuresLastHour" | "lagSeconds">, setAside: number): TaskStatusKind {
  if (task.failuresLastHour > 0) return "failing";
  if (setAside > 0) return "set_aside";
  if ((task.lagSeconds ?? 0) >= LATE_SECONDS) return "late";
  return "ok";
}

function duration(seconds: number, t: Translate): string {
  if (seconds < 60) return t("health.duration.seconds", { n: Math.floor(seconds) });
  if (seconds < 3600) return t("health.duration.minutes", { n: Math.floor(seconds / 60) });
  return t("health.duration.hours", { n: Math.floor(seconds / 3600) });
}

function taskName(task: string, t: Translate): string {
  const key = `health.task.${task}`;
  return isMessageKey(key) ? t(key) : task;
}

function TaskStatus({ task, setAside, t }: { task: TaskHealth; setAside: number; t: Translate }) {
  switch (taskStatus(task, setAside)) {
    case "failing":
      return <Badge tone="critical">{t("health.status.failing")}</Badge>;
    case "set_aside":
      return <Badge tone="warning">{t("health.status.setAside", { n: setAside })}</Badge>;
    case "late":
      return <Badge tone="warning">{t("health.status.late")}</Badge>;
    case "ok":
      return <Badge tone="success">{t("health.status.ok")}</Badge>;
  }
}

export function TaskHealthCard({ tasks, flows, setAside, locale }: TaskHealthCardProps) {
  const t = translator(locale);
  const number = new Intl.NumberFormat(localeTag(locale));
  const percent = new Intl.NumberFormat(localeTag(locale), { style: "percent", maximumFractionDigits: 1 });
  const rate = (r: number | null) => (r === null ? "—" : percent.format(r));

  const taskRows = tasks.map((task) => [
    <InlineStack gap="200" blockAlign="center" wrap={false} key={task.task}>
      <Text as="span" fontWeight="semibold">
        {taskName(task.task, t)}
      </Text>
      <TaskStatus task={task} setAside={setAside[task.task] ?? 0} t={t} />
    </InlineStack>,
    task.backlog === null ? t("health.tasks.noQueue") : number.format(task.backlog),
    task.lagSeconds === null ? t("health.tasks.noQueue") : task.backlog === 0 ? t("health.tasks.none") : duration(task.lagSeconds, t),
    task.runsLastHour === 0
      ? t("health.tasks.noRuns")
      : t("health.tasks.errorRate", {
          failures: number.format(task.failuresLastHour),
          runs: number.format(task.runsLastHour),
          percent: rate(task.errorRate),
        }),
    task.lastError ? (
      <Text as="span" tone="subdued" breakWord>
        {t("health.tasks.errorAgo", { ago: duration(task.lastErrorAgeSeconds ?? 0, t), error: task.lastError })}
      </Text>
    ) : (
      t("health.tasks.none")
    ),
  ]);

  const flowRows = flows.map((f) => [
    f.name,
    number.format(f.dueSteps),
    f.dueSteps === 0 ? t("health.tasks.none") : duration(f.lagSeconds, t),
    number.format(f.decisionsLastHour),
    rate(f.skipRate),
    rate(f.errorRate),
  ]);

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("health.tasks.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("health.tasks.help")}
          </Text>
          <DataTable
            columnContentTypes={["text", "numeric", "text", "text", "text"]}
            headings={[
              t("health.tasks.task"),
              t("health.tasks.waiting"),
              t("health.tasks.lag"),
              t("health.tasks.errors"),
              t("health.tasks.lastError"),
            ]}
            rows={taskRows}
            verticalAlign="middle"
          />
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("health.flows.title")}
          </Text>
          {flows.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("health.flows.empty")}
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "numeric", "text", "numeric", "numeric", "numeric"]}
              headings={[
                t("health.flows.flow"),
                t("health.flows.due"),
                t("health.flows.lag"),
                t("health.flows.decisions"),
                t("health.flows.skipRate"),
                t("health.flows.errorRate"),
              ]}
              rows={flowRows}
            />
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
