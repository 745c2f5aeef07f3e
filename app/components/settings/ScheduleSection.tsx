import { useFetcher } from "@remix-run/react";
import { BlockStack, Card, Checkbox, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { Translate } from "~/i18n";
import { fieldError, SettingsForm, type SaveResult } from "./SettingsForm";

interface Quiet {
  on: boolean;
  start: string;
  end: string;
}

function QuietFields({ channel, initial, t, result }: { channel: "email" | "sms"; initial: Quiet; t: Translate; result?: SaveResult }) {
  const [on, setOn] = useState(initial.on);
  const [start, setStart] = useState(initial.start);
  const [end, setEnd] = useState(initial.end);
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t(channel === "email" ? "settings.schedule.email" : "settings.schedule.sms")}
      </Text>
      <input type="hidden" name={`${channel}Quiet`} value={String(on)} />
      <Checkbox label={t("settings.schedule.enabled")} checked={on} onChange={setOn} id={`${channel}-quiet-on`} />
      <FormLayout.Group condensed>
        <TextField
          label={t("settings.schedule.from")}
          type="time"
          name={`${channel}QuietStart`}
          id={`${channel}-quiet-start`}
          value={start}
          onChange={setStart}
          autoComplete="off"
          disabled={!on}
          error={fieldError(t, result, `${channel}QuietStart`)}
        />
        <TextField
          label={t("settings.schedule.to")}
          type="time"
          name={`${channel}QuietEnd`}
          id={`${channel}-quiet-end`}
          value={end}
          onChange={setEnd}
          autoComplete="off"
          disabled={!on}
          error={fieldError(t, result, `${channel}QuietEnd`)}
        />
      </FormLayout.Group>
      {/* A disabled field is not submitted: keep the values so the form still validates. */}
      {!on && (
        <>
          <input type="hidden" name={`${channel}QuietStart`} value={start} />
          <input type="hidden" name={`${channel}QuietEnd`} value={end} />
        </>
      )}
    </BlockStack>
  );
}

export function ScheduleSection({
  t,
  timezone,
  timezones,
  quiet,
}: {
  t: Translate;
  timezone: string;
  timezones: string[];
  quiet: { email: Quiet; sms: Quiet };
}) {
  const fetcher = useFetcher<SaveResult>();
  const result = fetcher.data?.intent === "schedule" ? fetcher.data : undefined;
  const [tz, setTz] = useState(timezone);
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("settings.schedule.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("settings.schedule.body")}
          </Text>
        </BlockStack>
        <SettingsForm fetcher={fetcher} intent="schedule" t={t}>
          <FormLayout>
            <Select
              label={t("settings.schedule.timezone")}
              name="timezone"
              id="timezone"
              options={timezones}
              value={tz}
              onChange={setTz}
              error={fieldError(t, result, "timezone")}
            />
            <QuietFields channel="email" initial={quiet.email} t={t} result={result} />
            <QuietFields channel="sms" initial={quiet.sms} t={t} result={result} />
            <Text as="p" variant="bodySm" tone="subdued">
              {t("settings.schedule.smsLegal")}
            </Text>
          </FormLayout>
        </SettingsForm>
      </BlockStack>
    </Card>
  );
}
