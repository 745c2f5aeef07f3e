import type { RawQuery } from "./clients.server";

// Order facts the catalogue learns from (app/server/journeys/learned.server.ts).

/**
 * Days between each of the shop's orders and the same customer's previous one, as the
 * driver returns them (numeric: a number or its text; null for a first order).
 */
export async function reorderGapsDays(q: RawQuery, shopId: string): Promise<unknown[]> {
  const rows = await q<{ gap: unknown }>(
    `SELECT EXTRACT(EPOCH FROM ("processedAt" - lag("processedAt") OVER (PARTITION BY "customerId" ORDER BY "processedAt"))) / 86400 AS gap
     FROM "Order" WHERE "shopId" = $1 AND "customerId" IS NOT NULL AND "cancelledAt" IS NULL`,
    [shopId],
  );
  return rows.map((r) => r.gap);
}

/** When the customer bought each of these products (Shopify product ids), one row per order line. */
export function productPurchases(
  q: RawQuery,
  shopId: string,
  customerId: string,
  productIds: string[],
): Promise<{ product: string; at: Date }[]> {
  return q<{ product: string; at: Date }>(
    `SELECT l."shopifyProductId"::text AS product, o."processedAt" AS at
     FROM "OrderLine" l JOIN "Order" o ON o.id = l."orderId"
     WHERE l."shopId" = $1 AND o."customerId" = $2 AND o."cancelledAt" IS NULL AND l."shopifyProductId"::text = ANY($3::text[])`,
    [shopId, customerId, productIds],
  );
}
