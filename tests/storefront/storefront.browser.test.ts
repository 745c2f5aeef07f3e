// The storefront simulator as `npm run demo` serves it (separate process, production
// build, real HTTP) in a real Chromium: a shopper browses, buys, and the REAL pixel
// bundle sends every standard event to /api/pixel/events; the signup popup mounts and
// reaches the app through the app proxy emulation.
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireEvent } from "../../extensions/web-pixel/src/wire";
import { buildPixel } from "../../scripts/build-pixel";
import { startApp, type AppProcess } from "../support/app-process";
import { hasChromium, launchBrowser, screenshotPath } from "../support/browser";

const PIXEL = path.resolve("extensions/web-pixel/dist/main.js");
// The pixel batches page views for 500 ms (flow events go at once): stay on a page that long.
const BATCH_WINDOW_MS = 800;

describe.skipIf(!hasChromium)("storefront simulator in Chromium", () => {
  let app: AppProcess;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  const sent = new Map<string, WireEvent & { shop: string }>();
  const errors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(PIXEL)) await buildPixel();
    app = await startApp();
    browser = await launchBrowser();
    browser.context.on("request", (request) => {
      if (request.method() !== "POST" || !request.url().endsWith("/api/pixel/events")) return;
      const body = JSON.parse(request.postData() ?? "{}") as { shop: string; events: WireEvent[] };
      for (const event of body.events ?? []) sent.set(event.id, { ...event, shop: body.shop });
    });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function open(page: Page, query: string, stay = BATCH_WINDOW_MS) {
    await page.goto(`${app.url}/dev/storefront${query}`);
    await page.waitForTimeout(stay);
  }

  it("sends the ten standard events of a browse-to-order visit through the real pixel", { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${app.url}/dev/storefront`);
    // No signup popup in the way of this walk.
    await page.evaluate(() => localStorage.setItem("flowmate:signup:dismissedAt", String(Date.now())));

    await open(page, "?collection=coffee");
    await open(page, "?q=kettle");
    await page.goto(`${app.url}/dev/storefront?product=ethiopia-yirgacheffe-250-g`);
    await page.click("[data-qty='1']");
    await page.click("[data-product-form] button[type=submit]");
    await page.locator(".toast").waitFor();
    expect(await page.textContent("[data-cart-count]")).toBe("2");
    await page.waitForTimeout(BATCH_WINDOW_MS);

    await page.goto(`${app.url}/dev/storefront?view=cart`);
    await page.getByRole("button", { name: "Decrease quantity" }).click();
    expect(await page.textContent("[data-cart-count]")).toBe("1");
    await page.waitForTimeout(BATCH_WINDOW_MS);

    await page.goto(`${app.url}/dev/storefront?view=checkout`);
    await page.fill("#co-email", "anna.nowak@example.com");
    await page.fill("#co-phone", "512 345 678");
    await page.check("input[name=acceptsEmail]");
    await page.fill("#co-last", "Nowak");
    await page.click("[data-checkout-form] button[type=submit]");
    await page.locator("[data-pay]").waitFor({ state: "visible" });
    await page.click("[data-pay]");
    await page.waitForURL(/view=thank-you/);
    await page.getByRole("heading", { name: "Thank you!" }).waitFor();
    await expect.poll(() => [...sent.values()].some((e) => e.name === "checkout_completed"), { timeout: 10_000 }).toBe(true);
    await page.screenshot({ path: screenshotPath("storefront-e2e-thank-you.png") });

    const events = [...sent.values()].sort((a, b) => a.seq - b.seq);
    expect(new Set(events.map((e) => e.name))).toEqual(
      new Set([
        "page_viewed",
        "collection_viewed",
        "search_submitted",
        "product_viewed",
        "product_added_to_cart",
        "product_removed_from_cart",
        "cart_viewed",
        "checkout_started",
        "checkout_contact_info_submitted",
        "checkout_completed",
      ]),
    );
    expect(new Set(events.map((e) => e.shop))).toEqual(new Set(["demo-shop.myshopify.com"]));
    expect(new Set(events.map((e) => e.clientId)).size).toBe(1);
    const byName = (name: string) => events.find((e) => e.name === name)!;
    expect(byName("product_viewed").data).toMatchObject({
      productVariant: {
        id: "45000000001",
        price: { amount: 54, currencyCode: "PLN" },
        product: { id: "8000000001", title: "Ethiopia Yirgacheffe 250 g" },
      },
    });
    expect(byName("product_added_to_cart").data).toMatchObject({ cartLine: { quantity: 2, cost: { totalAmount: { amount: 108 } } } });
    expect(byName("search_submitted").data).toMatchObject({ searchResult: { query: "kettle" } });
    const completed = byName("checkout_completed");
    expect(completed.context.url).toContain("view=thank-you");
    expect(completed.data).toMatchObject({
      checkout: {
        email: "anna.nowak@example.com",
        phone: "+48512345678",
        buyerAcceptsEmailMarketing: true,
        buyerAcceptsSmsMarketing: false,
        totalPrice: { amount: 68.99, currencyCode: "PLN" },
        lineItems: [{ quantity: 1, variant: { id: "45000000001" } }],
      },
    });
    const token = (byName("checkout_started").data as { checkout: { token: string } }).checkout.token;
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const { checkout } = completed.data as { checkout: { token: string; order: { id: string } } };
    expect(checkout.token).toBe(token);
    expect(checkout.order.id).toMatch(/^\d+$/);

    // The panel lists what was published.
    await page.click(".sf-debug > details > summary");
    expect(await page.locator(".sf-debug li .name").first().textContent()).toBe("checkout_completed");
    expect(errors).toEqual([]);
    await page.close();
  });

  it(
    "mounts the real signup popup, which reaches the app through the app proxy emulation; recommendations ask for nothing",
    { timeout: 60_000 },
    async () => {
      const page = await browser.context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      const proxied: string[] = [];
      page.on("request", (request) => {
        if (new URL(request.url()).pathname.startsWith("/apps/flowmate/")) proxied.push(new URL(request.url()).pathname);
      });
      await page.goto(`${app.url}/dev/storefront`);
      // The walk above dismissed the popup for this browser; a new visitor gets it.
      await page.evaluate(() => localStorage.removeItem("flowmate:signup:dismissedAt"));
      await page.goto(`${app.url}/dev/storefront?product=ceramic-mug&lang=pl`);
      await page.locator("#flowmate-signup[data-fm-mounted]").waitFor({ state: "attached" });
      // Exit intent opens the popup before its delay.
      await page.evaluate(() =>
        document.dispatchEvent(new MouseEvent("mouseout", { bubbles: true, clientX: 400, clientY: 0, relatedTarget: null })),
      );
      await page.getByRole("dialog").waitFor({ state: "visible" });
      await page.getByLabel("Adres e-mail", { exact: true }).fill("mug.fan@example.com");
      await page.getByLabel(/informacje handlowe/).check();
      const subscribed = page.waitForResponse((res) => res.url().includes("/apps/flowmate/subscribe"));
      await page.getByRole("button", { name: "Zapisz się" }).click();
      expect((await subscribed).status()).toBe(201);
      await page.getByRole("heading", { name: "Dziękujemy za zapis!" }).waitFor(); // the demo shop has single opt-in

      // Product recommendations are coming: until then nothing asks for them or shows them.
      expect(proxied).toEqual(["/apps/flowmate/subscribe"]);
      expect(await page.locator(".fm-recs").count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
