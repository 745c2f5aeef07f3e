import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, Text } from "@shopify/polaris";
import type { Translate } from "~/i18n";
import { Field, ResultBanner, type Result } from "./form-bits";

type SenderValues = Record<
  "senderName" | "senderEmail" | "replyTo" | "company" | "address1" | "address2" | "zip" | "city" | "country" | "countryCodeV2",
  string
>;

export function SenderCard({ t, values, result }: { t: Translate; values: SenderValues; result: Result }) {
  const busy = useNavigation().state !== "idle";
  const field = (name: keyof SenderValues, extra: { type?: "email"; autoComplete?: string; helpText?: string } = {}) => (
    <Field t={t} name={name} label={t(`sending.sender.${name}`)} initial={values[name]} result={result} {...extra} />
  );
  return (
    <Card>
      <Form method="post" data-testid="sender-form" noValidate>
        <input type="hidden" name="intent" value="sender" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("sending.sender.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("sending.sender.help")}
          </Text>
          <ResultBanner t={t} result={result} />
          <FormLayout>
            <FormLayout.Group>
              {field("senderName", { autoComplete: "organization" })}
              {field("senderEmail", { type: "email", autoComplete: "email" })}
            </FormLayout.Group>
            {field("replyTo", { type: "email", autoComplete: "email" })}
            {field("company", { autoComplete: "organization" })}
            {field("address1", { autoComplete: "address-line1" })}
            {field("address2", { autoComplete: "address-line2" })}
            <FormLayout.Group>
              {field("zip", { autoComplete: "postal-code" })}
              {field("city", { autoComplete: "address-level2" })}
            </FormLayout.Group>
            <FormLayout.Group>
              {field("country", { autoComplete: "country-name" })}
              {field("countryCodeV2", { autoComplete: "country", helpText: t("sending.sender.countryCodeHelp") })}
            </FormLayout.Group>
          </FormLayout>
          <div>
            <Button submit variant="primary" disabled={busy}>
              {t("sending.save")}
            </Button>
          </div>
        </BlockStack>
      </Form>
    </Card>
  );
}

export function TestSendCard({ t, from, result }: { t: Translate; from: string; result: Result }) {
  const busy = useNavigation().state !== "idle";
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="test" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("sending.test.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("sending.test.help")}
          </Text>
          {result?.ok && (
            <Banner tone="success">
              <span data-testid="test-sent">{t("sending.test.sent", { to: result.sentTo ?? "" })}</span>
            </Banner>
          )}
          {result && !result.ok && (
            <Banner tone="critical">
              {"error" in result && result.error === "testFailed"
                ? t("sending.test.failed", { reason: result.reason })
                : t("sending.test.refused")}
            </Banner>
          )}
          <div>
            <Button submit disabled={busy || !from}>
              {t("sending.test.send")}
            </Button>
          </div>
        </BlockStack>
      </Form>
    </Card>
  );
}
