import { CRITERIA, type CriterionKey, type CriterionRule } from "./criteria";

// The go/no-go thresholds a shop judges its rollouts by. The defaults are the
// criteria's own (CRITERIA); a shop may set each within bounds that keep the check
// meaningful: never zero (any noise would halt), never so wide it could not halt.
// Values are fractions: points for the "higher is worse" criteria (0.02 = 2 points
// over the previous version's rate), a share for clicks (0.7 = keep 70 % of it).

export type RolloutThresholds = Record<CriterionKey, number>;

export const CRITERION_KEYS: readonly CriterionKey[] = CRITERIA.map((c) => c.key);

export const DEFAULT_ROLLOUT_THRESHOLDS: Readonly<RolloutThresholds> = Object.fromEntries(
  CRITERIA.map((c) => [c.key, c.threshold.value]),
) as RolloutThresholds;

export const ROLLOUT_THRESHOLD_BOUNDS: Readonly<Record<CriterionKey, { min: number; max: number }>> = {
  sendErrors: { min: 0.001, max: 0.2 },
  bounces: { min: 0.001, max: 0.2 },
  complaints: { min: 0.0001, max: 0.05 },
  unsubscribes: { min: 0.001, max: 0.2 },
  clicks: { min: 0.1, max: 1 },
};

export const inThresholdBounds = (key: CriterionKey, value: unknown): value is number =>
  typeof value === "number" &&
  Number.isFinite(value) &&
  value >= ROLLOUT_THRESHOLD_BOUNDS[key].min &&
  value <= ROLLOUT_THRESHOLD_BOUNDS[key].max;

/** The shop's thresholds from Shop.settings.rolloutThresholds: each missing or out-of-bounds one is the default. */
export function rolloutThresholdsOf(shopSettings: unknown): RolloutThresholds {
  const raw = (shopSettings as { rolloutThresholds?: unknown } | null)?.rolloutThresholds;
  const stored = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return Object.fromEntries(
    CRITERION_KEYS.map((k) => [k, inThresholdBounds(k, stored[k]) ? stored[k] : DEFAULT_ROLLOUT_THRESHOLDS[k]]),
  ) as RolloutThresholds;
}

/** The criteria as a shop judges them: the same rates, samples and test, the shop's thresholds. */
export function criteriaWith(thresholds: RolloutThresholds): CriterionRule[] {
  return CRITERIA.map((rule) => ({ ...rule, threshold: { kind: rule.threshold.kind, value: thresholds[rule.key] } }));
}
