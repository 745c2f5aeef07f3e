import type { Shop } from "@prisma/client";
import { shopify } from "~/shopify.server";
import { DEMO_SHOP_DOMAIN, isDemoEnabled } from "../config.server";
import { db } from "../db/client.server";
import { now } from "../clock.server";
import { onShopInstalled } from "../shopify/install.server";
import { domainsStale, refreshShopDomains } from "../shopify/shop-domains.server";
import { resolveLocale, type Locale } from "~/i18n";

export interface AdminContext {
  shop: Shop;
  demo: boolean;
  locale: Locale;
}

function isShopifyEmbeddedRequest(request: Request): boolean {
  const url = new URL(request.url);
  return url.searchParams.has("id_token") || url.searchParams.has("shop") || request.headers.has("authorization");
}

/**
 * Who is the merchant? Inside Shopify admin: App Bridge session token, verified by the
 * library. In demo mode, a plain browser tab with no Shopify parameters is the demo
 * shop's merchant (App Bridge cannot load offline). Production never takes that path.
 */
export async function requireAdmin(request: Request): Promise<AdminContext> {
  const url = new URL(request.url);
  if (isDemoEnabled() && !isShopifyEmbeddedRequest(request)) {
    const shop = await db().shop.findUnique({ where: { domain: DEMO_SHOP_DOMAIN } });
    if (!shop) throw new Response("The demo shop is not seeded yet: start the app with `npm run demo`.", { status: 503 });
    // The staff member picks the language; the demo defaults to English for newcomers.
    return { shop, demo: true, locale: resolveLocale(url.searchParams.get("lang"), "en") };
  }
  const { session } = await shopify().authenticate.admin(request);
  const shop =
    (await db().shop.findUnique({ where: { domain: session.shop } })) ??
    (await onShopInstalled(session.shop, session.accessToken ?? "", session.scope ?? null));
  // Merchants add Markets domains over time: read them again once a day, on a visit.
  if (session.accessToken && domainsStale(shop, now())) await refreshShopDomains(shop, session.accessToken);
  return { shop, demo: false, locale: resolveLocale(url.searchParams.get("locale"), shop.locale) };
}
