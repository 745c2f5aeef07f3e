import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, ButtonGroup, Card, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import type { FeedbackAddressView } from "~/server/admin/feedback-address.server";
import type { Result } from "./form-bits";

const FIELD_ID = "feedback-address";
const VISUALLY_HIDDEN = { position: "absolute", width: 1, height: 1, overflow: "hidden", clipPath: "inset(50%)" } as const;

type CopyState = "idle" | "copied" | "failed";

/** Copies the address; where the clipboard is blocked (an iframe without permission), selects it instead. */
async function copyAddress(text: string): Promise<CopyState> {
  try {
    await navigator.clipboard.writeText(text);
    return "copied";
  } catch {
    (document.getElementById(FIELD_ID) as HTMLInputElement | null)?.select();
    return "failed";
  }
}

export function FeedbackAddressCard(props: {
  t: Translate;
  locale: string;
  feedback: FeedbackAddressView;
  /** The shop sends through its own SMTP server (else the app's, whose reports the app gets itself). */
  ownProvider: boolean;
  result: Result;
}) {
  const { t, feedback, result } = props;
  const [confirming, setConfirming] = useState(false);
  const [copy, setCopy] = useState<CopyState>("idle");
  useEffect(() => setCopy("idle"), [feedback.url]);
  const busy = useNavigation().state !== "idle";
  useEffect(() => {
    if (result) setConfirming(false);
  }, [result]);
  const last = feedback.lastReport;
  const when = last
    ? new Intl.DateTimeFormat(localeTag(props.locale), { dateStyle: "medium", timeStyle: "short", timeZone: feedback.timezone }).format(
        new Date(last.at),
      )
    : "";
  return (
    <div data-testid="feedback-card">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("feedbackAddress.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("feedbackAddress.help")}
          </Text>
          {!props.ownProvider && (
            <Text as="p" tone="subdued">
              {t("feedbackAddress.appProvider")}
            </Text>
          )}
          {result?.ok === true && <Banner tone="success">{t("feedbackAddress.rotated")}</Banner>}
          {result?.ok === false && <Banner tone="critical">{t("feedbackAddress.failed")}</Banner>}
          <div data-testid="feedback-address">
            <TextField
              id={FIELD_ID}
              label={t("feedbackAddress.label")}
              value={feedback.url}
              readOnly
              autoComplete="off"
              helpText={t("feedbackAddress.secret")}
              connectedRight={
                <Button onClick={() => void copyAddress(feedback.url).then(setCopy)}>
                  {copy === "copied" ? t("feedbackAddress.copied") : t("feedbackAddress.copy")}
                </Button>
              }
            />
            {/* Said aloud too: the button's new label alone is easy to miss. */}
            <div role="status">
              {copy === "failed" && (
                <Text as="p" tone="caution">
                  {t("feedbackAddress.copyFailed")}
                </Text>
              )}
              {copy === "copied" && <span style={VISUALLY_HIDDEN}>{t("feedbackAddress.copied")}</span>}
            </div>
          </div>
          <div data-testid="feedback-last-report">
            <Text as="p">
              {last
                ? t("feedbackAddress.lastReport", { when, kind: t(`feedbackAddress.kind.${last.kind}`) })
                : t("feedbackAddress.noReport")}
            </Text>
          </div>
          {confirming ? (
            <Banner tone="warning" title={t("feedbackAddress.confirmTitle")}>
              <BlockStack gap="300">
                <Text as="p">{t("feedbackAddress.confirmBody")}</Text>
                <Form method="post" data-testid="feedback-rotate-form">
                  <input type="hidden" name="intent" value="feedback_address" />
                  <input type="hidden" name="confirm" value="yes" />
                  <ButtonGroup>
                    <Button submit variant="primary" tone="critical" disabled={busy}>
                      {t("feedbackAddress.confirm")}
                    </Button>
                    <Button onClick={() => setConfirming(false)}>{t("feedbackAddress.cancel")}</Button>
                  </ButtonGroup>
                </Form>
              </BlockStack>
            </Banner>
          ) : (
            <div>
              <Button onClick={() => setConfirming(true)}>{t("feedbackAddress.rotate")}</Button>
            </div>
          )}
        </BlockStack>
      </Card>
    </div>
  );
}
