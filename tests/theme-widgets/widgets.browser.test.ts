// The storefront widgets in a real Chromium: the freshly built bundle is served with a
// product page and a fake app proxy, and the tests drive the popup like a shopper
// would and check that the recommendations block stays silent until it exists. Screenshots land in /work/main/screenshots/.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { SubscribePayload } from "../../extensions/theme-widgets/src/validate";
import { buildWidgets } from "../../scripts/build-widgets";
import { describeInChromium, launchBrowser, type Chromium } from "../support/browser";
import { startFakeStorefront, storefrontPage, type FakeStorefront, type PageOptions } from "./fake-storefront";

const SCREENSHOTS = fileURLToPath(new URL("../../screenshots/", import.meta.url));
const SUPPRESS_KEY = "flowmate:signup:dismissedAt";
const DAY_MS = 24 * 60 * 60 * 1000;

describeInChromium("theme widgets in Chromium", () => {
  let outDir: string;
  let store: FakeStorefront;
  let chromium: Chromium;
  let pageCounter = 0;
  let openPages: Page[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), "flowmate-widgets-"));
    await buildWidgets({ outDir });
    store = await startFakeStorefront(outDir);
    chromium = await launchBrowser({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await chromium?.close();
    await store?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    store.reset();
    for (const page of openPages) await page.close().catch(() => {});
    openPages = [];
    await chromium.context.clearCookies();
  });

  /** Opens a fresh page (empty localStorage) showing `options`; collects uncaught errors. */
  async function open(options: PageOptions, viewport?: { width: number; height: number }) {
    const page = await chromium.context.newPage();
    openPages.push(page);
    if (viewport) await page.setViewportSize(viewport);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${store.url}/blank`);
    await page.evaluate(() => localStorage.clear());
    const pathname = `/products/test-${++pageCounter}`;
    store.setPage(pathname, storefrontPage(options));
    await page.goto(store.url + pathname);
    return { page, errors };
  }

  const dialog = (page: Page) => page.locator('[role="dialog"]');
  const popupText = (page: Page) => dialog(page).innerText();
  const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

  async function screenshot(page: Page, name: string) {
    await page.waitForTimeout(350); // let the open animation finish
    await page.screenshot({ path: path.join(SCREENSHOTS, name) });
  }

  // ---------------------------------------------------------------- signup popup

  it("shows the popup after data-delay seconds as an accessible modal dialog", async () => {
    const { page, errors } = await open({ popup: { delay: "1", "show-sms": "true" } });
    await page.waitForTimeout(400);
    expect(await dialog(page).count()).toBe(0);

    await dialog(page).waitFor({ state: "visible", timeout: 5000 });
    expect(await page.evaluate(() => performance.now())).toBeGreaterThanOrEqual(1000);
    expect(await dialog(page).getAttribute("aria-modal")).toBe("true");
    const labelledBy = await dialog(page).getAttribute("aria-labelledby");
    expect(await page.locator(`#${labelledBy}`).innerText()).toBe("Join our newsletter");
    expect(await page.evaluate(() => document.documentElement.classList.contains("fm-lock"))).toBe(true);

    // Every control has a label; consent boxes start unticked; focus starts on the email field.
    await expect(page.getByLabel("Email", { exact: true }).getAttribute("type")).resolves.toBe("email");
    await expect(page.getByLabel("Phone number (optional)").getAttribute("type")).resolves.toBe("tel");
    expect(await page.getByLabel(/marketing emails from Northwind Supply/).isChecked()).toBe(false);
    expect(await page.getByLabel(/text messages from Northwind Supply.*Reply STOP/).isChecked()).toBe(false);
    expect(await activeId(page)).toBe("fm-email");
    await screenshot(page, "signup-popup-en.png");

    // Focus trap: Tab never leaves the dialog, and wraps both ways.
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    }
    const focusedName = () =>
      page.evaluate(() => document.activeElement?.getAttribute("aria-label") || document.activeElement?.textContent);
    await page.getByRole("button", { name: "Close" }).focus(); // first in the dialog
    await page.keyboard.press("Shift+Tab");
    expect(await focusedName()).toBe("Privacy policy"); // last in the dialog
    await page.keyboard.press("Tab");
    expect(await focusedName()).toBe("Close");
    expect(errors).toEqual([]);
  });

  it("opens on exit intent before the delay on a desktop pointer", async () => {
    const { page } = await open({ popup: { delay: "60" } });
    await page.waitForTimeout(200);
    expect(await dialog(page).count()).toBe(0);
    await page.evaluate(() =>
      document.dispatchEvent(new MouseEvent("mouseout", { bubbles: true, clientX: 400, clientY: 0, relatedTarget: null })),
    );
    await dialog(page).waitFor({ state: "visible", timeout: 2000 });
  });

  it("Escape closes it, and it stays closed on reload for 14 days", async () => {
    const { page } = await open({ popup: { delay: "0" } });
    await dialog(page).waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await dialog(page).waitFor({ state: "detached", timeout: 2000 });
    expect(await page.evaluate(() => document.documentElement.classList.contains("fm-lock"))).toBe(false);
    const stored = Number(await page.evaluate((key) => localStorage.getItem(key), SUPPRESS_KEY));
    expect(Math.abs(Date.now() - stored)).toBeLessThan(60_000);

    await page.reload();
    await page.waitForTimeout(1200);
    expect(await dialog(page).count()).toBe(0);

    // 15 days later it may show again.
    await page.evaluate(([key, at]) => localStorage.setItem(key as string, String(at)), [SUPPRESS_KEY, Date.now() - 15 * DAY_MS]);
    await page.reload();
    await dialog(page).waitFor({ state: "visible", timeout: 3000 });
  });

  it("the close button and a click on the backdrop close it too", async () => {
    const { page } = await open({ popup: { delay: "0" } });
    await dialog(page).waitFor({ state: "visible" });
    await page.getByRole("button", { name: "Close" }).click();
    await dialog(page).waitFor({ state: "detached", timeout: 2000 });
    expect(await page.evaluate((key) => localStorage.getItem(key), SUPPRESS_KEY)).not.toBeNull();

    const second = await open({ popup: { delay: "0" } });
    await dialog(second.page).waitFor({ state: "visible" });
    await second.page.mouse.click(5, 5);
    await dialog(second.page).waitFor({ state: "detached", timeout: 2000 });
  });

  it("an invalid email shows an error next to the field and sends nothing", async () => {
    const { page, errors } = await open({ popup: { delay: "0", "show-sms": "true" } });
    await dialog(page).waitFor({ state: "visible" });
    const email = page.getByLabel("Email", { exact: true });

    await page.getByRole("button", { name: "Subscribe" }).click();
    await expect(page.locator("#fm-email-error").innerText()).resolves.toBe("Enter your email address.");

    await email.fill("ada@example");
    await page.getByLabel("Phone number (optional)").fill("12ab");
    await page.getByRole("button", { name: "Subscribe" }).click();
    await expect(page.locator("#fm-email-error").innerText()).resolves.toBe("Enter a valid email address, like name@example.com.");
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    expect(await email.getAttribute("aria-describedby")).toBe("fm-email-error");
    expect(await activeId(page)).toBe("fm-email");
    await expect(page.locator("#fm-phone-error").innerText()).resolves.toBe("Enter a valid phone number, e.g. +44 7700 900123.");
    await screenshot(page, "signup-popup-errors.png");

    // SMS consent without a phone number is an error too.
    await email.fill("ada@example.com");
    await page.getByLabel("Phone number (optional)").fill("");
    await page.getByLabel(/text messages/).check();
    await page.getByRole("button", { name: "Subscribe" }).click();
    await expect(page.locator("#fm-phone-error").innerText()).resolves.toBe("Enter your phone number to get text messages.");
    expect(await page.locator("#fm-email-error").count()).toBe(0);

    await page.waitForTimeout(300);
    expect(store.subscribeRequests).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it("a valid submit posts the exact JSON contract, consents false unless ticked, then shows success", async () => {
    const { page } = await open({ popup: { delay: "0" } });
    await dialog(page).waitFor({ state: "visible" });
    await page.getByLabel("Email", { exact: true }).fill("  ada@example.com ");
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.getByRole("heading", { name: "You're subscribed!" }).waitFor({ timeout: 3000 });

    expect(store.subscribeRequests).toHaveLength(1);
    const [request] = store.subscribeRequests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/apps/flowmate/subscribe");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toStrictEqual({
      email: "ada@example.com",
      emailConsent: false,
      smsConsent: false,
      source: "signup_popup",
      locale: "en",
    });

    expect(await activeId(page)).toBe("fm-title");
    await screenshot(page, "signup-popup-success.png");
    // Submitting counts like closing: no popup for 14 days.
    expect(await page.evaluate((key) => localStorage.getItem(key), SUPPRESS_KEY)).not.toBeNull();
    await page.getByRole("button", { name: "Continue shopping" }).click();
    await dialog(page).waitFor({ state: "detached", timeout: 2000 });
  });

  it("sends ticked consents, the normalised phone and Shopify's clientId", async () => {
    await chromium.context.addCookies([{ name: "_shopify_y", value: "c0ffee-1234", url: store.url }]);
    const { page } = await open({ popup: { delay: "0", "show-sms": "true", locale: "en-GB" } });
    await dialog(page).waitFor({ state: "visible" });
    await page.getByLabel("Email", { exact: true }).fill("grace@example.com");
    await page.getByLabel("Phone number (optional)").fill("+44 7700-900 123");
    await page.getByLabel(/marketing emails/).check();
    await page.getByLabel(/text messages/).check();
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.getByRole("heading", { name: "You're subscribed!" }).waitFor({ timeout: 3000 });

    expect(JSON.parse(store.subscribeRequests[0]!.body)).toStrictEqual({
      email: "grace@example.com",
      phone: "+447700900123",
      emailConsent: true,
      smsConsent: true,
      source: "signup_popup",
      locale: "en-GB",
      clientId: "c0ffee-1234",
    });
  });

  it("pending_confirmation (double opt-in) asks the shopper to check their inbox", async () => {
    store.subscribeResponse = { status: 201, body: { status: "pending_confirmation" } };
    const { page } = await open({ popup: { delay: "0" } });
    await dialog(page).waitFor({ state: "visible" });
    await page.getByLabel("Email", { exact: true }).fill("ada@example.com");
    await page.getByLabel(/marketing emails/).check();
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.getByRole("heading", { name: "Check your inbox" }).waitFor({ timeout: 3000 });
    expect(await popupText(page)).toContain("Click the link inside to confirm your subscription.");
    expect((JSON.parse(store.subscribeRequests[0]!.body) as SubscribePayload).emailConsent).toBe(true);
    await screenshot(page, "signup-popup-pending.png");
  });

  it("a 4xx answer shows the server's message next to the field it names, or above the button", async () => {
    store.subscribeResponse = { status: 422, body: { error: "This address cannot receive email.", field: "email" } };
    const { page } = await open({ popup: { delay: "0" } });
    await dialog(page).waitFor({ state: "visible" });
    await page.getByLabel("Email", { exact: true }).fill("bounce@example.com");
    await page.getByRole("button", { name: "Subscribe" }).click();
    await expect(page.locator("#fm-email-error").innerText()).resolves.toBe("This address cannot receive email.");
    expect(await activeId(page)).toBe("fm-email");
    expect(await page.getByRole("button", { name: "Subscribe" }).isEnabled()).toBe(true);

    // A field that is not on screen (no phone field here) or no field: a form-level message.
    store.subscribeResponse = { status: 400, body: { error: "Phone numbers are not accepted.", field: "phone" } };
    await page.getByRole("button", { name: "Subscribe" }).click();
    await expect(page.locator(".fm-error--form").innerText()).resolves.toBe("Phone numbers are not accepted.");

    store.subscribeResponse = { status: 429, body: "not json" };
    await page.getByRole("button", { name: "Subscribe" }).click();
    await expect(page.locator(".fm-error--form").innerText()).resolves.toBe("Something went wrong. Please try again.");
    expect(store.subscribeRequests).toHaveLength(3);
  });

  it("speaks Polish when data-locale is pl", async () => {
    const { page } = await open({ shopName: "Sklep Testowy", popup: { delay: "0", locale: "pl", "show-sms": "true" } });
    await dialog(page).waitFor({ state: "visible" });
    const text = await popupText(page);
    expect(text).toContain("Zapisz się do newslettera");
    expect(text).toContain("Tak, chcę otrzymywać od Sklep Testowy informacje handlowe");
    expect(text).toContain("Zgoda nie jest warunkiem zakupu.");
    await expect(page.getByLabel("Adres e-mail", { exact: true }).getAttribute("type")).resolves.toBe("email");
    await expect(page.getByLabel("Numer telefonu (opcjonalnie)").getAttribute("type")).resolves.toBe("tel");
    expect(await page.getByRole("button", { name: "Zamknij" }).count()).toBe(1);
    await screenshot(page, "signup-popup-pl.png");

    await page.getByLabel("Adres e-mail", { exact: true }).fill("jan@");
    await page.getByRole("button", { name: "Zapisz się" }).click();
    await expect(page.locator("#fm-email-error").innerText()).resolves.toBe("Podaj prawidłowy adres e-mail, np. jan@przyklad.pl.");
    await page.getByLabel("Adres e-mail", { exact: true }).fill("jan@przyklad.pl");
    await page.getByRole("button", { name: "Zapisz się" }).click();
    await page.getByRole("heading", { name: "Dziękujemy za zapis!" }).waitFor({ timeout: 3000 });
    expect((JSON.parse(store.subscribeRequests[0]!.body) as SubscribePayload).locale).toBe("pl");
  });

  it("uses the merchant's title, text and accent colour", async () => {
    const { page } = await open({
      accent: "#be123c",
      popup: { delay: "0", title: "Get 10% off your first order", body: "Join the list <b>today</b>." },
    });
    await dialog(page).waitFor({ state: "visible" });
    expect(await page.locator("#fm-title").innerText()).toBe("Get 10% off your first order");
    expect(await page.locator("#fm-body").innerText()).toBe("Join the list <b>today</b>.");
    const background = await page.locator(".fm-btn").evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe("rgb(190, 18, 60)");
  });

  it("is a bottom sheet on a phone", async () => {
    const { page } = await open({ popup: { delay: "0", "show-sms": "true" } }, { width: 390, height: 844 });
    await dialog(page).waitFor({ state: "visible" });
    await page.waitForTimeout(400);
    const box = await dialog(page).boundingBox();
    expect(box!.width).toBe(390);
    expect(Math.round(box!.y + box!.height)).toBe(844);
    await screenshot(page, "signup-popup-mobile.png");
  });

  // ------------------------------------------------------------ recommendations

  it("the recommendations block asks for nothing and renders nothing, even where its old mount element is still on the page", async () => {
    const { page, errors } = await open({ popup: { delay: "0" }, staleRecommendationsMount: true });
    await dialog(page).waitFor({ state: "visible" }); // the bundle has run
    await page.waitForTimeout(300);
    expect(store.otherProxyRequests).toEqual([]);
    const mount = page.locator("#flowmate-recommendations-b1");
    expect(await mount.innerHTML()).toBe("");
    expect(await mount.getAttribute("data-fm-mounted")).toBeNull();
    expect(await page.locator(".fm-recs").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  // ------------------------------------------------------------------- loading

  it("loads without errors when the popup's mount element is not on the page", async () => {
    const { page, errors } = await open({ extra: '<script src="/assets/flowmate-widgets.js" defer></script>' });
    await page.waitForLoadState("load");
    await page.waitForTimeout(200);
    expect(errors).toEqual([]);
    expect(store.otherProxyRequests).toEqual([]);
  });

  it("mounts the popup once when the script is included twice", async () => {
    const { page, errors } = await open({ popup: { delay: "0" }, extra: '<script src="/assets/flowmate-widgets.js" defer></script>' });
    await dialog(page).waitFor({ state: "visible" });
    await page.waitForTimeout(200);
    expect(await page.locator('script[src="/assets/flowmate-widgets.js"]').count()).toBe(2);
    expect(await dialog(page).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it("does not block rendering: the page is parsed before the bundle runs", async () => {
    const { page } = await open({ popup: { delay: "0" } });
    // defer: the script sees the finished document (it mounts elements after itself too).
    expect(await page.evaluate(() => document.querySelector('script[src$="flowmate-widgets.js"]')?.hasAttribute("defer"))).toBe(true);
    await dialog(page).waitFor({ state: "visible" });
  });
});
