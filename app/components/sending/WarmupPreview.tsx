import { BlockStack, DataTable, Text } from "@shopify/polaris";
import { rampPlan, warmupSchedule, type WarmupRamp } from "~/domain/sending/warmup";
import type { Locale, Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";

/**
 * The day-by-day schedule the chosen ramp gives, before it is saved: from the running
 * ramp's start day (its day count is kept) or from today.
 */
export function WarmupPreview({
  t,
  locale,
  ramp,
  startDay,
  today,
  dayNumber,
}: {
  t: Translate;
  locale: Locale;
  ramp: WarmupRamp | null;
  startDay: string;
  today: string;
  dayNumber: number | null;
}) {
  if (!ramp)
    return (
      <Text as="p" tone="subdued">
        {t("warmupPlan.previewInvalid")}
      </Text>
    );
  const int = new Intl.NumberFormat(localeTag(locale));
  const schedule = warmupSchedule(rampPlan(ramp), startDay);
  const last = schedule.at(-1);
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("warmupPlan.preview", { days: schedule.length })}
      </Text>
      {dayNumber !== null && (
        <Text as="p" tone="subdued">
          {t("warmupPlan.previewRunning", { day: dayNumber })}
        </Text>
      )}
      <div data-testid="warmup-preview">
        <DataTable
          columnContentTypes={["numeric", "text", "numeric"]}
          headings={[t("warmupPlan.dayNumber"), t("warmupPlan.date"), t("sending.warmup.allowance")]}
          rows={schedule.map((d, i) => [
            String(i + 1),
            d.day === today ? t("warmupPlan.today", { date: d.day }) : d.day,
            int.format(d.allowance),
          ])}
          footerContent={last ? t("sending.warmup.after", { day: last.day }) : undefined}
        />
      </div>
    </BlockStack>
  );
}
