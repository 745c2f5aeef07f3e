import { FormLayout, TextField } from "@shopify/polaris";
import type { z } from "zod";
import { isMessageKey, type MessageKey, type Translate } from "~/i18n";

export interface RampText {
  firstDay: string;
  growth: string;
  target: string;
}

const FIELDS: { name: keyof RampText; label: MessageKey; help: MessageKey; inputMode: "numeric" | "decimal" }[] = [
  { name: "firstDay", label: "warmupPlan.firstDay", help: "warmupPlan.firstDayHelp", inputMode: "numeric" },
  { name: "growth", label: "warmupPlan.growth", help: "warmupPlan.growthHelp", inputMode: "decimal" },
  { name: "target", label: "warmupPlan.target", help: "warmupPlan.targetHelp", inputMode: "numeric" },
];

/**
 * The merchant's own ramp: day 1, growth, target. Errors sit under their field: the
 * schema's answer to what is typed (the same one the server gives on save), else the
 * server's.
 */
export function WarmupRampFields({
  t,
  text,
  onChange,
  typed,
  serverErrors,
}: {
  t: Translate;
  text: RampText;
  onChange: (next: RampText) => void;
  typed: z.ZodSafeParseResult<unknown> | null;
  serverErrors: Record<string, string>;
}) {
  const live: Record<string, string> = {};
  if (typed && !typed.success) for (const issue of typed.error.issues) live[String(issue.path[0])] ??= issue.message;
  const errorOf = (name: string) => {
    const key = live[name] ?? serverErrors[name];
    return key ? (isMessageKey(key) ? t(key) : key) : undefined;
  };
  return (
    <FormLayout.Group>
      {FIELDS.map((f) => (
        <TextField
          key={f.name}
          label={t(f.label)}
          name={f.name}
          id={`warmup-${f.name}`}
          inputMode={f.inputMode}
          value={text[f.name]}
          onChange={(v) => onChange({ ...text, [f.name]: v })}
          autoComplete="off"
          helpText={t(f.help)}
          error={errorOf(f.name)}
        />
      ))}
    </FormLayout.Group>
  );
}
