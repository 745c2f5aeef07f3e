import { BlockStack, Text } from "@shopify/polaris";
import { isMessageKey, type Translate } from "~/i18n";

const label = (t: Translate, field: string) => {
  const key = `audit.field.${field}`;
  return isMessageKey(key) ? t(key) : field;
};

/** A value as a merchant reads it: caps as "1 per 16 h", booleans as yes/no, null as none. */
export function auditValue(t: Translate, v: unknown): string {
  if (v === null || v === undefined || v === "") return t("audit.none");
  if (typeof v === "boolean") return t(v ? "audit.yes" : "audit.no");
  if (Array.isArray(v)) {
    if (v.length === 0) return t("audit.none");
    return (v as unknown[])
      .map((x) => {
        const rule = x as { count?: unknown; windowHours?: unknown } | null;
        return rule && typeof rule === "object" && typeof rule.count === "number" && typeof rule.windowHours === "number"
          ? `${rule.count} / ${rule.windowHours} h`
          : auditValue(t, x);
      })
      .join(", ");
  }
  if (typeof v === "object")
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${label(t, k)} ${auditValue(t, x)}`)
      .join(", ");
  // The app's own words for a secret's fate ("changed", "removed") read in the merchant's language.
  if (typeof v === "string") {
    const word = `audit.value.${v}`;
    return isMessageKey(word) ? t(word) : v;
  }
  return typeof v === "number" ? String(v) : JSON.stringify(v);
}

/** Before → after per changed field when the row has them, else its other details. */
export function AuditDetails({ t, details }: { t: Translate; details: Record<string, unknown> | null }) {
  if (!details) return null;
  const before = (details.before ?? null) as Record<string, unknown> | null;
  const after = (details.after ?? null) as Record<string, unknown> | null;
  const lines: string[] = [];
  if (after && typeof after === "object") {
    for (const field of Object.keys(after))
      lines.push(t("audit.change", { field: label(t, field), before: auditValue(t, before?.[field]), after: auditValue(t, after[field]) }));
  }
  for (const [k, v] of Object.entries(details)) {
    if (k === "before" || k === "after" || v === null || typeof v === "object") continue;
    lines.push(`${label(t, k)}: ${auditValue(t, v)}`);
  }
  return (
    <BlockStack gap="050">
      {lines.map((l, i) => (
        <Text as="p" variant="bodySm" key={i}>
          {l}
        </Text>
      ))}
    </BlockStack>
  );
}
