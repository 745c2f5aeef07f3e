import { Link } from "@remix-run/react";
import { Badge, BlockStack, Box, InlineError, InlineStack, Text } from "@shopify/polaris";
import type { StepFields } from "~/domain/flows/definition-edits";
import type { EntryFields } from "~/domain/flows/entry-edits";
import type { TimelineRow } from "~/domain/flows/timeline";
import type { Translate } from "~/i18n";
import { ChannelBadge, ChannelSelect } from "./ChannelField";
import { EntryRulesEditor, GoalEditor, TriggerEditor } from "./EntryEditor";
import { FieldSelect, FieldText } from "./FormFields";
import { ConditionStepEditor } from "./ConditionEditor";

export { FieldText };

// The flow as a vertical timeline: one row per step, branches indented under the step
// that splits them. With `editing`, each editable step shows its fields in place
// (named `<what>/<stepId>/<field>`, see app/domain/flows/definition-edits.ts) and the
// schema's errors for it underneath.

const KIND_TONE: Partial<Record<TimelineRow["kind"], "info" | "success" | "attention" | "critical" | "magic">> = {
  trigger: "info",
  send: "success",
  condition: "attention",
  split: "attention",
  ab_split: "magic",
  discount: "magic",
  exit_rule: "critical",
  goal: "success",
};

export function FlowTimeline(props: {
  rows: TimelineRow[];
  fields: Record<string, StepFields>;
  /** The trigger, entry and goal rows' fields (null when the active version does not validate). */
  entry: EntryFields | null;
  exits: string[];
  errors: Record<string, string[]>;
  editing: boolean;
  messageUrl: (stepId: string) => string;
  t: Translate;
}) {
  const { rows, fields, errors, editing, t } = props;
  return (
    <ol className="flow-timeline" aria-label={t("flow.timeline.title")} style={{ listStyle: "none", margin: 0, padding: 0 }}>
      {rows.map((row) => {
        const stepFields = row.stepId ? fields[row.stepId] : undefined;
        const exitIndex = row.kind === "exit_rule" ? Number(row.key.split(":")[1]) : -1;
        const rowErrors = row.stepId ? errors[row.stepId] : exitIndex >= 0 ? errors[`exit:${exitIndex}`] : errors[row.key];
        return (
          <li key={row.key} data-row={row.key} data-kind={row.kind} style={{ paddingInlineStart: `${row.depth * 28}px` }}>
            {row.branch && (
              <Box paddingBlockStart="200" paddingBlockEnd="100">
                <Badge tone="info">{row.branch}</Badge>
              </Box>
            )}
            <div
              style={{
                borderInlineStart: "2px solid var(--p-color-border)",
                paddingInlineStart: "var(--p-space-400)",
                paddingBlock: "var(--p-space-200)",
                position: "relative",
              }}
            >
              <span
                aria-hidden
                style={{
                  position: "absolute",
                  insetInlineStart: "-6px",
                  top: "14px",
                  width: "10px",
                  height: "10px",
                  borderRadius: "50%",
                  background: toneColor(KIND_TONE[row.kind]),
                }}
              />
              <BlockStack gap="100">
                <InlineStack gap="200" blockAlign="center" wrap>
                  <Text as="p" fontWeight={row.stepId ? "semibold" : "regular"}>
                    <span data-title>{row.title}</span>
                  </Text>
                  {row.channel && <ChannelBadge channel={row.channel} t={t} />}
                  {row.kind === "send" && row.stepId && (
                    <Text as="span" variant="bodySm">
                      <Link to={props.messageUrl(row.stepId)}>
                        {t("flow.editMessage")}
                        <span className="Polaris-Text--visuallyHidden"> ({row.name})</span>
                      </Link>
                    </Text>
                  )}
                </InlineStack>
                {row.detail && (
                  <Text as="p" variant="bodySm" tone="subdued">
                    {row.detail}
                  </Text>
                )}
                {editing && stepFields && row.stepId && (
                  <StepEditor stepId={row.stepId} name={row.name ?? row.stepId} f={stepFields} t={t} />
                )}
                {editing && props.entry && row.kind === "trigger" && <TriggerEditor f={props.entry} t={t} />}
                {editing && props.entry && row.kind === "entry" && <EntryRulesEditor f={props.entry} t={t} />}
                {editing && props.entry && row.kind === "goal" && <GoalEditor f={props.entry} t={t} />}
                {editing && exitIndex >= 0 && (
                  <Box maxWidth="480px">
                    <FieldText
                      name={`exit/${exitIndex}/events`}
                      label={t("flow.field.exitEvents")}
                      initial={props.exits[exitIndex] ?? ""}
                    />
                  </Box>
                )}
                {rowErrors?.map((e) => (
                  <InlineError key={e} message={e} fieldID={`${row.key}-error`} />
                ))}
              </BlockStack>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function toneColor(tone: string | undefined): string {
  switch (tone) {
    case "info":
      return "var(--p-color-icon-info)";
    case "success":
      return "var(--p-color-icon-success)";
    case "attention":
      return "var(--p-color-icon-caution)";
    case "critical":
      return "var(--p-color-icon-critical)";
    case "magic":
      return "var(--p-color-icon-magic)";
    default:
      return "var(--p-color-icon-secondary)";
  }
}

function StepEditor({ stepId, name, f, t }: { stepId: string; name: string; f: StepFields; t: Translate }) {
  if (f.groups) return <ConditionStepEditor stepId={stepId} name={name} groups={f.groups} t={t} />;
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <InlineStack gap="300" wrap blockAlign="end">
        {f.wait && (
          <>
            <Box width="160px">
              <FieldText name={`wait/${stepId}/amount`} label={name} type="number" initial={String(f.wait.amount)} />
            </Box>
            <FieldSelect
              name={`wait/${stepId}/unit`}
              label={t("flow.field.unit")}
              initial={f.wait.unit}
              options={(["minutes", "hours", "days"] as const).map((u) => ({ label: t(`flow.unit.${u}`), value: u }))}
            />
          </>
        )}
        {f.discount && (
          <>
            <FieldSelect
              name={`discount/${stepId}/kind`}
              label={t("flow.field.kind")}
              initial={f.discount.kind}
              options={(["percentage", "fixed_amount", "free_shipping"] as const).map((k) => ({ label: t(`flow.kind.${k}`), value: k }))}
            />
            <Box width="120px">
              <FieldText
                name={`discount/${stepId}/value`}
                label={t("flow.field.discountValue")}
                type="number"
                initial={String(f.discount.value)}
              />
            </Box>
            <Box width="160px">
              <FieldText
                name={`discount/${stepId}/expiresInHours`}
                label={t("flow.field.expiresInHours")}
                type="number"
                initial={String(f.discount.expiresInHours)}
              />
            </Box>
          </>
        )}
        {f.send && (
          <Box width="200px">
            <ChannelSelect stepId={stepId} name={name} initial={f.send.channel} locked={f.send.locked} t={t} />
          </Box>
        )}
        {f.send && (
          <Box width="280px">
            <FieldText
              name={`send/${stepId}/maxDeferHours`}
              label={t("flow.field.maxDeferHours")}
              helpText={t("flow.field.maxDeferHoursHelp")}
              type="number"
              initial={f.send.maxDeferHours === null ? "" : String(f.send.maxDeferHours)}
            />
          </Box>
        )}
      </InlineStack>
    </Box>
  );
}
