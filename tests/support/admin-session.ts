import { getJwt } from "@shopify/shopify-api/test-helpers";
import type { PrismaClient } from "@prisma/client";
import { DEFAULT_SCOPES, readEnv, shopifyCredentials } from "~/server/config.server";

/**
 * The shop's offline session, as the library stores it after installation: with it,
 * an App Bridge session token is all authenticate.admin needs (no token exchange).
 */
export async function storeOfflineSession(prisma: PrismaClient, shop: string): Promise<void> {
  const id = `offline_${shop}`;
  const data = {
    shop,
    state: "",
    isOnline: false,
    scope: readEnv().SCOPES ?? DEFAULT_SCOPES,
    accessToken: `shpat_test_${shop}`,
    expires: new Date(Date.now() + 30 * 86_400_000),
    refreshToken: `shprt_test_${shop}`,
    refreshTokenExpires: new Date(Date.now() + 90 * 86_400_000),
  };
  await prisma.session.upsert({ where: { id }, create: { id, ...data }, update: data });
}

/** A request from the embedded admin of `shop`: App Bridge's session token (a JWT signed with the app's secret) as Bearer. */
export async function asMerchantOf(shop: string, url: string, init: RequestInit = {}): Promise<Request> {
  const { apiKey, apiSecretKey } = shopifyCredentials(readEnv());
  // The helper takes the store name and appends .myshopify.com itself.
  const { token } = await getJwt(shop.replace(/\.myshopify\.com$/, ""), apiKey, apiSecretKey);
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return new Request(url, { ...init, headers });
}
