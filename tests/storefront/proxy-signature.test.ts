import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { readEnv, shopifyCredentials } from "~/server/config.server";
import { shopifyApiClient } from "~/server/shopify/api.server";
import { appProxySignature, appProxySignatureBase, signedAppProxyQuery } from "../../demo/storefront/proxy.server";

const SECRET = shopifyCredentials(readEnv()).apiSecretKey;
const SHOP = "demo-shop.myshopify.com";

// The validator authenticate.public.appProxy(request) runs: @shopify/shopify-api's own.
const validate = (query: URLSearchParams, api = shopifyApiClient()) => api.utils.validateHmac(query, { signator: "appProxy" });

function apiWithSecret(secret: string) {
  return shopifyApi({
    apiKey: "other-key",
    apiSecretKey: secret,
    apiVersion: ApiVersion.October25,
    hostName: "localhost:3000",
    hostScheme: "http",
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
}

describe("app proxy signature (Shopify's algorithm)", () => {
  it("matches the worked example in Shopify's app proxy documentation", () => {
    // shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies (secret "hush")
    const query = new URLSearchParams(
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555",
    );
    expect(appProxySignatureBase(query)).toBe(
      "extra=1,2logged_in_customer_id=1path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555",
    );
    expect(appProxySignature(query, "hush")).toBe("4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb");
  });

  it("adds Shopify's parameters and keeps the shopper's own", () => {
    const query = signedAppProxyQuery(new URLSearchParams("product_id=8000000001&limit=4"), {
      shop: SHOP,
      secret: SECRET,
      timestamp: 1_700_000_000,
    });
    expect([...query.keys()]).toEqual(["product_id", "limit", "shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]);
    expect(Object.fromEntries(query)).toMatchObject({
      product_id: "8000000001",
      limit: "4",
      shop: SHOP,
      logged_in_customer_id: "",
      path_prefix: "/apps/flowmate",
      timestamp: "1700000000",
    });
    expect(query.get("signature")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is accepted by @shopify/shopify-api's validator, repeated keys included", async () => {
    const query = signedAppProxyQuery(new URLSearchParams("product_id=8000000001&tag=a&tag=b"), { shop: SHOP, secret: SECRET });
    await expect(validate(query)).resolves.toBe(true);
    // ...also after a round trip through a URL, as the /proxy route receives it.
    const url = new URL(`http://127.0.0.1:3000/proxy/recommendations?${query}`);
    await expect(validate(url.searchParams)).resolves.toBe(true);
  });

  it("is refused once a parameter is changed, added or removed", async () => {
    const signed = signedAppProxyQuery(new URLSearchParams("product_id=8000000001"), { shop: SHOP, secret: SECRET });
    const changed = new URLSearchParams(signed);
    changed.set("product_id", "8000000002");
    await expect(validate(changed)).resolves.toBe(false);
    const otherShop = new URLSearchParams(signed);
    otherShop.set("shop", "evil.myshopify.com");
    await expect(validate(otherShop)).resolves.toBe(false);
    const added = new URLSearchParams(signed);
    added.append("logged_in_customer_id_x", "1");
    await expect(validate(added)).resolves.toBe(false);
    const badSignature = new URLSearchParams(signed);
    badSignature.set("signature", "0".repeat(64));
    await expect(validate(badSignature)).resolves.toBe(false);
  });

  it("is refused by an app with another secret", async () => {
    const signed = signedAppProxyQuery(new URLSearchParams(), { shop: SHOP, secret: SECRET });
    await expect(validate(signed, apiWithSecret("another-secret"))).resolves.toBe(false);
    await expect(validate(signed, apiWithSecret(SECRET))).resolves.toBe(true);
  });

  it("replaces, rather than duplicates, Shopify's parameters sent by the browser", async () => {
    const forged = new URLSearchParams("shop=evil.myshopify.com&signature=abc&timestamp=1&logged_in_customer_id=42&q=1");
    const query = signedAppProxyQuery(forged, { shop: SHOP, secret: SECRET });
    expect(query.getAll("shop")).toEqual([SHOP]);
    expect(query.getAll("logged_in_customer_id")).toEqual([""]);
    expect(query.getAll("signature")).toHaveLength(1);
    await expect(validate(query)).resolves.toBe(true);
  });

  it("carries a current timestamp (the validator allows 90 s of skew)", async () => {
    const stale = signedAppProxyQuery(new URLSearchParams(), {
      shop: SHOP,
      secret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    await expect(validate(stale)).rejects.toThrow(/tolerance/);
    const fresh = signedAppProxyQuery(new URLSearchParams(), { shop: SHOP, secret: SECRET });
    expect(Math.abs(Number(fresh.get("timestamp")) - Date.now() / 1000)).toBeLessThan(5);
  });
});
