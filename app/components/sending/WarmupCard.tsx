import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, ChoiceList, FormLayout, InlineStack, Text } from "@shopify/polaris";
import { useRef, useState } from "react";
import { WarmupRampForm } from "~/domain/sending/settings-schema";
import { DEFAULT_WARMUP_RAMP, type WarmupRamp } from "~/domain/sending/warmup";
import type { Locale, Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { ResultBanner, type Result } from "./form-bits";
import { WarmupPreview } from "./WarmupPreview";
import { WarmupRampFields, type RampText } from "./WarmupRampFields";

interface WarmupView {
  startDay: string | null;
  today: string;
  allowanceToday: number | null;
  sentToday: number;
  schedule: { day: string; allowance: number }[];
  /** Which day of the running ramp today is (1 = the start day); null when none runs. */
  dayNumber: number | null;
  ramp: WarmupRamp & { mode: "default" | "custom" };
}

export function WarmupCard({ t, warmup, locale, result }: { t: Translate; warmup: WarmupView; locale: Locale; result: Result }) {
  const busy = useNavigation().state !== "idle";
  const int = new Intl.NumberFormat(localeTag(locale));
  const dec = new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 2, useGrouping: false });
  const [mode, setMode] = useState(warmup.ramp.mode);
  const [text, setText] = useState<RampText>({
    firstDay: String(warmup.ramp.firstDay),
    growth: dec.format(warmup.ramp.growth),
    target: String(warmup.ramp.target),
  });
  const running = warmup.startDay !== null;
  const state = !running
    ? t("sending.warmup.off")
    : warmup.allowanceToday === null
      ? t("sending.warmup.done")
      : t("sending.warmup.today", { day: warmup.today, sent: int.format(warmup.sentToday), allowance: int.format(warmup.allowanceToday) });
  // The preview follows what is typed; the server checks the same schema on save.
  const typed = mode === "custom" ? WarmupRampForm.safeParse(text) : null;
  const ramp: WarmupRamp | null = mode === "default" ? DEFAULT_WARMUP_RAMP : typed?.success ? typed.data : null;
  // Polaris buttons carry no name/value: the pressed one sets what the form asks for.
  const action = useRef<HTMLInputElement>(null);
  const press = (value: "start" | "save" | "stop") => () => {
    if (action.current) action.current.value = value;
  };
  const serverErrors = result && !result.ok && "errors" in result ? result.errors : {};
  return (
    <Card>
      <Form method="post" data-testid="warmup-form">
        <input type="hidden" name="intent" value="warmup" />
        <input type="hidden" name="plan" value={mode} />
        <input type="hidden" name="warmup" defaultValue={running ? "save" : "start"} ref={action} />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("sending.warmup.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("sending.warmup.help")}
          </Text>
          <WarmupResult t={t} result={result} />
          <Text as="p" fontWeight="semibold">
            <span data-testid="warmup-state">{state}</span>
          </Text>
          <FormLayout>
            <ChoiceList
              title={t("warmupPlan.choice")}
              choices={[
                { value: "default", label: t("warmupPlan.default") },
                { value: "custom", label: t("warmupPlan.custom") },
              ]}
              selected={[mode]}
              onChange={(v) => setMode(v[0] === "custom" ? "custom" : "default")}
            />
            {mode === "custom" && <WarmupRampFields t={t} text={text} onChange={setText} typed={typed} serverErrors={serverErrors} />}
          </FormLayout>
          <WarmupPreview
            t={t}
            locale={locale}
            ramp={ramp}
            startDay={warmup.startDay ?? warmup.today}
            today={warmup.today}
            dayNumber={warmup.dayNumber}
          />
          <InlineStack gap="300">
            {running ? (
              <>
                <Button submit variant="primary" disabled={busy} onClick={press("save")}>
                  {t("warmupPlan.save")}
                </Button>
                <Button submit disabled={busy} onClick={press("stop")}>
                  {t("sending.warmup.stop")}
                </Button>
              </>
            ) : (
              <Button submit variant="primary" disabled={busy} onClick={press("start")}>
                {t("warmupPlan.startWith")}
              </Button>
            )}
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function WarmupResult({ t, result }: { t: Translate; result: Result }) {
  if (result && !result.ok && "error" in result && result.error === "warmupNotRunning")
    return <Banner tone="warning">{t("warmupPlan.notRunning")}</Banner>;
  if (result?.ok && "changed" in result && result.changed === false) return <Banner tone="info">{t("warmupPlan.unchanged")}</Banner>;
  return <ResultBanner t={t} result={result} />;
}
