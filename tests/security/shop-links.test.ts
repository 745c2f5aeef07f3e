import { describe, expect, it } from "vitest";
import { judgeStorefrontOrigin, storefrontOrigins } from "~/domain/capture/storefront-origins";
import { isShopLink, shopHomeUrl, shopLinkHosts, shopLinkOrHome, shopLinkPolicy, shopProductUrl } from "~/domain/messages/shop-links";

const SHOP = { domain: "kawa-co.myshopify.com", primaryDomain: "kawa.example.com" };
const hosts = shopLinkHosts(SHOP);

describe("links a message may carry", () => {
  it.each([
    "https://kawa.example.com/products/ethiopia",
    "https://www.kawa.example.com/",
    "https://KAWA.example.com/cart/1:1",
    "https://kawa-co.myshopify.com/12/checkouts/abc/recover?key=k",
    "https://checkout.shopify.com/12/checkouts/abc/recover?key=k",
  ])("the shop's own: %s", (url) => expect(isShopLink(url, hosts)).toBe(true));

  it.each([
    "https://evil.example/kawa.example.com",
    "https://kawa.example.com.evil.example/",
    "https://kawa.example.com@evil.example/",
    "https://user:pass@kawa.example.com/",
    "https://evilkawa.example.com/",
    "https://kawa.example.com:8443/",
    "http://kawa.example.com/",
    "javascript:alert(1)//kawa.example.com",
    "//kawa.example.com/",
    "not a url",
  ])("not the shop's: %s", (url) => expect(isShopLink(url, hosts)).toBe(false));

  it("a foreign link is replaced by the shop's home page, built from its primary domain", () => {
    const policy = shopLinkPolicy(SHOP);
    expect(shopLinkOrHome("https://evil.example/", policy)).toBe("https://kawa.example.com/");
    expect(shopLinkOrHome("https://kawa.example.com/a", policy)).toBe("https://kawa.example.com/a");
    expect(shopHomeUrl({ domain: "x.myshopify.com", primaryDomain: null })).toBe("https://x.myshopify.com/");
  });

  it("a product page is built on the shop's domain with its handle encoded", () => {
    expect(shopProductUrl(SHOP, "kawa/../../evil")).toBe("https://kawa.example.com/products/kawa%2F..%2F..%2Fevil");
  });

  it("a primary domain with www also allows the bare one", () => {
    expect(shopLinkHosts({ domain: "a.myshopify.com", primaryDomain: "www.a.example" })).toEqual(
      new Set(["a.myshopify.com", "www.a.example", "a.example", "checkout.shopify.com"]),
    );
  });
});

describe("storefront origins of the pixel endpoint", () => {
  const allowed = storefrontOrigins(SHOP);
  it("accepts the shop's https origins and Shopify's checkout, case-insensitively", () => {
    for (const o of [
      "https://kawa.example.com",
      "https://www.kawa.example.com",
      "https://kawa-co.myshopify.com",
      "https://checkout.shopify.com",
      "HTTPS://KAWA.EXAMPLE.COM",
    ]) {
      expect(judgeStorefrontOrigin(o, allowed), o).toEqual({ ok: true });
    }
  });
  it("refuses no origin, the opaque origin and everything else, each with its reason", () => {
    expect(judgeStorefrontOrigin(null, allowed)).toEqual({ ok: false, reason: "missing_origin" });
    expect(judgeStorefrontOrigin("", allowed)).toEqual({ ok: false, reason: "missing_origin" });
    expect(judgeStorefrontOrigin("null", allowed)).toEqual({ ok: false, reason: "opaque_origin" });
    for (const o of [
      "http://kawa.example.com",
      "https://kawa.example.com:444",
      "https://kawa.example.com.evil.example",
      "https://other.myshopify.com",
    ]) {
      expect(judgeStorefrontOrigin(o, allowed), o).toEqual({ ok: false, reason: "foreign_origin" });
    }
  });
});
