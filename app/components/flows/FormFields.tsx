import { Checkbox, Select, TextField } from "@shopify/polaris";
import { createContext, useContext, useState } from "react";

// Polaris fields that keep their own value and post it under `name` in the flow
// page's form (the page reads the form, not React state). A refused save's errors are
// keyed by field name (app/domain/flows/field-errors.ts): each field shows its own,
// under the input, and keeps what the merchant typed.

/** The last save's errors by form field name. */
export const FieldErrors = createContext<Record<string, string[]>>({});

function useFieldError(name: string, own: string | undefined): string | undefined {
  const errors = useContext(FieldErrors)[name];
  return own ?? (errors?.length ? errors.join(" ") : undefined);
}

export function FieldText(props: {
  name: string;
  label: string;
  initial: string;
  type?: "text" | "number";
  helpText?: string;
  error?: string;
}) {
  const [value, setValue] = useState(props.initial);
  const error = useFieldError(props.name, props.error);
  return (
    <TextField
      name={props.name}
      id={props.name}
      label={props.label}
      value={value}
      onChange={setValue}
      type={props.type ?? "text"}
      autoComplete="off"
      helpText={props.helpText}
      error={error}
    />
  );
}

export function FieldSelect(props: {
  name: string;
  label: string;
  initial: string;
  options: { label: string; value: string }[];
  onChange?: (value: string) => void;
}) {
  const [value, setValue] = useState(props.initial);
  const error = useFieldError(props.name, undefined);
  const change = (v: string) => {
    setValue(v);
    props.onChange?.(v);
  };
  return (
    <Select name={props.name} id={props.name} label={props.label} options={props.options} value={value} onChange={change} error={error} />
  );
}

export function FieldCheckbox(props: { name: string; label: string }) {
  const [checked, setChecked] = useState(false);
  return <Checkbox name={props.name} id={props.name} value="on" label={props.label} checked={checked} onChange={setChecked} />;
}
