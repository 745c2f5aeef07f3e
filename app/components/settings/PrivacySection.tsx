import { useFetcher } from "@remix-run/react";
import { BlockStack, Card, ChoiceList, FormLayout, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { Translate } from "~/i18n";
import { fieldError, SettingsForm, type SaveResult } from "./SettingsForm";

export function PrivacySection({
  t,
  doubleOptIn,
  retentionDays,
  bounds,
}: {
  t: Translate;
  doubleOptIn: boolean;
  retentionDays: number;
  bounds: { min: number; max: number };
}) {
  const fetcher = useFetcher<SaveResult>();
  const result = fetcher.data?.intent === "privacy" ? fetcher.data : undefined;
  const [optIn, setOptIn] = useState(doubleOptIn ? "double" : "single");
  const [days, setDays] = useState(String(retentionDays));
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("settings.privacy.title")}
        </Text>
        <SettingsForm fetcher={fetcher} intent="privacy" t={t}>
          <FormLayout>
            <ChoiceList
              title={t("settings.privacy.optIn")}
              choices={[
                { value: "single", label: t("settings.privacy.single") },
                { value: "double", label: t("settings.privacy.double") },
              ]}
              selected={[optIn]}
              onChange={(v) => setOptIn(v[0] ?? "single")}
              error={fieldError(t, result, "doubleOptIn")}
            />
            <input type="hidden" name="doubleOptIn" value={optIn} />
            <TextField
              label={t("settings.privacy.retention")}
              name="storefrontEventDays"
              id="storefrontEventDays"
              inputMode="numeric"
              value={days}
              onChange={setDays}
              autoComplete="off"
              helpText={t("settings.privacy.retentionHelp", bounds)}
              error={fieldError(t, result, "storefrontEventDays")}
            />
          </FormLayout>
        </SettingsForm>
      </BlockStack>
    </Card>
  );
}
