import { outsideDemo } from "../support/demo-mode";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loader } from "../../demo/routes/storefront";
import { DEMO_PRODUCTS } from "../../demo/seed/demo-shop";
import { seedDemoShop } from "../../demo/seed/seed-demo-shop.server";
import { useTestDatabase } from "../support/db";
import { callRoute } from "../support/http";

useTestDatabase();
beforeAll(async () => {
  await seedDemoShop();
});

const get = async (query = "") => {
  const res = await callRoute(loader, new Request(`http://localhost:3100/dev/storefront${query}`));
  return { res, html: await res.text() };
};

/** The data-* attribute names of the element with this marker, in a chunk of HTML or Liquid. */
function dataAttributes(markup: string, marker: string): string[] {
  const tag = (markup.match(/<div\b[^>]*>/g) ?? []).find((t) => t.includes(marker));
  if (!tag) throw new Error(`no <div> with ${marker}`);
  return [...tag.matchAll(/\s(data-[a-z-]+)/g)].map((m) => m[1]!).sort();
}

describe("/dev/storefront", () => {
  it("renders the home page with the demo shop's products from the database", async () => {
    const { res, html } = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Kawa &#38; Co.");
    for (const p of DEMO_PRODUCTS.slice(0, 8)) expect(html).toContain(`?product=${p.handle}`);
    expect(html).toContain(`src="/dev/storefront/image/${DEMO_PRODUCTS[0]!.handle}.svg"`);
    expect(html).toContain("54,00\u00a0zł");
  });

  it("loads the real pixel bundle after the runtime, and the real widget assets", async () => {
    const { html } = await get();
    const runtime = html.indexOf('<script src="/dev/assets/storefront/pixel-runtime.js"></script>');
    expect(runtime).toBeGreaterThan(html.indexOf('<script type="application/json" id="flowmate-pixel-runtime-config">'));
    expect(html.indexOf('<script src="/dev/assets/storefront/storefront.js"></script>')).toBeGreaterThan(
      html.indexOf('<script type="application/json" id="flowmate-storefront-config">'),
    );
    expect(html).toContain('"endpoint":"http://localhost:3100/api/pixel/events"');
    expect(html).toContain('"myshopifyDomain":"demo-shop.myshopify.com"');
    expect(html.indexOf('<script src="/dev/assets/web-pixel/main.js"></script>')).toBeGreaterThan(runtime);
    expect(html).toContain('<script src="/dev/assets/theme-widgets/flowmate-widgets.js" defer></script>');
    expect(html).toContain('<link rel="stylesheet" href="/dev/assets/theme-widgets/flowmate-widgets.css">');
    expect(html).toContain("data-debug");
  });

  it("renders the signup popup mount exactly as the app embed block does", async () => {
    const { html } = await get("?lang=pl");
    const liquid = fs.readFileSync(path.resolve("extensions/theme-widgets/blocks/signup-popup.liquid"), "utf8");
    expect(dataAttributes(html, 'id="flowmate-signup"')).toEqual(dataAttributes(liquid, 'id="flowmate-signup"'));
    expect(html).toMatch(/id="flowmate-signup"[^>]*data-shop="demo-shop\.myshopify\.com"/);
    expect(html).toMatch(/id="flowmate-signup"[^>]*data-locale="pl"/);
    expect(html).toMatch(/id="flowmate-signup"[^>]*data-proxy="\/apps\/flowmate"/);
    expect(html).toMatch(/id="flowmate-signup"[^>]*style="--fm-accent: #6f4e37; --fm-on-accent: #ffffff;"/);
  });

  it("renders a product page", async () => {
    const product = DEMO_PRODUCTS[9]!;
    const { res, html } = await get(`?product=${product.handle}`);
    expect(res.status).toBe(200);
    expect(html).toContain(`<h1>${product.title}</h1>`);
    expect(html).toContain("45,00\u00a0zł");
    expect(html).toContain(`"productHandle":"${product.handle}"`);
    // Recommendations are not built yet: the simulator mounts no block for them.
    expect(html).not.toContain("data-flowmate-recommendations");
  });

  it("speaks Polish with ?lang=pl and keeps the language in its links", async () => {
    const { html } = await get(`?product=${DEMO_PRODUCTS[0]!.handle}&lang=pl`);
    expect(html).toContain('<html lang="pl">');
    expect(html).toContain("Dodaj do koszyka");
    expect(html).toContain("Darmowa dostawa");
    expect(html).not.toContain("Add to cart");
    expect(html).toContain("?view=cart&#38;lang=pl");
    // The switch back to English stays on the same product.
    expect(html).toContain(`href="/dev/storefront?product=${DEMO_PRODUCTS[0]!.handle}" hreflang="en"`);
  });

  it("filters collections and searches", async () => {
    const coffee = await get("?collection=coffee");
    expect(coffee.html).toContain("5 products");
    expect(coffee.html).toContain('"collection":{"id":"480000000002"');
    expect(coffee.html).not.toContain("?product=gooseneck-kettle");
    const search = await get("?q=KETTLE");
    expect(search.html).toContain("?product=gooseneck-kettle");
    expect(search.html).toContain('"search":{"query":"KETTLE","handles":["gooseneck-kettle"]}');
    const none = await get("?q=%3Cscript%3E");
    expect(none.html).toContain("&#60;script&#62;");
    expect(none.html).not.toContain("<script>alert");
  });

  it("answers 404 for an unknown product, in the shop's layout", async () => {
    const { res, html } = await get("?product=nope");
    expect(res.status).toBe(404);
    expect(html).toContain("Product not found");
  });

  it("renders the cart, checkout and thank-you shells the client fills from localStorage", async () => {
    expect((await get("?view=cart")).html).toContain("data-cart-root");
    const checkout = await get("?view=checkout&lang=pl");
    expect(checkout.html).toContain("data-checkout-form");
    expect(checkout.html).toContain('name="email"');
    expect(checkout.html).toContain('name="phone"');
    expect(checkout.html).toContain('name="acceptsEmail"');
    expect(checkout.html).toContain("Przejdź do płatności");
    // Like Shopify's checkout, no theme app embeds there.
    expect(checkout.html).not.toContain('id="flowmate-signup"');
    expect((await get("?view=thank-you")).html).toContain("data-checkout-main");
  });

  it("does not exist outside the demo", async () => {
    expect(await outsideDemo(async () => (await get()).res.status)).toBe(404);
  });
});
