import type { Shop } from "@prisma/client";
import { HOST_NAME } from "~/domain/shared/host-name";
import { now } from "../clock.server";
import { db } from "../db/client.server";
import { log } from "../log.server";
import { forgetShopLinkPolicies } from "../shops/shop-link-policy.server";
import { forgetShop } from "../shops/shop-cache.server";
import { adminGraphql } from "./admin-graphql.server";

// A shop's storefronts: the primary domain and the Markets domains (web presences, e.g.
// shop.de for Germany). The pixel accepts events from them and messages may link to
// them. Merchants add and move domains, so the list is read again when the merchant
// opens the admin and the last reading is a day old; never because of a storefront
// request (public input must not make us call Shopify).

const REFRESH_AFTER_MS = 24 * 60 * 60_000;
/** After a failed reading, the next try waits this long (per process), so admin pages do not wait on Shopify each time. */
const RETRY_AFTER_MS = 10 * 60_000;
const MAX_HOSTS = 50;

export const SHOP_DOMAINS_QUERY = `#graphql
query ShopDomains {
  shop { primaryDomain { host } }
  webPresences(first: ${MAX_HOSTS}) { nodes { domain { host } } }
}`;

interface ShopDomainsAnswer {
  shop: { primaryDomain: { host: string } | null };
  webPresences: { nodes: { domain: { host: string } | null }[] };
}

/** Hosts as Shopify reported them, lower case, valid host names only, without duplicates of the primary. */
export function marketHosts(answer: ShopDomainsAnswer, primary: string | null): string[] {
  const hosts = new Set<string>();
  for (const node of answer.webPresences.nodes) {
    const host = node.domain?.host.toLowerCase();
    if (host && HOST_NAME.test(host) && host !== primary) hosts.add(host);
  }
  return [...hosts].sort().slice(0, MAX_HOSTS);
}

const g = globalThis as unknown as { __flowmateDomainFailures?: Map<string, number> };
const failedAt = (g.__flowmateDomainFailures ??= new Map<string, number>());

export function domainsStale(shop: Pick<Shop, "id" | "domainsRefreshedAt">, at: Date): boolean {
  const failed = failedAt.get(shop.id);
  if (failed !== undefined && at.getTime() - failed < RETRY_AFTER_MS) return false;
  return !shop.domainsRefreshedAt || at.getTime() - shop.domainsRefreshedAt.getTime() >= REFRESH_AFTER_MS;
}

/**
 * Reads the shop's domains from the Admin API and stores them. A failure (a shop that
 * has not granted read_markets yet, Shopify unreachable) keeps what is stored and is
 * tried again on the next admin visit.
 */
export async function refreshShopDomains(shop: Pick<Shop, "id" | "domain">, accessToken: string): Promise<boolean> {
  const answer = await adminGraphql(
    shop.domain,
    accessToken,
  )<ShopDomainsAnswer>(SHOP_DOMAINS_QUERY).catch((err: unknown) => {
    log.warn("shop domains fetch failed", { shop: shop.domain, err: String(err) });
    return null;
  });
  if (!answer) {
    failedAt.set(shop.id, now().getTime());
    return false;
  }
  failedAt.delete(shop.id);
  const primary = answer.shop.primaryDomain?.host.toLowerCase() ?? null;
  await db().shop.update({
    where: { id: shop.id },
    data: {
      ...(primary && HOST_NAME.test(primary) ? { primaryDomain: primary } : {}),
      storefrontHosts: marketHosts(answer, primary),
      domainsRefreshedAt: now(),
    },
  });
  // This process sees the new storefronts at once; others within their caches' TTL.
  forgetShop(shop.domain);
  forgetShopLinkPolicies();
  return true;
}
