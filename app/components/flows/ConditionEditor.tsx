import { BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import type { ConditionChoice, ConditionGroup } from "~/domain/flows/condition-groups";
import type { MessageKey, Translate } from "~/i18n";
import { FieldSelect, FieldText } from "./FormFields";
import { ALL_OPS, fieldLabel, LeafFields } from "./LeafFields";

// One condition edited in place, the same way wherever it sits (a condition step, a
// split branch, the flow filter): its leaves (comparison, value, remove), whether all
// or any of them must hold, and one condition to add. Field names:
// app/domain/flows/condition-groups.ts.

export interface GroupFieldNames {
  leafPrefix: string;
  match: string;
  newPrefix: string;
}

export function ConditionGroupEditor(props: {
  group: ConditionGroup;
  names: GroupFieldNames;
  /** The step's name, added to the labels that would otherwise repeat on the page. */
  owner?: string;
  /** The label of the field picker of a condition added. */
  pickLabel: string;
  /** The empty text, where the condition may go (the flow filter); a step's last condition cannot be removed. */
  empty?: string;
  t: Translate;
}) {
  const { group, names, owner, t } = props;
  const withOwner = (label: string) => (owner ? `${label} (${owner})` : label);
  return (
    <BlockStack gap="200">
      {group.leaves.length === 0 && props.empty && (
        <Text as="p" variant="bodySm">
          {props.empty}
        </Text>
      )}
      {group.flat && group.leaves.length > 0 && (
        <Box maxWidth="360px">
          <FieldSelect
            name={names.match}
            label={withOwner(t("flow.match.label"))}
            initial={group.match}
            options={(["all", "any"] as const).map((m) => ({ label: t(`flow.match.${m}`), value: m }))}
          />
        </Box>
      )}
      <LeafFields
        leaves={group.leaves}
        nameOf={(leaf, prop) => `${names.leafPrefix}/${leaf.path}/${prop}`}
        removable={props.empty !== undefined || group.leaves.length > 1}
        t={t}
      />
      <NewCondition
        prefix={names.newPrefix}
        choices={group.choices}
        legend={owner ? t("flow.cond.addTo", { name: owner }) : t("flow.filter.add")}
        pickLabel={props.pickLabel}
        t={t}
      />
    </BlockStack>
  );
}

function NewCondition(props: { prefix: string; choices: ConditionChoice[]; legend: string; pickLabel: string; t: Translate }) {
  const { prefix, t } = props;
  const [field, setField] = useState("");
  const spec = props.choices.find((f) => f.field === field);
  return (
    <fieldset style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
      <legend style={{ paddingBlockEnd: "var(--p-space-100)" }}>
        <Text as="span" variant="bodySm" fontWeight="semibold">
          {props.legend}
        </Text>
      </legend>
      <InlineStack gap="300" wrap blockAlign="start">
        <FieldSelect
          name={`${prefix}/field`}
          label={props.pickLabel}
          initial=""
          onChange={setField}
          options={[
            { label: t("flow.field.newFieldNone"), value: "" },
            ...props.choices.map((f) => ({ label: fieldLabel(t, f.field), value: f.field })),
          ]}
        />
        {spec && (
          <>
            <FieldSelect
              key={`op-${spec.field}`}
              name={`${prefix}/op`}
              label={t("flow.field.op")}
              initial={spec.op}
              options={ALL_OPS.map((op) => ({ label: t(`flow.op.${op}` as MessageKey), value: op }))}
            />
            <Box width="200px">
              <FieldText
                key={`value-${spec.field}`}
                name={`${prefix}/value`}
                label={t("flow.field.value")}
                type={spec.kind === "string" ? "text" : "number"}
                initial=""
              />
            </Box>
          </>
        )}
      </InlineStack>
    </fieldset>
  );
}

/** A condition step's condition, or a split's, one per branch (names as definition-edits.ts's groupNames). */
export function ConditionStepEditor(props: { stepId: string; name: string; groups: ConditionGroup[]; t: Translate }) {
  const { stepId, name, groups, t } = props;
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <BlockStack gap="400">
        {groups.map((g, i) => {
          const branch = groups.length > 1 ? (g.label ?? t("flow.cond.branch", { branch: i + 1 })) : null;
          const owner = branch ? `${name}, ${branch}` : name;
          return (
            <BlockStack key={g.root} gap="200">
              {branch && (
                <Text as="h3" variant="headingSm">
                  {branch}
                </Text>
              )}
              <ConditionGroupEditor
                group={g}
                names={{ leafPrefix: `cond/${stepId}`, match: `cond/${stepId}/${g.root}/match`, newPrefix: `cond/${stepId}/${g.root}/new` }}
                owner={owner}
                pickLabel={t("flow.cond.field")}
                t={t}
              />
            </BlockStack>
          );
        })}
      </BlockStack>
    </Box>
  );
}
