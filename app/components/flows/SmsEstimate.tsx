import { BlockStack, Text } from "@shopify/polaris";
import type { FlowSmsEstimate } from "~/domain/sms/estimate";
import type { Locale, MessageKey, Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";

// A flow's SMS cost estimate, shown before it may send SMS: when it is turned on (the
// flows page) and when a message of a flow that is on becomes an SMS (the flow page).

export /** "4 segments (UCS-2, 236 characters)" per language, then the cost, then what the numbers are. */
function SmsEstimate({ estimate, locale, t }: { estimate: FlowSmsEstimate; locale: Locale; t: Translate }) {
  const tag = localeTag(locale);
  const plural = new Intl.PluralRules(tag);
  const int = new Intl.NumberFormat(tag);
  const count = (base: "flows.sms.segments" | "flows.sms.characters" | "flows.sms.subscribers", n: number) =>
    t(`${base}.${plural.select(n)}` as MessageKey, { count: int.format(n) });
  // Cents, or four decimals below a dollar: one GSM-7 segment to the US is $0.0083.
  const money = (usd: number) =>
    new Intl.NumberFormat(tag, {
      style: "currency",
      currency: estimate.currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: usd < 1 ? 4 : 2,
    }).format(usd);
  const ucs2 = estimate.steps.some((s) => s.texts.some((x) => x.encoding === "UCS-2"));
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        {t("flows.sms.title")}
      </Text>
      {estimate.steps.map((s, i) => (
        <BlockStack gap="050" key={s.stepId}>
          {estimate.steps.length > 1 && (
            <Text as="p" variant="bodySm" fontWeight="semibold">
              {t("flows.sms.step", { n: i + 1, count: estimate.steps.length })}
            </Text>
          )}
          {s.texts.map((x) => (
            <Text as="p" key={x.language}>
              {t("flows.sms.textLine", {
                text: t(`flows.sms.text.${x.language}`),
                segments: count("flows.sms.segments", x.segments),
                encoding: x.encoding,
                characters: count("flows.sms.characters", x.characters),
              })}
            </Text>
          ))}
          <Text as="p" fontWeight="semibold">
            {s.recipients > 0 && s.perMessage !== null && s.per1000 !== null
              ? t("flows.sms.cost", {
                  subscribers: count("flows.sms.subscribers", s.recipients),
                  total: money(s.total),
                  perMessage: money(s.perMessage),
                  per1000: money(s.per1000),
                  thousand: int.format(1000),
                })
              : t("flows.sms.noSubscribers")}
          </Text>
        </BlockStack>
      ))}
      <Text as="p" variant="bodySm" tone="subdued">
        {t("flows.sms.note")}
        {ucs2 ? ` ${t("flows.sms.ucs2")}` : ""}
      </Text>
    </BlockStack>
  );
}
