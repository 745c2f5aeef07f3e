import { learnReorderIntervalDays, shopPurchaseCycleDays } from "~/domain/flows";
import type { RawQuery } from "../db/client.server";
import { productPurchases, reorderGapsDays } from "../db/sql/orders.server";

/**
 * Facts the catalogue learns from the shop's own orders. The pure functions in
 * app/domain/flows decide what they mean; these queries only fetch the inputs.
 */

/** Gaps in days between consecutive orders of the same customer (the shop's purchase cycle). */
export async function shopCycleDays(q: RawQuery, shopId: string): Promise<number | null> {
  const gaps = await reorderGapsDays(q, shopId);
  return shopPurchaseCycleDays(gaps.map(Number).filter((g) => Number.isFinite(g)));
}

/** Per product: the customer's own reorder interval for it, learned from repeat purchases. */
export async function learnedIntervals(
  q: RawQuery,
  shopId: string,
  customerId: string,
  productIds: string[],
): Promise<Record<string, number>> {
  if (productIds.length === 0) return {};
  const rows = await productPurchases(q, shopId, customerId, productIds);
  const byProduct = new Map<string, number[]>();
  for (const r of rows) byProduct.set(r.product, [...(byProduct.get(r.product) ?? []), new Date(r.at).getTime()]);
  const out: Record<string, number> = {};
  for (const [product, times] of byProduct) {
    const days = learnReorderIntervalDays(times);
    if (days !== null) out[product] = days;
  }
  return out;
}
