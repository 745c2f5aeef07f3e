import { Box, InlineStack } from "@shopify/polaris";
import type { LeafField } from "~/domain/flows/condition-leaves";
import { isMessageKey, type MessageKey, type Translate } from "~/i18n";
import { FieldCheckbox, FieldSelect, FieldText } from "./FormFields";

// The leaves of a condition as fields (comparison, value, and for filters a remove
// box): one editor for condition steps, splits, the flow filter and the trigger's filter.

const OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "not_contains", "exists", "not_exists"] as const;
/** Every comparison (the schema's CONDITION_OPS, kept here so the page's bundle needs no zod). */
export const ALL_OPS = [...OPS, "within_days", "older_than_days"] as const;

/** customer.ordersCount -> "customer's order count"; an unknown path as it is. */
export function fieldLabel(t: Translate, field: string): string {
  const key = `flow.fieldName.${field}`;
  return isMessageKey(key) ? t(key) : field;
}

export function LeafFields(props: {
  leaves: LeafField[];
  /** The form field's name for a leaf's property (op, value, remove). */
  nameOf: (leaf: LeafField, prop: "op" | "value" | "remove") => string;
  removable?: boolean;
  t: Translate;
}) {
  const { t } = props;
  return (
    <>
      {props.leaves.map((leaf, i) => {
        const label = fieldLabel(t, leaf.field);
        const ops: string[] = OPS.filter((op) =>
          leaf.valueKind === "list" ? op === "in" || op === "not_in" : op !== "in" && op !== "not_in",
        );
        if (!ops.includes(leaf.op)) ops.push(leaf.op);
        return (
          // A rule between leaves: on a phone each leaf's fields wrap, and the next leaf must not read as more of the same.
          <Box
            key={leaf.path}
            borderBlockStartWidth={i > 0 ? "025" : undefined}
            borderColor="border"
            paddingBlockStart={i > 0 ? "200" : undefined}
          >
            <InlineStack gap="300" blockAlign="end" wrap>
              <FieldSelect
                name={props.nameOf(leaf, "op")}
                label={`${t("flow.field.op")} (${label})`}
                initial={leaf.op}
                options={ops.map((op) => ({ label: t(`flow.op.${op}` as MessageKey), value: op }))}
              />
              {leaf.valueKind === "boolean" ? (
                <FieldSelect
                  name={props.nameOf(leaf, "value")}
                  label={t("flow.field.value")}
                  initial={leaf.value}
                  options={[
                    { label: t("flow.bool.true"), value: "true" },
                    { label: t("flow.bool.false"), value: "false" },
                  ]}
                />
              ) : leaf.valueKind === "ref" || leaf.valueKind === "none" ? null : (
                <Box width="160px">
                  <FieldText
                    name={props.nameOf(leaf, "value")}
                    label={t("flow.field.value")}
                    type={leaf.valueKind === "number" ? "number" : "text"}
                    initial={leaf.value}
                  />
                </Box>
              )}
              {props.removable && <FieldCheckbox name={props.nameOf(leaf, "remove")} label={`${t("flow.field.remove")} (${label})`} />}
            </InlineStack>
          </Box>
        );
      })}
    </>
  );
}
