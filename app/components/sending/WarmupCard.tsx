import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, DataTable, Text } from "@shopify/polaris";
import type { Locale, Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { ResultBanner, type Result } from "./form-bits";

interface WarmupView {
  startDay: string | null;
  today: string;
  allowanceToday: number | null;
  sentToday: number;
  schedule: { day: string; allowance: number }[];
}

export function WarmupCard({ t, warmup, locale, result }: { t: Translate; warmup: WarmupView; locale: Locale; result: Result }) {
  const busy = useNavigation().state !== "idle";
  const int = new Intl.NumberFormat(localeTag(locale));
  const last = warmup.schedule.at(-1);
  const state = !warmup.startDay
    ? t("sending.warmup.off")
    : warmup.allowanceToday === null
      ? t("sending.warmup.done")
      : t("sending.warmup.today", { day: warmup.today, sent: int.format(warmup.sentToday), allowance: int.format(warmup.allowanceToday) });
  return (
    <Card>
      <Form method="post" data-testid="warmup-form">
        <input type="hidden" name="intent" value="warmup" />
        <input type="hidden" name="warmup" value={warmup.startDay ? "stop" : "start"} />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("sending.warmup.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("sending.warmup.help")}
          </Text>
          <ResultBanner t={t} result={result} />
          <Text as="p" fontWeight="semibold">
            <span data-testid="warmup-state">{state}</span>
          </Text>
          {warmup.schedule.length > 0 && (
            <DataTable
              columnContentTypes={["text", "numeric"]}
              headings={[t("sending.warmup.day"), t("sending.warmup.allowance")]}
              rows={warmup.schedule.map((d) => [d.day === warmup.today ? `${d.day} ←` : d.day, int.format(d.allowance)])}
              footerContent={last ? t("sending.warmup.after", { day: last.day }) : undefined}
            />
          )}
          <div>
            <Button submit disabled={busy}>
              {warmup.startDay ? t("sending.warmup.stop") : t("sending.warmup.start")}
            </Button>
          </div>
        </BlockStack>
      </Form>
    </Card>
  );
}
