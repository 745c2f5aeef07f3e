import { useFetcher } from "@remix-run/react";
import { BlockStack, Card, FormLayout, InlineGrid, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { FrequencyCaps } from "~/domain/arbitration/types";
import type { Translate } from "~/i18n";
import { fieldError, SettingsForm, type SaveResult } from "./SettingsForm";

const ROWS = 3;

function CapRow({
  channel,
  i,
  initial,
  t,
  result,
}: {
  channel: string;
  i: number;
  initial?: { count: number; windowHours: number };
  t: Translate;
  result?: SaveResult;
}) {
  const [count, setCount] = useState(initial ? String(initial.count) : "");
  const [hours, setHours] = useState(initial ? String(initial.windowHours) : "");
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
      <legend>
        <Text as="span" variant="bodySm" tone="subdued">
          {t("settings.caps.rule", { n: i + 1 })}
        </Text>
      </legend>
      <FormLayout.Group condensed>
        <TextField
          label={t("settings.caps.count")}
          name={`${channel}Count${i}`}
          id={`${channel}-count-${i}`}
          inputMode="numeric"
          value={count}
          onChange={setCount}
          autoComplete="off"
          error={fieldError(t, result, `${channel}Count${i}`)}
        />
        <TextField
          label={t("settings.caps.hours")}
          name={`${channel}Hours${i}`}
          id={`${channel}-hours-${i}`}
          inputMode="numeric"
          value={hours}
          onChange={setHours}
          autoComplete="off"
          error={fieldError(t, result, `${channel}Hours${i}`)}
        />
      </FormLayout.Group>
    </fieldset>
  );
}

export function CapsSection({ t, caps }: { t: Translate; caps: FrequencyCaps }) {
  const fetcher = useFetcher<SaveResult>();
  const result = fetcher.data?.intent === "caps" ? fetcher.data : undefined;
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("settings.caps.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("settings.caps.body")}
          </Text>
        </BlockStack>
        <SettingsForm fetcher={fetcher} intent="caps" t={t}>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {(["email", "sms"] as const).map((channel) => (
              <BlockStack gap="200" key={channel}>
                <Text as="h3" variant="headingSm">
                  {t(channel === "email" ? "settings.caps.email" : "settings.caps.sms")}
                </Text>
                {Array.from({ length: ROWS }, (_, i) => (
                  <CapRow key={i} channel={channel} i={i} initial={caps[channel][i]} t={t} result={result} />
                ))}
              </BlockStack>
            ))}
          </InlineGrid>
        </SettingsForm>
      </BlockStack>
    </Card>
  );
}
