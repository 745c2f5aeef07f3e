import { Banner, BlockStack, Text } from "@shopify/polaris";
import type { HaltReason } from "~/domain/rollout";
import type { Translate } from "~/i18n";
import { thresholdText } from "./CriteriaTable";
import type { RolloutFormats } from "./format";

/** Why the rollout halted: the criterion, both values and the threshold, or the merchant's own halt. */
export function HaltReasonBanner({
  reason,
  haltedAt,
  f,
  t,
}: {
  reason: HaltReason | null;
  haltedAt: string;
  f: RolloutFormats;
  t: Translate;
}) {
  const byCheck = reason?.by === "check" && reason.criterion && reason.threshold;
  return (
    <div data-testid="halt-reason">
      <Banner tone="critical" title={t("rollout.halt.heading")}>
        <BlockStack gap="200">
          {byCheck ? (
            <>
              <Text as="p">
                {t("rollout.halt.byCheck", {
                  at: f.time(reason.at),
                  criterion: t(`rollout.criteria.${reason.criterion!}`),
                  stage: reason.stage ?? "",
                  newValue: f.rate(reason.newValue),
                  baseValue: f.rate(reason.baseValue),
                  limit: f.rate(reason.limit),
                  threshold: thresholdText(reason.threshold!, f, t),
                })}
              </Text>
              <Text as="p" tone="subdued">
                {t("rollout.halt.samples", { newSample: f.int(reason.newSample ?? 0), baseSample: f.int(reason.baseSample ?? 0) })}
              </Text>
            </>
          ) : (
            <Text as="p">{t("rollout.halt.byMerchant", { at: f.time(reason?.at ?? haltedAt) })}</Text>
          )}
          <Text as="p">{t("rollout.halt.choices")}</Text>
        </BlockStack>
      </Banner>
    </div>
  );
}
