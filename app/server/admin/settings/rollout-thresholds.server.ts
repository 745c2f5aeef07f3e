// The settings page's rollout section: the shop's go/no-go thresholds, typed in
// percent (points over the previous version's rate; for clicks, the share of its rate
// to keep) and stored as fractions in Shop.settings.rolloutThresholds.
import { z } from "zod";
import { CRITERION_KEYS, inThresholdBounds, type RolloutThresholds } from "~/domain/rollout";
import type { FieldErrors, Parsed } from "./forms.server";

/** "2", "0.3" or "0,3" (the Polish decimal comma): percent with at most two decimals, as a fraction. */
const percentField = z
  .string()
  .trim()
  .transform((v) => v.replace(",", ".").replace(/\s*%$/, ""))
  .pipe(z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, "rolloutThresholds.error.number"))
  .transform((v) => Math.round(Number(v) * 100) / 10_000);

export function parseRolloutThresholds(form: FormData): Parsed<RolloutThresholds> {
  const errors: FieldErrors = {};
  const out: Partial<RolloutThresholds> = {};
  for (const key of CRITERION_KEYS) {
    const raw = form.get(key);
    const r = percentField.safeParse(typeof raw === "string" ? raw : "");
    if (!r.success) errors[key] = r.error.issues[0]?.message ?? "rolloutThresholds.error.number";
    else if (!inThresholdBounds(key, r.data)) errors[key] = "rolloutThresholds.error.range";
    else out[key] = r.data;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: out as RolloutThresholds };
}
