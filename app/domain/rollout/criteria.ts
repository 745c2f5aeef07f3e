// Go/no-go criteria of a staged rollout: the new version's entrants against the
// previous version's entrants of the same period (the same stage, so the same days,
// traffic and offers). Each criterion is a rate, a threshold against the previous
// version's rate, a minimum sample per version before it is judged, and a one-sided
// test so that one unlucky message in a small sample halts nothing.

/** What each version's entrants of a period did, counted from the raw rows. */
export interface VersionCounts {
  entered: number;
  /** Messages whose send was settled: sent or failed. */
  attempted: number;
  sent: number;
  failed: number;
  /** Messages with at least one such event. */
  bounced: number;
  complained: number;
  unsubscribed: number;
  clicked: number;
}

export const EMPTY_COUNTS: VersionCounts = {
  entered: 0,
  attempted: 0,
  sent: 0,
  failed: 0,
  bounced: 0,
  complained: 0,
  unsubscribed: 0,
  clicked: 0,
};

export type CriterionKey = "sendErrors" | "bounces" | "complaints" | "unsubscribes" | "clicks";

/** points: the new rate may exceed the previous by this much (a fraction, 0.02 = 2 points). relative: the new rate must stay at least this share of the previous. */
export type Threshold = { kind: "points"; value: number } | { kind: "relative"; value: number };

export interface CriterionRule {
  key: CriterionKey;
  rate: (c: VersionCounts) => { hits: number; of: number };
  /** Which way is worse for the new version. */
  worse: "higher" | "lower";
  threshold: Threshold;
  /** Denominator each version needs before the criterion is judged. */
  minSample: number;
}

export const CRITERIA: readonly CriterionRule[] = [
  {
    key: "sendErrors",
    rate: (c) => ({ hits: c.failed, of: c.attempted }),
    worse: "higher",
    threshold: { kind: "points", value: 0.02 },
    minSample: 20,
  },
  {
    key: "bounces",
    rate: (c) => ({ hits: c.bounced, of: c.attempted }),
    worse: "higher",
    threshold: { kind: "points", value: 0.02 },
    minSample: 20,
  },
  {
    key: "complaints",
    rate: (c) => ({ hits: c.complained, of: c.sent }),
    worse: "higher",
    threshold: { kind: "points", value: 0.003 },
    minSample: 100,
  },
  {
    key: "unsubscribes",
    rate: (c) => ({ hits: c.unsubscribed, of: c.sent }),
    worse: "higher",
    threshold: { kind: "points", value: 0.01 },
    minSample: 20,
  },
  {
    key: "clicks",
    rate: (c) => ({ hits: c.clicked, of: c.sent }),
    worse: "lower",
    threshold: { kind: "relative", value: 0.7 },
    minSample: 50,
  },
];

/** One-sided z at 95 %: a difference this many standard errors out is not noise. */
const Z_95 = 1.645;

export type CriterionState = "pass" | "breach" | "not_enough_data";

/** A criterion as measured: what the stage table shows and a halt reason keeps. */
export interface CriterionMeasure {
  /** Rates as fractions; null without a denominator. */
  newValue: number | null;
  baseValue: number | null;
  newSample: number;
  baseSample: number;
  threshold: Threshold;
  /** The rate the new version may reach (higher is worse) or must keep (lower is worse); null until the base has a rate. */
  limit: number | null;
}

export interface CriterionResult extends CriterionMeasure, Pick<CriterionRule, "key" | "worse" | "minSample"> {
  state: CriterionState;
}

function limitOf(rule: CriterionRule, base: number): number {
  const t = rule.threshold;
  if (t.kind === "points") return rule.worse === "higher" ? base + t.value : base - t.value;
  return rule.worse === "higher" ? base / t.value : base * t.value;
}

/** Whether the new version's rate is worse than the base's by more than chance (two-proportion z, pooled). */
function significantlyWorse(rule: CriterionRule, n: { hits: number; of: number }, b: { hits: number; of: number }): boolean {
  const pooled = (n.hits + b.hits) / (n.of + b.of);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n.of + 1 / b.of));
  const diff = n.hits / n.of - b.hits / b.of;
  const z = se === 0 ? (diff === 0 ? 0 : Infinity * Math.sign(diff)) : diff / se;
  return rule.worse === "higher" ? z > Z_95 : z < -Z_95;
}

export function judgeCriterion(rule: CriterionRule, fresh: VersionCounts, base: VersionCounts): CriterionResult {
  const n = rule.rate(fresh);
  const b = rule.rate(base);
  const newValue = n.of > 0 ? n.hits / n.of : null;
  const baseValue = b.of > 0 ? b.hits / b.of : null;
  const limit = baseValue === null ? null : limitOf(rule, baseValue);
  const out: Omit<CriterionResult, "state"> = {
    key: rule.key,
    newValue,
    baseValue,
    newSample: n.of,
    baseSample: b.of,
    minSample: rule.minSample,
    threshold: rule.threshold,
    worse: rule.worse,
    limit,
  };
  if (n.of < rule.minSample || b.of < rule.minSample || newValue === null || limit === null) return { ...out, state: "not_enough_data" };
  const beyond = rule.worse === "higher" ? newValue > limit : newValue < limit;
  return { ...out, state: beyond && significantlyWorse(rule, n, b) ? "breach" : "pass" };
}

export type StageVerdict = "go" | "no_go" | "waiting";

export interface StageJudgement {
  criteria: CriterionResult[];
  /** no_go: a criterion is breached; go: every criterion passes; waiting: some lack data. */
  verdict: StageVerdict;
}

export function judgeStage(fresh: VersionCounts, base: VersionCounts, rules: readonly CriterionRule[] = CRITERIA): StageJudgement {
  const criteria = rules.map((r) => judgeCriterion(r, fresh, base));
  const verdict = criteria.some((c) => c.state === "breach") ? "no_go" : criteria.every((c) => c.state === "pass") ? "go" : "waiting";
  return { criteria, verdict };
}

/** Why a rollout halted, as stored in Flow.rolloutHaltReason and the audit row. */
export interface HaltReason extends Partial<CriterionMeasure> {
  by: "check" | "merchant";
  /** Present (with the measure) when a criterion halted it. */
  stage?: number;
  criterion?: CriterionKey;
  at: string;
}

/** The first breached criterion over the stages, as a halt reason; null when nothing is breached. */
export function haltReasonOf(stages: readonly { percent: number; judgement: StageJudgement }[], at: string): HaltReason | null {
  for (const s of stages) {
    const c = s.judgement.criteria.find((x) => x.state === "breach");
    if (!c) continue;
    const { newValue, baseValue, newSample, baseSample, threshold, limit } = c;
    const measure: CriterionMeasure = { newValue, baseValue, newSample, baseSample, threshold, limit };
    return { by: "check", stage: s.percent, criterion: c.key, ...measure, at };
  }
  return null;
}
