import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, FormLayout, Text } from "@shopify/polaris";
import type { Translate } from "~/i18n";
import { Field, ResultBanner, type Result } from "./form-bits";

interface StoredSecret {
  set: boolean;
  masked: string | null;
  readable: boolean;
}

function storedHelp(t: Translate, s: StoredSecret): string {
  if (!s.set) return t("sending.sms.keep");
  if (!s.readable) return t("sending.sms.unreadable");
  return `${t("sending.sms.stored", { masked: s.masked ?? "" })} ${t("sending.sms.keep")}`;
}

/** A provider secret: typed, never shown back, cleared once saved. */
function SecretField(props: { t: Translate; name: string; label: string; helpText: string; result: Result }) {
  return <Field {...props} type="password" clearOnSave />;
}

function SaveButton({ t }: { t: Translate }) {
  const busy = useNavigation().state !== "idle";
  return (
    <Button submit variant="primary" disabled={busy}>
      {t("sending.save")}
    </Button>
  );
}

/** Back to the app's default provider: a form of its own, so it never submits typed secrets. */
function ClearForm({ intent, label }: { intent: "email" | "sms"; label: string }) {
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="clear" value="true" />
      <Button submit disabled={busy}>
        {label}
      </Button>
    </Form>
  );
}

export function EmailProviderCard(props: { t: Translate; state: { smtpUrl: StoredSecret }; secretsAvailable: boolean; result: Result }) {
  const { t, state, result } = props;
  return (
    <Card>
      <Form method="post" data-testid="email-provider-form">
        <input type="hidden" name="intent" value="email" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("sending.email.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("sending.email.help")}
          </Text>
          {!props.secretsAvailable && <Banner tone="warning">{t("sending.secretsKeyMissing")}</Banner>}
          <ResultBanner t={t} result={result} />
          <Text as="p" fontWeight="semibold">
            <span data-testid="smtp-current">
              {state.smtpUrl.set ? t("sending.email.current", { masked: state.smtpUrl.masked ?? "" }) : t("sending.email.default")}
            </span>
          </Text>
          <SecretField t={t} name="smtpUrl" label={t("sending.email.smtpUrl")} helpText={t("sending.email.smtpUrlHelp")} result={result} />
          <div>
            <SaveButton t={t} />
          </div>
        </BlockStack>
      </Form>
      {state.smtpUrl.set && (
        <Box paddingBlockStart="200">
          <ClearForm intent="email" label={t("sending.email.clear")} />
        </Box>
      )}
    </Card>
  );
}

export function SmsProviderCard(props: {
  t: Translate;
  state: { accountSid: StoredSecret; authToken: StoredSecret; fromNumber: string; messagingServiceSid: string };
  secretsAvailable: boolean;
  result: Result;
}) {
  const { t, state, result } = props;
  const own = state.accountSid.set && state.authToken.set;
  return (
    <Card>
      <Form method="post" data-testid="sms-provider-form">
        <input type="hidden" name="intent" value="sms" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("sending.sms.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("sending.sms.help")}
          </Text>
          <ResultBanner t={t} result={result} />
          <Text as="p" fontWeight="semibold">
            {own ? t("sending.sms.own") : t("sending.sms.default")}
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <SecretField
                t={t}
                name="accountSid"
                label={t("sending.sms.accountSid")}
                helpText={storedHelp(t, state.accountSid)}
                result={result}
              />
              <SecretField
                t={t}
                name="authToken"
                label={t("sending.sms.authToken")}
                helpText={storedHelp(t, state.authToken)}
                result={result}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <Field
                t={t}
                name="fromNumber"
                type="tel"
                label={t("sending.sms.fromNumber")}
                helpText={t("sending.sms.fromNumberHelp")}
                initial={state.fromNumber}
                result={result}
              />
              <Field
                t={t}
                name="messagingServiceSid"
                label={t("sending.sms.messagingServiceSid")}
                initial={state.messagingServiceSid}
                result={result}
              />
            </FormLayout.Group>
          </FormLayout>
          <div>
            <SaveButton t={t} />
          </div>
        </BlockStack>
      </Form>
      {own && (
        <Box paddingBlockStart="200">
          <ClearForm intent="sms" label={t("sending.sms.clear")} />
        </Box>
      )}
    </Card>
  );
}
