import { shopLinkPolicy, type ShopLinkPolicy } from "~/domain/messages/shop-links";
import { db } from "../db/client.server";

// The redirect routes (/t/c, /s) check every destination against the shop's domains
// at the moment of the click: a link signed before a fix, or a stored text, may still
// name a foreign host. A click is one lookup by primary key; a short cache keeps a
// burst of clicks on one campaign off the database. A changed primary domain is
// picked up within the TTL.
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;
type Entry = { policy: ShopLinkPolicy | null; until: number };
const g = globalThis as unknown as { __flowmateShopLinkPolicies?: Map<string, Entry> };
const cache = (g.__flowmateShopLinkPolicies ??= new Map<string, Entry>());

/** The shop's link policy, or null for a shop we do not know. */
export async function shopLinkPolicyById(shopId: string): Promise<ShopLinkPolicy | null> {
  const hit = cache.get(shopId);
  if (hit && hit.until > Date.now()) return hit.policy;
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { domain: true, primaryDomain: true, storefrontHosts: true } });
  const policy = shop ? shopLinkPolicy(shop) : null;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(shopId, { policy, until: Date.now() + TTL_MS });
  return policy;
}

export function forgetShopLinkPolicies(): void {
  cache.clear();
}
