// A synthetic A/B experiment on one send step, run day by day with the winner rule
// applied after each day exactly as the product applies it: cumulative figures per
// variant, `daysRunning` = days since the start, stop at the first winner or at maxDays.
import { evaluateExperiment, type ExperimentMetric, type VariantFigures } from "~/domain/stats";
import type { Random } from "./seeded-random";

export interface ShopTraffic {
  /** Recipients a day over all variants (the deterministic split sends each one variant). */
  recipientsPerDay: number;
  clickRate: number;
  conversionRate: number;
  /** Order value: log-normal, heavy-tailed. */
  orderMedian: number;
  orderSigma: number;
}

/** Relative lift of each variant's click and conversion rates (1 = none); the first is the control. */
export type VariantLifts = number[];

export const RULE = { minSample: 500, minProbability: 0.9, minDays: 7, maxDays: 42 } as const;

export interface ExperimentOutcome {
  winner: string | null;
  day: number;
  /** What the rule without its sequential test (gates 1–3 only) would have picked, for contrast. */
  naiveWinner: string | null;
}

export const variantKey = (i: number) => String.fromCharCode(97 + i);

/** A random shop: 80 to 1,600 recipients a day over the step (log-uniform), rates around e-mail norms. */
export function randomShop(random: Random): ShopTraffic {
  return {
    recipientsPerDay: Math.round(80 * Math.exp(random.uniform() * Math.log(20))),
    clickRate: 0.02 + random.uniform() * 0.06,
    conversionRate: 0.01 + random.uniform() * 0.03,
    orderMedian: 40 + random.uniform() * 60,
    orderSigma: 1.5,
  };
}

export function runExperiment(random: Random, shop: ShopTraffic, lifts: VariantLifts, metric: ExperimentMetric): ExperimentOutcome {
  const variants: VariantFigures[] = lifts.map((_, i) => ({
    key: variantKey(i),
    recipients: 0,
    clicks: 0,
    conversions: 0,
    revenue: { n: 0, sum: 0, sumSq: 0 },
  }));
  let naiveWinner: string | null = null;
  for (let day = 1; day <= RULE.maxDays; day++) {
    let remaining = shop.recipientsPerDay;
    variants.forEach((v, i) => {
      // An even split, recipient by recipient: binomial shares of the day's traffic.
      const share = i === variants.length - 1 ? remaining : random.binomial(remaining, 1 / (variants.length - i));
      remaining -= share;
      const lift = lifts[i]!;
      v.recipients += share;
      v.clicks += random.binomial(share, shop.clickRate * lift);
      const conversions = random.binomial(share, shop.conversionRate * lift);
      v.conversions += conversions;
      for (let k = 0; k < conversions; k++) {
        const revenue = Math.round(random.logNormal(shop.orderMedian, shop.orderSigma) * 100) / 100;
        v.revenue.n += 1;
        v.revenue.sum += revenue;
        v.revenue.sumSq += revenue * revenue;
      }
    });
    const result = evaluateExperiment({ metric, controlKey: "a", variants, daysRunning: day, ...RULE });
    const gatesOpen = day >= RULE.minDays && variants.every((v) => v.recipients >= RULE.minSample);
    const naive = result.perVariant.find((v) => v.probBest >= RULE.minProbability);
    if (!naiveWinner && gatesOpen && naive) naiveWinner = naive.key;
    if (result.concluded) return { winner: result.winner, day, naiveWinner };
  }
  throw new Error("the rule did not conclude by maxDays");
}
