// The additive figures of the FlowDaily rollup, summed over whatever rows a report
// groups, as plain numbers (money in the shop's currency). Reports read only these
// sums: their cost depends on days × steps × variants, never on the shop's size.
import type { Prisma } from "@prisma/client";

export const FIGURE_NAMES = [
  "entered",
  "sent",
  "delivered",
  "clicked",
  "heldOut",
  "attributedOrders",
  "attributedRevenue",
  "attributedRevenueSq",
  "influencedOrders",
  "influencedRevenue",
  "converted",
  "outcomeRevenue",
  "outcomeRevenueSq",
] as const;

export type FigureName = (typeof FIGURE_NAMES)[number];
export type Figures = Record<FigureName, number>;

/** `_sum` of a Prisma groupBy / aggregate over FlowDaily: every figure. */
export const SUM_ALL = Object.fromEntries(FIGURE_NAMES.map((f) => [f, true])) as Record<FigureName, true>;

export const zeroFigures = (): Figures => Object.fromEntries(FIGURE_NAMES.map((f) => [f, 0])) as Figures;

/** Prisma's sums (numbers, Decimals, or null for no rows) as numbers. */
export function figuresOf(sum: Partial<Record<FigureName, number | Prisma.Decimal | null>> | null | undefined): Figures {
  const out = zeroFigures();
  for (const f of FIGURE_NAMES) {
    const v = sum?.[f];
    out[f] = v === null || v === undefined ? 0 : Number(v);
  }
  return out;
}

export function addFigures(a: Figures, b: Figures): Figures {
  const out = zeroFigures();
  for (const f of FIGURE_NAMES) out[f] = a[f] + b[f];
  return out;
}

/** Money sums add up cent by cent; floating point must not show 0.30000000000000004. */
export const cents = (n: number): number => Math.round(n * 100) / 100;

/** A rate, or null when there is nothing to divide by (shown as "—", exported empty). */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
