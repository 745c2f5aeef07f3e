// Where a message may send a shopper: only to the shop's own storefront (its
// myshopify domain, its primary domain, its Markets domains) or Shopify's checkout. Storefront events are
// public input, so a URL that arrived with one could point anywhere; every link put
// into a message, and every redirect a message link leads to, passes through here,
// and a link that fails is replaced by the shop's home page, never followed.

export interface ShopDomains {
  domain: string;
  primaryDomain: string | null;
  /** Markets domains (Shopify's web presences, e.g. shop.de for Germany), as Shopify reported them. */
  storefrontHosts?: readonly string[];
}

/**
 * Shopify's own checkout host: older shops' recovery links (abandoned_checkout_url)
 * live there rather than on the shop's domain. Nobody but Shopify serves pages on it.
 */
export const SHOPIFY_CHECKOUT_HOSTS: readonly string[] = ["checkout.shopify.com"];

/** The hosts a message of this shop may link to. */
export function shopLinkHosts(shop: ShopDomains): ReadonlySet<string> {
  const hosts = new Set<string>([shop.domain.toLowerCase(), ...SHOPIFY_CHECKOUT_HOSTS]);
  const primary = shop.primaryDomain?.toLowerCase();
  if (primary) {
    hosts.add(primary);
    // Shops serve both spellings of their domain; Shopify redirects one to the other.
    hosts.add(primary.startsWith("www.") ? primary.slice(4) : `www.${primary}`);
  }
  for (const host of shop.storefrontHosts ?? []) hosts.add(host.toLowerCase());
  return hosts;
}

/** The storefront's home page, built from the shop's own domain. */
export function shopHomeUrl(shop: ShopDomains): string {
  return `https://${shop.primaryDomain ?? shop.domain}/`;
}

/** A catalogue product's page on the shop's own domain. */
export function shopProductUrl(shop: ShopDomains, handle: string): string {
  return `https://${shop.primaryDomain ?? shop.domain}/products/${encodeURIComponent(handle)}`;
}

/**
 * True when the URL is https, carries no credentials or port, and names one of the
 * hosts. The URL parser normalises case, punycode and dots, so `EVIL.example`,
 * `shop.com.evil.example` or `shop.com@evil.example` cannot pass as the shop.
 */
export function isShopLink(url: string, hosts: ReadonlySet<string>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === "https:" && parsed.username === "" && parsed.password === "" && parsed.port === "" && hosts.has(parsed.hostname)
  );
}

/** The link when it is the shop's, else null. */
export function shopLinkOrNull(url: unknown, hosts: ReadonlySet<string>): string | null {
  return typeof url === "string" && isShopLink(url, hosts) ? url : null;
}

/** A link policy for one shop: its hosts, and what replaces a link that fails the check. */
export interface ShopLinkPolicy {
  hosts: ReadonlySet<string>;
  home: string;
}

export function shopLinkPolicy(shop: ShopDomains): ShopLinkPolicy {
  return { hosts: shopLinkHosts(shop), home: shopHomeUrl(shop) };
}

/** The link when it is the shop's, else the shop's home page. */
export function shopLinkOrHome(url: string, policy: ShopLinkPolicy): string {
  return isShopLink(url, policy.hosts) ? url : policy.home;
}
