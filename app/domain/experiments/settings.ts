import { z } from "zod";

export const EXPERIMENT_METRICS = ["click_rate", "conversion_rate", "revenue_per_recipient"] as const;
export type ExperimentMetricName = (typeof EXPERIMENT_METRICS)[number];

/** What decides an experiment: the metric and the winner rule's thresholds. */
export interface ExperimentSettings {
  metric: ExperimentMetricName;
  /** Recipients every variant needs before a winner can be declared. */
  minSample: number;
  /** P(the winner beats every other variant) needed. */
  minProbability: number;
  /** Days the test runs at least (weekday effects even out over a week). */
  minDays: number;
  /** Days after which a test without a winner ends and the control stays. */
  maxDays: number;
}

export const EXPERIMENT_DEFAULTS: ExperimentSettings = {
  metric: "conversion_rate",
  minSample: 500,
  minProbability: 0.9,
  minDays: 7,
  maxDays: 42,
};

/** A change of settings, as the merchant sends it: any subset of the fields. */
export const ExperimentSettingsChange = z
  .strictObject({
    metric: z.enum(EXPERIMENT_METRICS),
    minSample: z.number().int().min(30, "at least 30 recipients per variant").max(10_000_000),
    minProbability: z.number().min(0.5, "at least 50 %").max(0.999, "at most 99.9 %"),
    minDays: z.number().int().min(0).max(365),
    maxDays: z.number().int().min(1).max(365),
  })
  .partial();
export type ExperimentSettingsChange = z.infer<typeof ExperimentSettingsChange>;

/** The settings after a change, checked as a whole (the maximum duration cannot undercut the minimum). */
export function applySettingsChange(
  current: ExperimentSettings,
  change: unknown,
): { ok: true; settings: ExperimentSettings } | { ok: false; errors: string[] } {
  const parsed = ExperimentSettingsChange.safeParse(change);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join(".") || "settings"}: ${i.message}`) };
  const settings = { ...current, ...parsed.data };
  if (settings.maxDays < settings.minDays) return { ok: false, errors: ["maxDays: cannot be shorter than minDays"] };
  return { ok: true, settings };
}

/** Shop-level defaults in Shop.settings.experiments (anything missing or invalid: the built-in defaults). */
export function shopExperimentDefaults(shopSettings: unknown): ExperimentSettings {
  const raw = (shopSettings as { experiments?: unknown } | null)?.experiments;
  const r = applySettingsChange(EXPERIMENT_DEFAULTS, raw ?? {});
  return r.ok ? r.settings : EXPERIMENT_DEFAULTS;
}
