// Renders two catalogue emails as a mail client would show them and saves screenshots
// (screenshots/email-*.png): desktop and a phone-sized viewport, to check the layout
// is a clean, responsive brand email. Product images are the demo store's pictures,
// served by intercepting the image host (this machine is offline).
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmailRenderContext } from "~/domain/messages/email-context";
import { renderEmail } from "~/server/channels/email/render-email.server";
import { DEMO_PRODUCTS } from "../../../demo/seed/demo-shop";
import { productSvg } from "../../../demo/storefront/svg.server";
import { hasChromium, launchBrowser, screenshotPath } from "../../support/browser";
import { POSTAL_ADDRESS } from "./support/fixtures";

const IMAGES = "https://cdn.kawa.example.com";
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="64" viewBox="0 0 300 64"><circle cx="30" cy="32" r="22" fill="#6f4e37"/><path d="M22 40c10-18 22-18 16 0" stroke="#ffb300" stroke-width="4" fill="none"/><text x="64" y="43" font-family="Georgia, serif" font-size="30" font-weight="700" fill="#3e2723">Kawa &amp; Co.</text></svg>`;

const product = (handle: string) => DEMO_PRODUCTS.find((p) => p.handle === handle)!;
const line = (handle: string, quantity: number) => ({
  title: product(handle).title,
  quantity,
  price: product(handle).price,
  imageUrl: `${IMAGES}/${handle}.svg`,
  url: `https://kawa.example.com/products/${handle}`,
});
const card = (handle: string) => ({
  title: product(handle).title,
  price: product(handle).price,
  imageUrl: `${IMAGES}/${handle}.svg`,
  url: `https://kawa.example.com/products/${handle}`,
});

const base: EmailRenderContext = {
  shop: {
    name: "Kawa & Co.",
    url: "https://kawa.example.com",
    currency: "PLN",
    postalAddress: POSTAL_ADDRESS,
    branding: { primaryColor: "#6f4e37", accentColor: "#ffb300" },
  },
  customer: { firstName: "Anna", lastName: "Nowak" },
  links: {
    unsubscribeUrl: "https://app.example.com/u/token",
    preferencesUrl: "https://app.example.com/preferences/token",
    recoveryUrl: "https://kawa.example.com/checkouts/c1/recover?key=abc",
  },
};

describe.skipIf(!hasChromium)("email screenshots", () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    await browser.context.route(`${IMAGES}/**`, (route) => {
      const name = new URL(route.request().url()).pathname.slice(1).replace(/\.svg$/, "");
      const body = name === "logo" ? LOGO : productSvg(product(name));
      return route.fulfill({ status: 200, contentType: "image/svg+xml", body });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function shoot(html: string, name: string) {
    for (const [suffix, viewport] of [
      ["", { width: 900, height: 900 }],
      ["-mobile", { width: 390, height: 844 }],
    ] as const) {
      const page = await browser.context.newPage();
      await page.setViewportSize(viewport);
      await page.setContent(html, { waitUntil: "load" });
      const file = screenshotPath(`email-${name}${suffix}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      // Nothing wider than the phone: the layout stacks instead of scrolling sideways.
      if (suffix) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.close();
    }
  }

  it("welcome_1 in English, with a logo, a welcome code and recommendations", async () => {
    const email = await renderEmail({
      templateKey: "welcome_1",
      locale: "en",
      context: {
        ...base,
        shop: { ...base.shop, branding: { ...base.shop.branding, logoUrl: `${IMAGES}/logo.svg` } },
        discount: { code: "WELCOME10", kind: "percentage", value: 10, expiresAt: "2026-12-31" },
        recommendations: ["ethiopia-yirgacheffe-250-g", "hand-grinder-steel", "ceramic-mug", "pour-over-dripper"].map(card),
      },
    });
    await shoot(email.html, "welcome_1-en");
  });

  it("abandoned_checkout_3 in Polish, with the checkout lines and a discount", async () => {
    const email = await renderEmail({
      templateKey: "abandoned_checkout_3",
      locale: "pl",
      context: {
        ...base,
        items: [line("ethiopia-yirgacheffe-250-g", 2), line("gooseneck-kettle", 1)],
        discount: { code: "WRACAJ15", kind: "percentage", value: 15, expiresAt: "2026-12-24" },
      },
    });
    await shoot(email.html, "abandoned_checkout_3-pl");
  });
});
