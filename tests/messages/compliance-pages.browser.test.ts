import type { Customer, Shop } from "@prisma/client";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as confirmRoute from "~/routes/confirm.$token";
import * as preferencesRoute from "~/routes/preferences.$token";
import * as unsubscribeRoute from "~/routes/u.$token";
import { signToken } from "~/server/security/signed-token.server";
import { hasChromium, launchBrowser, screenshotPath } from "../support/browser";
import { useTestDatabase } from "../support/db";
import { serveRoutes } from "../support/http";

// The shopper-facing pages in a real browser: they must look like the shop's own,
// read clearly in both languages, and work with plain form posts (no JavaScript).
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;

describe.skipIf(!hasChromium)("compliance pages in Chromium", () => {
  let server: Awaited<ReturnType<typeof serveRoutes>>;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let shop: Shop;
  let ewa: Customer;
  let emma: Customer;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await serveRoutes({ "/u/:token": unsubscribeRoute, "/preferences/:token": preferencesRoute, "/confirm/:token": confirmRoute });
    browser = await launchBrowser();
    shop = await prisma().shop.create({
      data: {
        domain: "kawa.myshopify.com",
        name: "Kawa & Co.",
        locale: "pl",
        branding: { primaryColor: "#6f4e37", accentColor: "#ffb300" },
        postalAddress: {
          company: "Kawa & Co. Sp. z o.o.",
          address1: "ul. Prosta 12",
          city: "Warszawa",
          zip: "00-850",
          countryCodeV2: "PL",
        },
      },
    });
    const subscribed = { emailConsentState: "subscribed", emailOptInLevel: "single_opt_in", unsubscribedTopics: ["product_news"] };
    ewa = await prisma().customer.create({ data: { shopId: shop.id, email: "ewa.nowak@example.com", locale: "pl", ...subscribed } });
    emma = await prisma().customer.create({ data: { shopId: shop.id, email: "emma.brown@example.com", locale: "en", ...subscribed } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function visit(path: string, name: string, viewport = { width: 1280, height: 900 }) {
    const page = await browser.context.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.setViewportSize(viewport);
    await page.goto(`${server.url}${path}`);
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
    return page;
  }

  it("unsubscribe confirmation page, EN and PL", async () => {
    const en = await visit(
      `/u/${signToken("unsubscribe", { shopId: shop.id, customerId: emma.id, channel: "email" })}`,
      "compliance-unsubscribe-en.png",
    );
    await en.getByRole("heading", { name: "Unsubscribe" }).waitFor();
    expect(await en.getByRole("button", { name: "Unsubscribe" }).isVisible()).toBe(true);
    expect(await en.getByLabel("Newsletter").isChecked()).toBe(true);
    expect(await en.getByLabel("Product news").isChecked()).toBe(false);
    expect(await en.getByRole("button", { name: "Pause for 30 days" }).isVisible()).toBe(true);

    const pl = await visit(
      `/u/${signToken("unsubscribe", { shopId: shop.id, customerId: ewa.id, channel: "email" })}`,
      "compliance-unsubscribe-pl.png",
    );
    expect(await pl.getByRole("button", { name: "Wypisz mnie" }).isVisible()).toBe(true);
    expect(await pl.title()).toBe("Rezygnacja z subskrypcji · Kawa & Co.");
    await visit(
      `/u/${signToken("unsubscribe", { shopId: shop.id, customerId: ewa.id, channel: "email" })}`,
      "compliance-unsubscribe-pl-mobile.png",
      {
        width: 390,
        height: 844,
      },
    );
    // Opening the pages (three times) changed nothing.
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: ewa.id } })).emailConsentState).toBe("subscribed");
  });

  it("preference center, EN and PL", async () => {
    const en = await visit(
      `/preferences/${signToken("preferences", { shopId: shop.id, customerId: emma.id })}`,
      "compliance-preferences-en.png",
    );
    await en.getByRole("heading", { name: "Your message preferences" }).waitFor();
    const pl = await visit(
      `/preferences/${signToken("preferences", { shopId: shop.id, customerId: ewa.id })}`,
      "compliance-preferences-pl.png",
    );
    await pl.getByRole("heading", { name: "Ustawienia wiadomości" }).waitFor();
  });

  it("works with plain form posts: pause, then unsubscribe from the confirmation page", async () => {
    const prefs = await visit(
      `/preferences/${signToken("preferences", { shopId: shop.id, customerId: emma.id })}`,
      "compliance-preferences-en-before-pause.png",
    );
    await prefs.getByRole("button", { name: "Pause for 30 days" }).click();
    await prefs.getByRole("status").waitFor();
    expect(await prefs.getByRole("status").textContent()).toMatch(/You will not hear from us until/);
    await prefs.screenshot({ path: screenshotPath("compliance-preferences-en-paused.png"), fullPage: true });
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: emma.id } })).marketingPausedUntil).not.toBeNull();

    const page = await visit(
      `/u/${signToken("unsubscribe", { shopId: shop.id, customerId: ewa.id, channel: "email" })}`,
      "compliance-unsubscribe-pl-before.png",
    );
    await page.getByRole("button", { name: "Wypisz mnie" }).click();
    await page.getByRole("heading", { name: "Wypisano Cię z listy" }).waitFor();
    await page.screenshot({ path: screenshotPath("compliance-unsubscribe-pl-done.png"), fullPage: true });
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: ewa.id } })).emailConsentState).toBe("unsubscribed");
  });

  it("confirmation and error pages", async () => {
    const pending = await prisma().customer.create({ data: { shopId: shop.id, email: "nowy@example.com", emailConsentState: "pending" } });
    const confirm = await visit(
      `/confirm/${signToken("confirm_optin", { shopId: shop.id, customerId: pending.id })}`,
      "compliance-confirm-pl.png",
    );
    await confirm.getByRole("button", { name: "Tak, zapisz mnie" }).click();
    await confirm.getByRole("heading", { name: "Dziękujemy za zapis!" }).waitFor();
    await confirm.screenshot({ path: screenshotPath("compliance-confirmed-pl.png"), fullPage: true });
    // No script errors and no blocked resources (the CSP allows exactly what the pages use).
    expect(errors).toEqual([]);
    const error = await visit("/u/tampered.token", "compliance-link-error.png");
    await error.getByRole("heading", { name: "This link does not work" }).waitFor();
  });
});
