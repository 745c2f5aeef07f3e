import { BlockStack, Box, ButtonGroup, Button, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import type { Translate } from "~/i18n";

interface Props {
  channel: "email" | "sms";
  subject: string;
  html: string;
  smsBody: string;
  busy: boolean;
  broken: boolean;
  customers: { id: string; label: string }[];
  customerId: string;
  onCustomer: (id: string) => void;
  t: Translate;
}

const WIDTHS = { desktop: 640, mobile: 375 } as const;

/** The message as rendered by the pipeline, in a sandboxed frame at desktop or phone width. */
export function PreviewPane({ channel, subject, html, smsBody, busy, broken, customers, customerId, onCustomer, t }: Props) {
  const [width, setWidth] = useState<keyof typeof WIDTHS>("desktop");
  return (
    <BlockStack gap="300">
      <InlineStack align="space-between" blockAlign="end" gap="200">
        <Select
          label={t("msgEditor.previewAs")}
          value={customerId}
          options={[{ value: "", label: t("msgEditor.sampleCustomer") }, ...customers.map((c) => ({ value: c.id, label: c.label }))]}
          onChange={onCustomer}
        />
        {channel === "email" && (
          <ButtonGroup variant="segmented">
            <Button pressed={width === "desktop"} onClick={() => setWidth("desktop")}>
              {t("msgEditor.desktop")}
            </Button>
            <Button pressed={width === "mobile"} onClick={() => setWidth("mobile")}>
              {t("msgEditor.mobile")}
            </Button>
          </ButtonGroup>
        )}
      </InlineStack>
      <div aria-live="polite">
        <Text as="p" tone="subdued" variant="bodySm">
          {busy ? t("msgEditor.previewUpdating") : broken ? t("msgEditor.previewBroken") : "\u00a0"}
        </Text>
      </div>
      {channel === "email" ? (
        <BlockStack gap="200">
          <Text as="p" fontWeight="semibold">
            <span data-testid="preview-subject">{t("msgEditor.previewSubject", { subject })}</span>
          </Text>
          <Box>
            <iframe
              title={t("msgEditor.preview")}
              data-testid="preview-frame"
              sandbox=""
              srcDoc={html}
              style={{
                display: "block",
                width: "100%",
                maxWidth: WIDTHS[width],
                height: 900,
                margin: "0 auto",
                border: "1px solid #e3e3e3",
                borderRadius: 8,
                background: "#fff",
                opacity: broken ? 0.4 : 1,
              }}
            />
          </Box>
        </BlockStack>
      ) : (
        <BlockStack gap="100">
          <div
            data-testid="sms-body"
            style={{ maxWidth: 320, whiteSpace: "pre-wrap", background: "#e9e9eb", borderRadius: 16, padding: "10px 14px", fontSize: 15 }}
          >
            {smsBody}
          </div>
          <Text as="p" tone="subdued" variant="bodySm">
            {t("msgEditor.smsPreviewNote")}
          </Text>
        </BlockStack>
      )}
    </BlockStack>
  );
}
