import { Banner, BlockStack, Card, Text } from "@shopify/polaris";
import type { Translate } from "~/i18n";
import type { TaskQuarantine } from "~/server/admin/system-health.server";
import { QuarantineCard } from "./QuarantineCard";

/** The system health page's set-aside items: an explanation, then one card per task with any. */
export function QuarantineSection({
  groups,
  t,
  formatDate,
  busy,
  notice,
}: {
  groups: TaskQuarantine[];
  t: Translate;
  formatDate: (iso: string) => string;
  busy: boolean;
  notice: { tone: "success" | "warning"; text: string } | null;
}) {
  return (
    <BlockStack gap="400">
      <Text as="h2" variant="headingMd">
        {t("health.quarantine.title")}
      </Text>
      <Text as="p" tone="subdued">
        {t("health.quarantine.explain")}
      </Text>
      {notice && <Banner tone={notice.tone}>{notice.text}</Banner>}
      {groups.length === 0 ? (
        <Card>
          <Text as="p" tone="success">
            {t("health.quarantine.empty")}
          </Text>
        </Card>
      ) : (
        groups.map((g) => <QuarantineCard key={g.task} group={g} t={t} formatDate={formatDate} busy={busy} />)
      )}
    </BlockStack>
  );
}
