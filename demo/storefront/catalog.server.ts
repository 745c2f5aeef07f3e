// What the storefront simulator sells: the demo shop's Product rows, as a theme sees them.
import { db } from "~/server/db/client.server";
import { DEMO_PRODUCTS, DEMO_SHOP } from "../seed/demo-shop";
import type { StorefrontStrings } from "./i18n.server";

export interface StorefrontProduct {
  /** Shopify product id (numeric string, as in pixel events and Liquid's product.id). */
  id: string;
  variantId: string;
  variantTitle: string;
  sku: string | null;
  title: string;
  handle: string;
  type: string;
  vendor: string;
  /** Decimal string, e.g. "54.00". */
  price: string;
  imageUrl: string | null;
}

export interface StorefrontShop {
  domain: string;
  name: string;
  /** The name without the "(demo)" suffix, for the logo. */
  brand: string;
  currency: string;
  locale: string;
  countryCode: string;
  address: string;
}

export interface Storefront {
  shop: StorefrontShop;
  products: StorefrontProduct[];
}

export const COLLECTION_HANDLES = ["all", "coffee", "equipment", "merch", "gift"] as const;
export type CollectionHandle = (typeof COLLECTION_HANDLES)[number];

export function isCollectionHandle(value: string | null): value is CollectionHandle {
  return (COLLECTION_HANDLES as readonly string[]).includes(value ?? "");
}

/** Stable, Shopify-looking numeric collection ids. */
export function collectionId(handle: CollectionHandle): string {
  return String(480_000_000_000 + COLLECTION_HANDLES.indexOf(handle) + 1);
}

export function collectionTitle(handle: CollectionHandle, t: StorefrontStrings): string {
  switch (handle) {
    case "coffee":
      return t.collectionCoffee;
    case "equipment":
      return t.collectionEquipment;
    case "merch":
      return t.collectionMerch;
    case "gift":
      return t.collectionGift;
    default:
      return t.collectionAll;
  }
}

export function productsIn(products: StorefrontProduct[], handle: CollectionHandle): StorefrontProduct[] {
  return handle === "all" ? products : products.filter((p) => p.type === handle);
}

/** Case- and accent-insensitive match on title, type and handle, like a basic theme search. */
export function searchProducts(products: StorefrontProduct[], query: string): StorefrontProduct[] {
  const fold = (s: string) =>
    s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/ł/g, "l")
      .toLowerCase();
  const terms = fold(query).split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [];
  return products.filter((p) => {
    const haystack = fold(`${p.title} ${p.type} ${p.handle}`);
    return terms.every((term) => haystack.includes(term));
  });
}

interface VariantJson {
  id?: number | string;
  title?: string;
  price?: string | number;
  sku?: string | null;
}

/** Loads the demo shop and its active products; null before the demo shop is seeded. */
export async function loadStorefront(): Promise<Storefront | null> {
  const shop = await db().shop.findUnique({ where: { domain: DEMO_SHOP.domain } });
  if (!shop) return null;
  const rows = await db().product.findMany({
    where: { shopId: shop.id, status: "active", deletedAt: null },
    orderBy: { shopifyProductId: "asc" },
  });
  const brand = shop.name.replace(/\s*\(demo\)\s*$/i, "");
  const address = shop.postalAddress as { address1?: string; zip?: string; city?: string } | null;
  return {
    shop: {
      domain: shop.domain,
      name: shop.name,
      brand,
      currency: shop.currency,
      locale: shop.locale,
      countryCode: DEMO_SHOP.billingAddress.countryCodeV2,
      address: address ? [address.address1, [address.zip, address.city].filter(Boolean).join(" ")].filter(Boolean).join(", ") : "",
    },
    products: rows.map((row) => {
      const variants = Array.isArray(row.variants) ? (row.variants as VariantJson[]) : [];
      const first = variants[0];
      const price = first?.price !== undefined ? Number(first.price).toFixed(2) : (row.priceMin?.toFixed(2) ?? "0.00");
      return {
        id: row.shopifyProductId.toString(),
        variantId: first?.id !== undefined ? String(first.id) : row.shopifyProductId.toString(),
        variantTitle: first?.title ?? "Default Title",
        sku: first?.sku ?? null,
        title: row.title,
        handle: row.handle,
        type: row.productType ?? "",
        vendor: row.vendor ?? brand,
        price,
        imageUrl: row.imageUrl,
      };
    }),
  };
}

/** The demo catalogue's colour for a handle (the SVG product images use it). */
export function demoProductColor(handle: string): string | undefined {
  return DEMO_PRODUCTS.find((p) => p.handle === handle)?.color;
}
