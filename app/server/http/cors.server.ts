import { judgeStorefrontOrigin, storefrontOrigins, type OriginVerdict } from "~/domain/capture/storefront-origins";
import type { ShopDomains } from "~/domain/messages/shop-links";
import { appBaseUrl, DEMO_SHOP_DOMAIN, isDemoEnabled } from "../config.server";

/**
 * The origins a shop's storefront events may come from, computed once when the shop
 * is cached (shop-cache.server.ts), so the check per request is one set lookup. The
 * demo shop, in a demo process only, also takes the app's own origin and localhost:
 * the storefront simulator runs the real pixel on the app's pages.
 */
export function shopStorefrontOrigins(shop: ShopDomains): ReadonlySet<string> {
  const origins = new Set(storefrontOrigins(shop));
  if (isDemoShop(shop)) origins.add(new URL(appBaseUrl()).origin);
  return origins;
}

function isDemoShop(shop: ShopDomains): boolean {
  return shop.domain === DEMO_SHOP_DOMAIN && isDemoEnabled();
}

const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;

export function judgeShopOrigin(origin: string | null, shop: ShopDomains & { storefrontOrigins: ReadonlySet<string> }): OriginVerdict {
  return judgeStorefrontOrigin(origin, shop.storefrontOrigins, isDemoShop(shop) ? (o) => LOCAL_ORIGIN.test(o) : undefined);
}

/** On every response to a storefront: which origin may read it. */
export function corsHeaders(origin: string | null): Record<string, string> {
  return { "access-control-allow-origin": origin ?? "*", vary: "Origin" };
}

/**
 * On the preflight (OPTIONS) only: what the browser may send, cached for a day. A
 * POST's answer does not need these, and the pixel endpoint answers thousands of
 * POSTs a second.
 */
export function corsPreflightHeaders(origin: string | null): Record<string, string> {
  return {
    ...corsHeaders(origin),
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": "content-type",
    "access-control-max-age": "86400",
  };
}
