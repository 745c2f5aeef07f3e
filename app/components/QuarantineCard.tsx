import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, IndexTable, Text } from "@shopify/polaris";
import type { MessageKey, Translate } from "~/i18n";
import type { TaskQuarantine } from "~/server/admin/system-health.server";

/** One worker task's set-aside items, each with a retry that sends it back to its queue. */
export function QuarantineCard({
  group,
  t,
  formatDate,
  busy,
}: {
  group: TaskQuarantine;
  t: Translate;
  formatDate: (iso: string) => string;
  busy: boolean;
}) {
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <div style={{ padding: "var(--p-space-400) var(--p-space-400) 0" }}>
          <Text as="h3" variant="headingSm">
            {t(`health.task.${group.task}` as MessageKey)}
          </Text>
        </div>
        <IndexTable
          itemCount={group.items.length}
          selectable={false}
          headings={[
            { title: t("health.quarantine.kind") },
            { title: t("health.quarantine.when") },
            { title: t("health.quarantine.error") },
            { title: t("health.quarantine.attempts"), alignment: "end" },
            { title: "" },
          ]}
        >
          {group.items.map((item, i) => (
            <IndexTable.Row id={item.id} key={item.id} position={i}>
              <IndexTable.Cell>
                {t(`health.item.${item.kind}` as MessageKey, { id: shortId(item.itemId), topic: item.topic ?? "?" })}
              </IndexTable.Cell>
              <IndexTable.Cell>{formatDate(item.quarantinedAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <div style={{ maxWidth: "36rem", whiteSpace: "normal", wordBreak: "break-word" }}>
                  <Text as="span" tone="critical">
                    {item.error}
                  </Text>
                </div>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {item.attempts}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Form method="post">
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="id" value={item.id} />
                  <Button submit size="slim" disabled={busy}>
                    {t("health.quarantine.retry")}
                  </Button>
                </Form>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </BlockStack>
    </Card>
  );
}

/** Long ids (cuids, uuids) shortened for the table; the full id is in the audit log. */
function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}
