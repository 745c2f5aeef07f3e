import { learnReorderIntervalDays, shopPurchaseCycleDays } from "~/domain/flows";
import type { RawQuery } from "../db/client.server";

/**
 * Facts the catalogue learns from the shop's own orders. The pure functions in
 * app/domain/flows decide what they mean; these queries only fetch the inputs.
 */

/** Gaps in days between consecutive orders of the same customer (the shop's purchase cycle). */
export async function shopCycleDays(q: RawQuery, shopId: string): Promise<number | null> {
  const rows = await q<{ gap: number }>(
    `SELECT EXTRACT(EPOCH FROM ("processedAt" - lag("processedAt") OVER (PARTITION BY "customerId" ORDER BY "processedAt"))) / 86400 AS gap
     FROM "Order" WHERE "shopId" = $1 AND "customerId" IS NOT NULL AND "cancelledAt" IS NULL`,
    [shopId],
  );
  return shopPurchaseCycleDays(rows.map((r) => Number(r.gap)).filter((g) => Number.isFinite(g)));
}

/** Per product: the customer's own reorder interval for it, learned from repeat purchases. */
export async function learnedIntervals(q: RawQuery, shopId: string, customerId: string, productIds: string[]): Promise<Record<string, number>> {
  if (productIds.length === 0) return {};
  const rows = await q<{ product: string; at: Date }>(
    `SELECT l."shopifyProductId"::text AS product, o."processedAt" AS at
     FROM "OrderLine" l JOIN "Order" o ON o.id = l."orderId"
     WHERE l."shopId" = $1 AND o."customerId" = $2 AND o."cancelledAt" IS NULL AND l."shopifyProductId"::text = ANY($3::text[])`,
    [shopId, customerId, productIds],
  );
  const byProduct = new Map<string, number[]>();
  for (const r of rows) byProduct.set(r.product, [...(byProduct.get(r.product) ?? []), new Date(r.at).getTime()]);
  const out: Record<string, number> = {};
  for (const [product, times] of byProduct) {
    const days = learnReorderIntervalDays(times);
    if (days !== null) out[product] = days;
  }
  return out;
}
