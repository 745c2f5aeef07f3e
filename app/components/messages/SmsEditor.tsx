import { BlockStack, Text, TextField } from "@shopify/polaris";
import type { Translate } from "~/i18n";
import { errorFor, type FocusedField } from "./field-insert";

export interface SmsFigures {
  body: string;
  segments: number;
  encoding: string;
  units: number;
  perSegment: number;
  nonGsmCharacters: string[];
  cost: { currency: string; total: number; recipients: number; perMessage: number };
}

interface Props {
  locale: "en" | "pl";
  text: string;
  onChange: (text: string) => void;
  errors: { path: string; message: string }[];
  figures: SmsFigures | null;
  onFocusField: (field: FocusedField) => void;
  t: Translate;
  uiLocale: string;
}

/** The SMS text with its segment count and cost, as the preview of the real body reports them. */
export function SmsEditor({ locale, text, onChange, errors, figures, onFocusField, t, uiLocale }: Props) {
  const id = `${locale}_text`;
  const money = (n: number, currency: string) =>
    new Intl.NumberFormat(uiLocale, { style: "currency", currency, maximumFractionDigits: 4 }).format(n);
  return (
    <BlockStack gap="200">
      <TextField
        id={id}
        label={t("msgEditor.smsText")}
        value={text}
        onChange={onChange}
        onFocus={() => onFocusField({ id, value: text, set: onChange })}
        multiline={4}
        autoComplete="off"
        error={errorFor(errors, `${locale}.text`)}
      />
      {figures && (
        <BlockStack gap="100">
          <Text as="p" variant="bodySm" fontWeight="semibold">
            <span data-testid="sms-segments">
              {t("msgEditor.segments", {
                segments: figures.segments,
                encoding: figures.encoding,
                units: figures.units,
                limit: figures.segments > 1 ? figures.perSegment * figures.segments : figures.perSegment,
              })}
            </span>
          </Text>
          {figures.nonGsmCharacters.length > 0 && (
            <Text as="p" variant="bodySm" tone="subdued">
              {t("msgEditor.nonGsm", { chars: figures.nonGsmCharacters.join(" ") })}
            </Text>
          )}
          <Text as="p" variant="bodySm">
            {t("msgEditor.cost", {
              perMessage: money(figures.cost.perMessage, figures.cost.currency),
              total: money(figures.cost.total, figures.cost.currency),
              recipients: figures.cost.recipients,
            })}
          </Text>
        </BlockStack>
      )}
    </BlockStack>
  );
}
