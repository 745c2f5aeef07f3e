import { db } from "../db/client.server";
import { claimCatalogBackfill } from "../db/sql/shops.server";
import { now } from "../clock.server";
import { isInfrastructureFailure } from "../worker/failure-text.server";
import { recordItemFailure } from "../worker/quarantine.server";
import { log } from "../log.server";
import { upsertProduct } from "../ingestion/topics/products.server";
import { adminGraphql } from "./admin-graphql.server";

const PAGE_SIZE = 100;
const LEASE_MS = 5 * 60_000;

const PRODUCTS_QUERY = `#graphql
query CatalogBackfill($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    nodes {
      legacyResourceId title handle status vendor productType tags updatedAt
      featuredImage { url }
      variants(first: 100) { nodes { legacyResourceId title price sku } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface ProductsPage {
  products: {
    nodes: {
      legacyResourceId: string;
      title: string;
      handle: string;
      status: string;
      vendor: string;
      productType: string;
      tags: string[];
      updatedAt: string;
      featuredImage: { url: string } | null;
      variants: { nodes: { legacyResourceId: string; title: string; price: string; sku: string | null }[] };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/**
 * Copies the shop's catalogue once after install, page by page. Each page commits
 * with the cursor that follows it, so a crash resumes where it stopped; the lease on
 * the shop row keeps two workers from doing it twice. Product webhooks keep it
 * current afterwards (and win over the backfill when newer: upsertProduct compares
 * Shopify's updatedAt).
 */
export async function backfillNextCatalog(workerId: string): Promise<{ shop: string; products: number } | null> {
  const at = now();
  const shop = await claimCatalogBackfill(db(), at, new Date(at.getTime() + LEASE_MS));
  if (!shop) return null;
  try {
    return await backfill(workerId, shop);
  } catch (err) {
    // The lease keeps the shop from being retried before it expires; a shop whose
    // backfill fails the same way twice is set aside (the claim skips it), so the
    // other shops' backfills go on.
    if (isInfrastructureFailure(err)) throw err;
    await recordItemFailure({ kind: "catalog-backfill", itemId: shop.id, shopId: shop.id }, err);
    return { shop: shop.domain, products: 0 };
  }
}

async function backfill(workerId: string, shop: { id: string; domain: string; catalogSyncCursor: string | null }) {
  const session = await db().session.findFirst({ where: { shop: shop.domain, isOnline: false } });
  if (!session) {
    log.warn("catalog backfill waits for an offline session", { shop: shop.domain, worker: workerId });
    return { shop: shop.domain, products: 0 };
  }
  const gql = adminGraphql(shop.domain, session.accessToken);
  let cursor = shop.catalogSyncCursor;
  let total = 0;
  for (;;) {
    const page = await gql<ProductsPage>(PRODUCTS_QUERY, { first: PAGE_SIZE, after: cursor });
    const { nodes, pageInfo } = page.products;
    await db().$transaction(async (tx) => {
      for (const p of nodes) {
        await upsertProduct(tx, shop.id, {
          shopifyProductId: BigInt(p.legacyResourceId),
          title: p.title,
          handle: p.handle,
          status: p.status,
          vendor: p.vendor || null,
          productType: p.productType || null,
          tags: p.tags,
          imageUrl: p.featuredImage?.url ?? null,
          prices: p.variants.nodes.map((v) => v.price),
          variants: p.variants.nodes.map((v) => ({ id: v.legacyResourceId, title: v.title, price: v.price, sku: v.sku })),
          shopifyUpdatedAt: new Date(p.updatedAt),
        });
      }
      await tx.shop.update({
        where: { id: shop.id },
        data: {
          catalogSyncCursor: pageInfo.endCursor,
          catalogSyncedAt: pageInfo.hasNextPage ? null : now(),
          catalogSyncLeaseUntil: new Date(now().getTime() + LEASE_MS),
        },
      });
    });
    total += nodes.length;
    cursor = pageInfo.endCursor;
    if (!pageInfo.hasNextPage) break;
  }
  log.info("catalog backfilled", { shop: shop.domain, products: total });
  return { shop: shop.domain, products: total };
}
