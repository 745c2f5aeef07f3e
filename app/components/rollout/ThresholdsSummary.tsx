import { BlockStack, List, Text } from "@shopify/polaris";
import { CRITERIA, type RolloutThresholds } from "~/domain/rollout";
import type { Locale, Translate } from "~/i18n";
import { thresholdText } from "./CriteriaTable";
import { rolloutFormats } from "./format";

/** The shop's go/no-go thresholds in a few short lines, for the flow page's rollout panel. */
export function ThresholdsSummary({ thresholds, locale, t }: { thresholds: RolloutThresholds; locale: Locale; t: Translate }) {
  const f = rolloutFormats(locale, "UTC");
  return (
    <BlockStack gap="050">
      <Text as="p" variant="bodySm" fontWeight="semibold">
        {t("rolloutThresholds.inForce")}
      </Text>
      <div data-testid="flow-rollout-thresholds">
        <List gap="extraTight">
          {CRITERIA.map((rule) => (
            <List.Item key={rule.key}>
              <Text as="span" variant="bodySm" tone="subdued">
                {t(`rollout.criteria.${rule.key}`)}: {thresholdText({ kind: rule.threshold.kind, value: thresholds[rule.key] }, f, t)}
              </Text>
            </List.Item>
          ))}
        </List>
      </div>
    </BlockStack>
  );
}
