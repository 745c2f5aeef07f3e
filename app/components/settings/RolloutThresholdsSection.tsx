import { useFetcher } from "@remix-run/react";
import { BlockStack, Card, FormLayout, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { CRITERION_KEYS, ROLLOUT_THRESHOLD_BOUNDS, type RolloutThresholds } from "~/domain/rollout";
import type { Locale, Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { fieldError, SettingsForm, type SaveResult } from "./SettingsForm";

/** A fraction as the percent a merchant types: 0.003 -> "0.3" (in Polish "0,3"). */
export function percentText(locale: Locale, fraction: number): string {
  return new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 2, useGrouping: false }).format(fraction * 100);
}

/** The go/no-go thresholds of the shop's staged rollouts, each explained in plain words. */
export function RolloutThresholdsSection({ t, locale, thresholds }: { t: Translate; locale: Locale; thresholds: RolloutThresholds }) {
  const fetcher = useFetcher<SaveResult>();
  const result = fetcher.data?.intent === "rollout" ? fetcher.data : undefined;
  const [values, setValues] = useState(
    Object.fromEntries(CRITERION_KEYS.map((k) => [k, percentText(locale, thresholds[k])])) as Record<keyof RolloutThresholds, string>,
  );
  return (
    <div data-testid="rollout-thresholds-settings">
      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("rolloutThresholds.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("rolloutThresholds.help")}
          </Text>
          <SettingsForm fetcher={fetcher} intent="rollout" t={t}>
            <FormLayout>
              {CRITERION_KEYS.map((key) => {
                const bounds = ROLLOUT_THRESHOLD_BOUNDS[key];
                return (
                  <TextField
                    key={key}
                    label={t(`rolloutThresholds.${key}`)}
                    name={key}
                    id={`rollout-${key}`}
                    inputMode="decimal"
                    value={values[key]}
                    onChange={(v) => setValues((prev) => ({ ...prev, [key]: v }))}
                    autoComplete="off"
                    suffix={key === "clicks" ? t("rolloutThresholds.percent") : t("rolloutThresholds.points")}
                    helpText={t(`rolloutThresholds.${key}Help`, {
                      min: percentText(locale, bounds.min),
                      max: percentText(locale, bounds.max),
                    })}
                    error={fieldError(t, result, key)}
                  />
                );
              })}
            </FormLayout>
          </SettingsForm>
        </BlockStack>
      </Card>
    </div>
  );
}
