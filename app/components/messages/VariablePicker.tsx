import { BlockStack, Button, InlineStack, Text } from "@shopify/polaris";
import type { Translate } from "~/i18n";

/** The Liquid variables this message has; a click inserts one into the field last edited. */
export function VariablePicker({ variables, onInsert, t }: { variables: string[]; onInsert: (snippet: string) => void; t: Translate }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("msgEditor.variables")}
      </Text>
      <Text as="p" tone="subdued" variant="bodySm">
        {t("msgEditor.variablesHelp")}
      </Text>
      <InlineStack gap="100">
        {variables.map((v) => (
          <Button key={v} size="slim" accessibilityLabel={t("msgEditor.insert", { variable: v })} onClick={() => onInsert(`{{ ${v} }}`)}>
            {v}
          </Button>
        ))}
      </InlineStack>
    </BlockStack>
  );
}
