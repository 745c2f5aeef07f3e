import { Prisma } from "@prisma/client";
import { DeletePayload, ProductPayload } from "~/domain/capture/shopify-payloads";
import type { Tx } from "../../profiles/identity.server";
import { parsePayload } from "./parse";
import type { TopicContext } from "./types";

export interface ProductRecord {
  shopifyProductId: bigint;
  title: string;
  handle: string;
  status: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  imageUrl: string | null;
  prices: string[];
  variants: { id: string; title: string; price: string; sku: string | null }[];
  shopifyUpdatedAt: Date;
}

/** Newest version wins; used by webhooks and by the install-time backfill alike. */
export async function upsertProduct(tx: Tx, shopId: string, p: ProductRecord): Promise<boolean> {
  const existing = await tx.product.findUnique({
    where: { shopId_shopifyProductId: { shopId, shopifyProductId: p.shopifyProductId } },
    select: { shopifyUpdatedAt: true },
  });
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > p.shopifyUpdatedAt) return false;
  const prices = p.prices.map(Number).filter(Number.isFinite);
  const data = {
    title: p.title,
    handle: p.handle,
    status: p.status.toLowerCase(),
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags,
    imageUrl: p.imageUrl,
    priceMin: prices.length ? new Prisma.Decimal(Math.min(...prices).toFixed(2)) : null,
    priceMax: prices.length ? new Prisma.Decimal(Math.max(...prices).toFixed(2)) : null,
    variants: p.variants,
    shopifyUpdatedAt: p.shopifyUpdatedAt,
    deletedAt: null,
  };
  await tx.product.upsert({
    where: { shopId_shopifyProductId: { shopId, shopifyProductId: p.shopifyProductId } },
    create: { shopId, shopifyProductId: p.shopifyProductId, ...data },
    update: data,
  });
  return true;
}

/** products/create, products/update. */
export async function handleProduct({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const p = parsePayload(ProductPayload, payload);
  await upsertProduct(tx, shop.id, {
    shopifyProductId: p.id,
    title: p.title,
    handle: p.handle,
    status: p.status,
    vendor: p.vendor ?? null,
    productType: p.product_type ?? null,
    tags: p.tags,
    imageUrl: p.image?.src ?? p.images[0]?.src ?? null,
    prices: p.variants.map((v) => v.price),
    variants: p.variants.map((v) => ({ id: String(v.id), title: v.title, price: v.price, sku: v.sku ?? null })),
    shopifyUpdatedAt: p.updated_at ?? at,
  });
}

/** products/delete: kept (orders and reports refer to it) but never recommended again. */
export async function handleProductDelete({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const { id } = parsePayload(DeletePayload, payload);
  await tx.product.upsert({
    where: { shopId_shopifyProductId: { shopId: shop.id, shopifyProductId: id } },
    create: {
      shopId: shop.id,
      shopifyProductId: id,
      title: "(deleted)",
      handle: `deleted-${id}`,
      status: "archived",
      deletedAt: at,
      shopifyUpdatedAt: at,
    },
    update: { deletedAt: at, status: "archived", shopifyUpdatedAt: at },
  });
}
