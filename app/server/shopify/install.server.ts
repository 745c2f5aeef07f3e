import { db } from "../db/client.server";
import { now } from "../clock.server";
import { log } from "../log.server";
import { adminGraphql, SHOP_INFO_QUERY, type ShopInfo } from "./admin-graphql.server";
import { refreshShopDomains } from "./shop-domains.server";

/**
 * After OAuth or token exchange: the shop row exists, is marked installed, and carries
 * the time zone, currency and postal address that quiet hours, reports and email
 * footers need. Safe to call on every authentication (idempotent).
 */
export async function onShopInstalled(domain: string, accessToken: string, scopes: string | null) {
  const info = await adminGraphql(
    domain,
    accessToken,
  )<ShopInfo>(SHOP_INFO_QUERY).catch((err: unknown) => {
    log.warn("shop info fetch failed", { shop: domain, err: String(err) });
    return null;
  });
  const s = info?.shop;
  const fromShopify = s
    ? {
        name: s.name,
        currency: s.currencyCode,
        timezone: s.ianaTimezone,
        primaryDomain: s.primaryDomain?.host ?? null,
        postalAddress: s.billingAddress ?? undefined,
      }
    : {};
  const at = now();
  const shop = await db().shop.upsert({
    where: { domain },
    create: { domain, name: s?.name ?? domain, scopes, installedAt: at, ...fromShopify },
    update: { installState: "installed", uninstalledAt: null, scopes, ...fromShopify },
  });
  await db().auditLog.create({
    data: { shopId: shop.id, actor: "shopify", action: "app.authenticated", details: { scopes }, at },
  });
  if (await refreshShopDomains(shop, accessToken)) return db().shop.findUniqueOrThrow({ where: { id: shop.id } });
  return shop;
}
