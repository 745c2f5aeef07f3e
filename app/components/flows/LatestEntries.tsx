import { Card, Text, BlockStack } from "@shopify/polaris";
import type { MessageKey, Translate } from "~/i18n";
import { StackedTable } from "~/components/ui/StackedTable";

// The flow's latest entries: which version each runs on and when its next step is due
// (a changed delay shows here on the next entrant; running ones keep their version).

export interface EntryRow {
  id: string;
  enteredAt: string;
  status: string;
  version: number;
  nextWakeAt: string | null;
}

export function LatestEntries(props: { entries: EntryRow[]; when: (iso: string) => string; t: Translate }) {
  const { entries, t } = props;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("flow.entries.title")}
        </Text>
        {entries.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("flow.entries.none")}
          </Text>
        ) : (
          <div data-testid="latest-entries">
            <StackedTable
              columns={[
                { heading: t("flow.entries.entered") },
                { heading: t("flow.entries.version"), numeric: true },
                { heading: t("flow.entries.status") },
                { heading: t("flow.entries.next") },
              ]}
              rows={entries.map((e) => ({
                key: e.id,
                cells: [
                  <span key="e" data-entered-at={e.enteredAt} data-enrollment={e.id} style={{ whiteSpace: "nowrap" }}>
                    {props.when(e.enteredAt)}
                  </span>,
                  <span key="v" data-entry-version={e.version}>
                    {e.version}
                  </span>,
                  t(`flow.entries.status.${e.status}` as MessageKey),
                  <span key="w" data-wake-at={e.nextWakeAt ?? ""} style={{ whiteSpace: "nowrap" }}>
                    {e.nextWakeAt ? props.when(e.nextWakeAt) : "—"}
                  </span>,
                ],
              }))}
            />
          </div>
        )}
      </BlockStack>
    </Card>
  );
}
