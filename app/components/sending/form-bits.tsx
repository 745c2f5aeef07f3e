import { Banner, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { isMessageKey, type Translate } from "~/i18n";
import type { SendingActionData } from "~/routes/app.settings_.sending";

export type Result = SendingActionData | undefined;

/** A labelled text field whose error (a message key from the action) sits under it. */
export function Field(props: {
  t: Translate;
  name: string;
  label: string;
  initial?: string;
  result: Result;
  helpText?: string;
  type?: "text" | "email" | "password" | "tel";
  autoComplete?: string;
  /** Cleared after a successful save (secrets are never sent back). */
  clearOnSave?: boolean;
}) {
  const [value, setValue] = useState(props.initial ?? "");
  const saved = props.result?.ok === true;
  useEffect(() => {
    if (saved && props.clearOnSave) setValue("");
  }, [saved, props.clearOnSave, props.result]);
  const errors = props.result && !props.result.ok && "errors" in props.result ? props.result.errors : {};
  const error = errors[props.name];
  return (
    <TextField
      label={props.label}
      name={props.name}
      value={value}
      onChange={setValue}
      type={props.type ?? "text"}
      autoComplete={props.autoComplete ?? "off"}
      helpText={props.helpText}
      error={error ? (isMessageKey(error) ? props.t(error) : error) : undefined}
    />
  );
}

/** Saved / not saved, for the card the action answered. */
export function ResultBanner({ t, result }: { t: Translate; result: Result }) {
  if (!result) return null;
  if (result.ok) return <Banner tone="success">{t("sending.saved")}</Banner>;
  if ("error" in result && result.error === "secretsKeyMissing") return <Banner tone="critical">{t("sending.secretsKeyMissing")}</Banner>;
  return <Banner tone="critical">{t("sending.failed")}</Banner>;
}
