import { hash53 } from "../arbitration/hash";

const TWO_POW_53 = 2 ** 53;

/**
 * The A/B draw of one customer at one step, in [0, 1): a pure function of the shop,
 * the flow's key, the step and the customer, so a customer who enters the flow again,
 * or a replayed step, lands in the same variant; keyed by the flow's key, not its
 * version, so a new version of the flow keeps everyone's assignment.
 */
export function abDraw(shopId: string, flowKey: string, stepId: string, customerId: string): number {
  return hash53(`ab:${shopId}:${flowKey}:${stepId}:${customerId}`) / TWO_POW_53;
}

/** The variant a draw in [0, 1) falls on, by weight, in the variants' order. */
export function pickWeighted<T extends { weight: number }>(variants: readonly T[], draw: number): T {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  let r = Math.min(Math.max(draw, 0), 0.999999999) * total;
  for (const v of variants) {
    if (r < v.weight) return v;
    r -= v.weight;
  }
  return variants[variants.length - 1]!;
}
