import { BlockStack, ButtonGroup, Button, InlineStack, Select, Text } from "@shopify/polaris";
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
type Device = keyof typeof WIDTHS;
type Shown = Device | "both";

/**
 * The message as rendered by the pipeline, in sandboxed frames at desktop and phone
 * width. Both frames stay rendered whichever is shown, so switching is instant and
 * never shows a stale render; "both" puts them side by side where the pane is wide
 * enough and stacks them where it is not.
 */
export function PreviewPane({ channel, subject, html, smsBody, busy, broken, customers, customerId, onCustomer, t }: Props) {
  const [shown, setShown] = useState<Shown>("desktop");
  const choice = (value: Shown, label: string) => (
    <Button pressed={shown === value} onClick={() => setShown(value)}>
      {label}
    </Button>
  );
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
          <div role="group" aria-label={t("msgEditor.previewWidth")}>
            <ButtonGroup variant="segmented">
              {choice("desktop", t("msgEditor.desktop"))}
              {choice("mobile", t("msgEditor.mobile"))}
              {choice("both", t("msgEditor.bothWidths"))}
            </ButtonGroup>
          </div>
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
          <div style={{ display: "flex", flexWrap: "wrap", gap: "var(--p-space-400)", justifyContent: "center", alignItems: "flex-start" }}>
            {(["desktop", "mobile"] as const).map((device) => (
              <figure
                key={device}
                hidden={shown !== "both" && shown !== device}
                style={{ margin: 0, flex: device === "desktop" ? "1 1 320px" : "0 1 375px", maxWidth: WIDTHS[device], minWidth: 0 }}
              >
                <iframe
                  title={`${t("msgEditor.preview")}: ${t(`msgEditor.${device}`)}`}
                  data-testid={device === "desktop" ? "preview-frame" : "preview-frame-mobile"}
                  sandbox=""
                  srcDoc={html}
                  style={{
                    display: "block",
                    width: "100%",
                    height: 900,
                    border: "1px solid #e3e3e3",
                    borderRadius: 8,
                    background: "#fff",
                    opacity: broken ? 0.4 : 1,
                  }}
                />
                {shown === "both" && (
                  <figcaption>
                    <Text as="span" tone="subdued" variant="bodySm" alignment="center">
                      {t("msgEditor.widthLabel", { device: t(`msgEditor.${device}`), px: WIDTHS[device] })}
                    </Text>
                  </figcaption>
                )}
              </figure>
            ))}
          </div>
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
