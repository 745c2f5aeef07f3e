import { BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import type { EntryFields } from "~/domain/flows/entry-edits";
import type { Translate } from "~/i18n";
import { ConditionGroupEditor } from "./ConditionEditor";
import { FieldSelect, FieldText } from "./FormFields";
import { LeafFields } from "./LeafFields";

// In-place editors of the timeline's trigger, entry and goal rows: the trigger's own
// filter, the consent and re-entry rules, the flow filter (re-checked before every
// message; edited like a condition step's: leaves, all/any, one condition to add) and
// the goal's window and outcome. Field names: app/domain/flows/entry-edits.ts.

const box = { background: "bg-surface-secondary", padding: "300", borderRadius: "200" } as const;
// As entry-edits.ts names them (not imported from there: the page's bundle would take zod with it).
const FILTER_NAMES = { leafPrefix: "leaf", match: "filter/match", newPrefix: "filter/new" };
const leafName = (leaf: { path: string }, prop: string) => `leaf/${leaf.path}/${prop}`;

export function TriggerEditor({ f, t }: { f: EntryFields; t: Translate }) {
  if (f.triggerWhere.length === 0) return null;
  return (
    <Box {...box}>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {t("flow.triggerWhere.title")}
        </Text>
        <LeafFields leaves={f.triggerWhere} nameOf={leafName} removable t={t} />
      </BlockStack>
    </Box>
  );
}

export function EntryRulesEditor({ f, t }: { f: EntryFields; t: Translate }) {
  const [mode, setMode] = useState(f.reentry.mode);
  return (
    <Box {...box}>
      <BlockStack gap="400">
        <InlineStack gap="300" wrap blockAlign="end">
          <FieldSelect
            name="entry/consent"
            label={t("flow.field.consent")}
            initial={f.consent}
            options={(["email", "sms", "any", "none"] as const).map((c) => ({ label: t(`flow.consentOption.${c}`), value: c }))}
          />
          <FieldSelect
            name="entry/reentry"
            label={t("flow.field.reentry")}
            initial={f.reentry.mode}
            onChange={setMode}
            options={(["never", "always", "window"] as const).map((m) => ({ label: t(`flow.reentryOption.${m}`), value: m }))}
          />
          {mode === "window" && (
            <Box width="200px">
              <FieldText
                name="entry/reentryHours"
                label={t("flow.field.reentryHours")}
                type="number"
                initial={f.reentry.hours === null ? "" : String(f.reentry.hours)}
              />
            </Box>
          )}
        </InlineStack>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {t("flow.filter.title")}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {t("flow.filter.help")}
          </Text>
          <ConditionGroupEditor
            group={f.filterGroup}
            names={FILTER_NAMES}
            pickLabel={t("flow.field.newField")}
            empty={t("flow.filter.none")}
            t={t}
          />
        </BlockStack>
      </BlockStack>
    </Box>
  );
}

export function GoalEditor({ f, t }: { f: EntryFields; t: Translate }) {
  if (!f.goal) return null;
  return (
    <Box {...box}>
      <InlineStack gap="300" wrap blockAlign="start">
        <Box width="240px">
          <FieldText
            name="goal/withinHours"
            label={t("flow.field.goalWithin")}
            helpText={t("flow.field.goalWithinHelp")}
            type="number"
            initial={f.goal.withinHours === null ? "" : String(f.goal.withinHours)}
          />
        </Box>
        <FieldSelect
          name="goal/exitOnGoal"
          label={t("flow.field.exitOnGoal")}
          initial={String(f.goal.exitOnGoal)}
          options={[
            { label: t("flow.goalOption.ends"), value: "true" },
            { label: t("flow.goalOption.records"), value: "false" },
          ]}
        />
      </InlineStack>
    </Box>
  );
}
