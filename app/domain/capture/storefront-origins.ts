import { shopLinkHosts, type ShopDomains } from "../messages/shop-links";

// Which browser origins may post a shop's storefront events. The app's Web Pixel runs
// in Shopify's strict sandbox: a web worker started from the storefront's own domain
// (online store, and checkout, which Shopify serves on the shop's domain; older shops'
// checkout on checkout.shopify.com), so its fetch carries that origin, and the
// sendBeacon fallback is sent by the page itself, same origin. A request without an
// Origin header is not from a browser page, and "null" (a sandboxed iframe, a data:
// URL) can come from any site on the web: neither is a storefront.

/** `https://<host>` for each of the shop's domains and Shopify's checkout. */
export function storefrontOrigins(shop: ShopDomains): ReadonlySet<string> {
  return new Set([...shopLinkHosts(shop)].map((host) => `https://${host}`));
}

export type OriginVerdict = { ok: true } | { ok: false; reason: "missing_origin" | "opaque_origin" | "foreign_origin" };

/** One set lookup: origins are compared as the browser serialises them (lower case, no path). */
export function judgeStorefrontOrigin(
  origin: string | null,
  allowed: ReadonlySet<string>,
  extra?: (origin: string) => boolean,
): OriginVerdict {
  if (origin === null || origin === "") return { ok: false, reason: "missing_origin" };
  if (origin === "null") return { ok: false, reason: "opaque_origin" };
  const o = origin.toLowerCase();
  return allowed.has(o) || extra?.(o) ? { ok: true } : { ok: false, reason: "foreign_origin" };
}
