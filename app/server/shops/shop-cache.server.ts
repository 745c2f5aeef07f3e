import type { Shop } from "@prisma/client";
import { db } from "../db/client.server";
import { shopStorefrontOrigins } from "../http/cors.server";

// Pixel and webhook intake look the shop up on every request; a short cache keeps
// that off the database. 30 s bounds how long an uninstall takes to be noticed by
// other processes (this process forgets at once, see forgetShop). The shop's allowed
// storefront origins are computed once per fill, so the pixel endpoint's origin check
// is a set lookup.
const TTL_MS = 30_000;
export type CachedShop = Pick<Shop, "id" | "domain" | "installState" | "primaryDomain" | "storefrontHosts" | "timezone" | "locale"> & {
  storefrontOrigins: ReadonlySet<string>;
};
type Cached = { shop: CachedShop | null; until: number };
const g = globalThis as unknown as { __flowmateShopCache?: Map<string, Cached> };
const cache = (g.__flowmateShopCache ??= new Map<string, Cached>());

/** The cached lookup when it is fresh, without a database round trip or a promise; else undefined. */
export function cachedShopByDomain(domain: string): Cached["shop"] | undefined {
  const hit = cache.get(domain);
  return hit && hit.until > Date.now() ? hit.shop : undefined;
}

export async function shopByDomain(domain: string): Promise<Cached["shop"]> {
  const hit = cachedShopByDomain(domain);
  if (hit !== undefined) return hit;
  const row = await db().shop.findUnique({
    where: { domain },
    select: { id: true, domain: true, installState: true, primaryDomain: true, storefrontHosts: true, timezone: true, locale: true },
  });
  const shop = row && { ...row, storefrontOrigins: shopStorefrontOrigins(row) };
  cache.set(domain, { shop, until: Date.now() + TTL_MS });
  return shop;
}

export function forgetShop(domain?: string): void {
  if (domain) cache.delete(domain);
  else cache.clear();
}
