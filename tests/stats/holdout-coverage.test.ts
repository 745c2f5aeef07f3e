// Acceptance: over many seeded synthetic shops with a 10% holdout and a planted true
// lift, the 95% intervals of holdoutResult cover the planted lift in at least 90% of runs.
// Shops vary in size (500 to 50,000 entries over the period, so the holdout has ~50 to
// ~5,000), base conversion (2% to 8%) and lift. Revenue is zero-inflated and heavy-tailed:
// an entry that converts spends a log-normal amount (median 60, σ = 1 or 1.5), and the
// flow may also change order values, so the planted revenue lift is known exactly:
//   true incremental revenue per entry = (p0 + X)·E[R]·(1 + ρ) − p0·E[R].
// Plain Welch's coverage is printed alongside, for contrast (see means.ts for why the
// holdout's revenue interval pools the holdout's variance).
import { describe, expect, it } from "vitest";
import { diffOfMeans, holdoutResult, type CohortFigures } from "~/domain/stats";
import { seededRandom, type Random } from "./support/seeded-random";

const HOLDOUT_SHARE = 0.1;
const ORDER_MEDIAN = 60;
const RUNS_PER_LIFT = 500;
// Planted lifts: X in conversion (absolute), ρ in order value; σ of the log-normal order value.
const LIFTS = [
  { conversion: 0, orderValue: 0, sigma: 1 },
  { conversion: 0.005, orderValue: 0, sigma: 1 },
  { conversion: 0.01, orderValue: 0.1, sigma: 1 },
  { conversion: 0.03, orderValue: -0.1, sigma: 1 },
  { conversion: 0.01, orderValue: 0, sigma: 1.5 },
];
type Lift = (typeof LIFTS)[number];

function cohort(random: Random, n: number, conversion: number, orderValueFactor: number, sigma: number): CohortFigures {
  const conversions = random.binomial(n, conversion);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < conversions; i++) {
    const revenue = Math.round(random.logNormal(ORDER_MEDIAN, sigma) * orderValueFactor * 100) / 100;
    sum += revenue;
    sumSq += revenue * revenue;
  }
  return { n, conversions, revenue: { n, sum, sumSq } };
}

interface Tally {
  runs: number;
  conversionCovered: number;
  revenueCovered: number;
  concluded: number;
  concludedConversionCovered: number;
  concludedRevenueCovered: number;
  plainWelchCovered: number;
}

function simulate(seed: number, lift: Lift): Tally {
  const random = seededRandom(seed);
  const tally: Tally = {
    runs: 0,
    conversionCovered: 0,
    revenueCovered: 0,
    concluded: 0,
    concludedConversionCovered: 0,
    concludedRevenueCovered: 0,
    plainWelchCovered: 0,
  };
  for (let run = 0; run < RUNS_PER_LIFT; run++) {
    const entries = Math.round(Math.exp(Math.log(500) + random.uniform() * Math.log(100)));
    const held = random.binomial(entries, HOLDOUT_SHARE);
    const base = 0.02 + random.uniform() * 0.06;
    const holdout = cohort(random, held, base, 1, lift.sigma);
    const treated = cohort(random, entries - held, base + lift.conversion, 1 + lift.orderValue, lift.sigma);
    const orderMean = ORDER_MEDIAN * Math.exp((lift.sigma * lift.sigma) / 2);
    const trueRevenueLift = (base + lift.conversion) * orderMean * (1 + lift.orderValue) - base * orderMean;
    const welch = diffOfMeans(treated.revenue, holdout.revenue);
    tally.plainWelchCovered += Number(welch.low <= trueRevenueLift && trueRevenueLift <= welch.high);
    const result = holdoutResult(treated, holdout);
    const conversionCovered = result.incrementalConversion.low <= lift.conversion && lift.conversion <= result.incrementalConversion.high;
    const revenueCovered =
      result.incrementalRevenuePerEntry.low <= trueRevenueLift && trueRevenueLift <= result.incrementalRevenuePerEntry.high;
    tally.runs += 1;
    tally.conversionCovered += Number(conversionCovered);
    tally.revenueCovered += Number(revenueCovered);
    if (result.verdict !== "too_few") {
      tally.concluded += 1;
      tally.concludedConversionCovered += Number(conversionCovered);
      tally.concludedRevenueCovered += Number(revenueCovered);
    }
  }
  return tally;
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

describe("holdout intervals cover the planted effect (simulation)", () => {
  it.each(LIFTS.map((lift, i) => [lift.conversion, lift.orderValue, lift.sigma, i] as const))(
    "conversion lift %f, order value lift %f, order value σ %f: 95% intervals cover it in ≥ 90% of shops",
    (_x, _rho, _sigma, i) => {
      const lift = LIFTS[i]!;
      const t = simulate(1000 + i, lift);
      console.log(
        `lift X=${lift.conversion}, ρ=${lift.orderValue}, σ=${lift.sigma}: ${t.runs} shops; ` +
          `conversion interval covers X in ${percent(t.conversionCovered, t.runs)}, revenue interval covers in ${percent(t.revenueCovered, t.runs)}; ` +
          `among the ${t.concluded} shops not "too few": ${percent(t.concludedConversionCovered, t.concluded)} and ${percent(t.concludedRevenueCovered, t.concluded)}; ` +
          `plain Welch would cover in ${percent(t.plainWelchCovered, t.runs)}`,
      );
      expect(t.conversionCovered / t.runs).toBeGreaterThanOrEqual(0.9);
      expect(t.revenueCovered / t.runs).toBeGreaterThanOrEqual(0.9);
    },
  );
});
