import { useFetcher } from "@remix-run/react";
import { BlockStack, Card, Checkbox, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { EXPERIMENT_METRICS, type ExperimentSettings } from "~/domain/experiments";
import type { Translate } from "~/i18n";
import { fieldError, SettingsForm, type SaveResult } from "./SettingsForm";

export interface MeasurementView {
  holdoutPercent: number;
  attributionEmailDays: number;
  attributionSmsDays: number;
  attributeOpens: boolean;
  experiments: ExperimentSettings;
}

export function MeasurementSection({ t, initial }: { t: Translate; initial: MeasurementView }) {
  const fetcher = useFetcher<SaveResult>();
  const result = fetcher.data?.intent === "measurement" ? fetcher.data : undefined;
  const [holdout, setHoldout] = useState(String(initial.holdoutPercent));
  const [emailDays, setEmailDays] = useState(String(initial.attributionEmailDays));
  const [smsDays, setSmsDays] = useState(String(initial.attributionSmsDays));
  const [opens, setOpens] = useState(initial.attributeOpens);
  const [metric, setMetric] = useState<string>(initial.experiments.metric);
  const [minSample, setMinSample] = useState(String(initial.experiments.minSample));
  const [minProbability, setMinProbability] = useState(String(Math.round(initial.experiments.minProbability * 100)));
  const [minDays, setMinDays] = useState(String(initial.experiments.minDays));
  const [maxDays, setMaxDays] = useState(String(initial.experiments.maxDays));
  const field = (name: string, label: string, value: string, set: (v: string) => void, help?: string) => (
    <TextField
      label={label}
      name={name}
      id={name}
      inputMode="numeric"
      value={value}
      onChange={set}
      autoComplete="off"
      helpText={help}
      error={fieldError(t, result, name)}
    />
  );
  const re = result?.ok ? result.reattributed : null;
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("settings.measurement.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("settings.measurement.body")}
          </Text>
        </BlockStack>
        <SettingsForm
          fetcher={fetcher}
          intent="measurement"
          t={t}
          extra={re ? <p>{t("settings.measurement.reattributed", { changed: re.changed, attributed: re.attributed })}</p> : null}
        >
          <FormLayout>
            {field("holdoutPercent", t("settings.measurement.holdout"), holdout, setHoldout, t("settings.measurement.holdoutHelp"))}
            <FormLayout.Group condensed>
              {field("attributionEmailDays", t("settings.measurement.emailDays"), emailDays, setEmailDays)}
              {field("attributionSmsDays", t("settings.measurement.smsDays"), smsDays, setSmsDays)}
            </FormLayout.Group>
            <input type="hidden" name="attributeOpens" value={String(opens)} />
            <Checkbox
              label={t("settings.measurement.opens")}
              helpText={t("settings.measurement.opensHelp")}
              checked={opens}
              onChange={setOpens}
              id="attributeOpens"
            />
            <Text as="p" variant="bodySm" tone="subdued">
              {t("settings.measurement.reattributeNote")}
            </Text>
            <Text as="h3" variant="headingSm">
              {t("settings.measurement.ab")}
            </Text>
            <Select
              label={t("settings.measurement.abMetric")}
              name="abMetric"
              id="abMetric"
              options={EXPERIMENT_METRICS.map((m) => ({ value: m, label: t(`settings.measurement.metric.${m}`) }))}
              value={metric}
              onChange={setMetric}
              error={fieldError(t, result, "abMetric")}
            />
            <FormLayout.Group condensed>
              {field("abMinSample", t("settings.measurement.abMinSample"), minSample, setMinSample)}
              {field("abMinProbabilityPercent", t("settings.measurement.abMinProbability"), minProbability, setMinProbability)}
            </FormLayout.Group>
            <FormLayout.Group condensed>
              {field("abMinDays", t("settings.measurement.abMinDays"), minDays, setMinDays)}
              {field("abMaxDays", t("settings.measurement.abMaxDays"), maxDays, setMaxDays)}
            </FormLayout.Group>
          </FormLayout>
        </SettingsForm>
      </BlockStack>
    </Card>
  );
}
