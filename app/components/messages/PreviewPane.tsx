import { BlockStack, ButtonGroup, Button, InlineStack, Select, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
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
const FRAME_HEIGHT = 900;
const GAP = 16;
/** Below this, two frames side by side are too small to read: they stack instead (a phone). */
const MIN_SIDE_SCALE = 0.4;
type Device = keyof typeof WIDTHS;
type Shown = Device | "both";

/**
 * The message as rendered by the pipeline, in sandboxed frames at desktop and phone
 * width. Both frames stay rendered whichever is shown, so switching is instant and
 * never shows a stale render. "Both" puts them side by side, each laid out at its
 * true width and scaled down together to fit the pane (a desktop's half-width column),
 * and stacks them where that would be too small to read (a phone).
 */
export function PreviewPane({ channel, subject, html, smsBody, busy, broken, customers, customerId, onCustomer, t }: Props) {
  const [shown, setShown] = useState<Shown>("desktop");
  const pane = useRef<HTMLDivElement>(null);
  const [paneWidth, setPaneWidth] = useState(0);
  useEffect(() => {
    const el = pane.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => setPaneWidth(entry?.contentRect.width ?? 0));
    observer.observe(el);
    return () => observer.disconnect();
  }, [channel]);
  const fit = paneWidth > 0 ? Math.min(1, (paneWidth - GAP) / (WIDTHS.desktop + WIDTHS.mobile)) : 0;
  // Null: each frame as wide as the pane allows (one shown, or both stacked).
  const scale = shown === "both" && fit >= MIN_SIDE_SCALE ? fit : null;
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
          <div
            ref={pane}
            data-layout={scale === null ? "flow" : "side-by-side"}
            style={{
              display: "flex",
              flexWrap: scale === null ? "wrap" : "nowrap",
              gap: GAP,
              justifyContent: "center",
              alignItems: "flex-start",
            }}
          >
            {(["desktop", "mobile"] as const).map((device) => (
              <figure
                key={device}
                hidden={shown !== "both" && shown !== device}
                style={
                  scale === null
                    ? { margin: 0, flex: device === "desktop" ? "1 1 320px" : "0 1 375px", maxWidth: WIDTHS[device], minWidth: 0 }
                    : { margin: 0, flex: "0 0 auto", width: Math.floor(WIDTHS[device] * scale) }
                }
              >
                <div style={scale === null ? undefined : { width: "100%", height: Math.ceil(FRAME_HEIGHT * scale), overflow: "hidden" }}>
                  <iframe
                    title={`${t("msgEditor.preview")}: ${t(`msgEditor.${device}`)}`}
                    data-testid={device === "desktop" ? "preview-frame" : "preview-frame-mobile"}
                    sandbox=""
                    srcDoc={html}
                    style={{
                      display: "block",
                      width: scale === null ? "100%" : WIDTHS[device],
                      height: FRAME_HEIGHT,
                      border: "1px solid #e3e3e3",
                      borderRadius: 8,
                      background: "#fff",
                      opacity: broken ? 0.4 : 1,
                      ...(scale === null ? {} : { transform: `scale(${scale})`, transformOrigin: "0 0" }),
                    }}
                  />
                </div>
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
            style={{
              maxWidth: 320,
              whiteSpace: "pre-wrap",
              overflowWrap: "anywhere",
              background: "#e9e9eb",
              borderRadius: 16,
              padding: "10px 14px",
              fontSize: 15,
            }}
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
