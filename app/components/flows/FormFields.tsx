import { Checkbox, Select, TextField } from "@shopify/polaris";
import { useState } from "react";

// Polaris fields that keep their own value and post it under `name` in the flow
// page's form (the page reads the form, not React state).

export function FieldText(props: {
  name: string;
  label: string;
  initial: string;
  type?: "text" | "number";
  helpText?: string;
  error?: string;
}) {
  const [value, setValue] = useState(props.initial);
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
      error={props.error}
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
  const change = (v: string) => {
    setValue(v);
    props.onChange?.(v);
  };
  return <Select name={props.name} id={props.name} label={props.label} options={props.options} value={value} onChange={change} />;
}

export function FieldCheckbox(props: { name: string; label: string }) {
  const [checked, setChecked] = useState(false);
  return <Checkbox name={props.name} id={props.name} value="on" label={props.label} checked={checked} onChange={setChecked} />;
}
