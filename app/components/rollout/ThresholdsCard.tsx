import { Link } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { CRITERIA, type RolloutThresholds } from "~/domain/rollout";
import type { Translate } from "~/i18n";
import { thresholdText } from "./CriteriaTable";
import type { RolloutFormats } from "./format";

/** The shop's go/no-go thresholds the check judges this rollout by, each marked default or the shop's own. */
export function ThresholdsCard({
  thresholds,
  settingsUrl,
  f,
  t,
}: {
  thresholds: { inForce: RolloutThresholds; defaults: RolloutThresholds };
  settingsUrl: string;
  f: RolloutFormats;
  t: Translate;
}) {
  const rows = CRITERIA.map((rule) => {
    const value = thresholds.inForce[rule.key];
    const isDefault = value === thresholds.defaults[rule.key];
    return [
      t(`rollout.criteria.${rule.key}`),
      thresholdText({ kind: rule.threshold.kind, value }, f, t),
      <Badge key={rule.key} tone={isDefault ? undefined : "info"}>
        {isDefault ? t("rolloutThresholds.default") : t("rolloutThresholds.custom")}
      </Badge>,
    ];
  });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("rolloutThresholds.inForce")}
        </Text>
        <Text as="p" tone="subdued">
          {t("rolloutThresholds.inForceBody")}
        </Text>
        <div data-testid="rollout-thresholds">
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={[t("rollout.criteria.criterion"), t("rollout.criteria.threshold"), t("rolloutThresholds.source")]}
            rows={rows}
          />
        </div>
        <Text as="p">
          <Link to={settingsUrl}>{t("rolloutThresholds.change")}</Link>
        </Text>
      </BlockStack>
    </Card>
  );
}
