// The settings page in a real browser, on the demo as `npm run demo` starts it: the
// merchant changes the email quiet hours, a new customer abandons a checkout, and the
// reminder due an hour later falls in the new quiet hours: the customer's "why" page
// shows it deferred to their end. Then both pages at desktop and mobile widths, EN/PL.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutPayload, customerPayload } from "../capture/shopify-fixtures";
import { startApp, type AppProcess } from "../support/app-process";
import { hasChromium, launchBrowser, screenshotPath, withPage } from "../support/browser";
import { advanceDemoClock, demoNow, postDemoWebhook, waitForApp } from "../support/demo-app";

const EMAIL = "quinn.quiet@example.com";

let app: AppProcess;
beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

/** Forward to the next 10:00 in Warsaw (the demo shop's zone). */
function msUntilWarsaw10(now: Date): number {
  const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Warsaw", hour: "2-digit", hourCycle: "h23" }).format(now));
  const hoursAhead = (10 - hour + 24) % 24;
  return Math.max(0, hoursAhead * 3_600_000 - now.getUTCMinutes() * 60_000);
}

async function setTime(page: Page, id: string, value: string) {
  await page.locator(`#${id}`).fill(value);
}

describe.skipIf(!hasChromium)("Settings in a real browser", () => {
  it(
    "quiet hours changed on the page defer the next send to their end, shown on the customer's why page",
    { timeout: 300_000 },
    async () => {
      const start = await advanceDemoClock(app, msUntilWarsaw10(await demoNow(app)));
      await withPage(async (page) => {
        await page.goto(`${app.url}/app/settings`, { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: "Time zone and quiet hours" }).waitFor();
        // Email quiet hours 10:30-12:00: the reminder, due an hour after a 10:00 checkout, falls inside.
        const emailOn = page.locator("#email-quiet-on");
        if (!(await emailOn.isChecked())) await emailOn.check();
        await setTime(page, "email-quiet-start", "10:30");
        await setTime(page, "email-quiet-end", "12:00");
        const schedule = page.locator("form").filter({ has: page.locator("#email-quiet-start") });
        await schedule.getByRole("button", { name: "Save" }).click();
        await schedule.getByText("Saved.").waitFor();
        // No email cap: the new customer's welcome email (sent on sign-up) must not hold the reminder instead.
        for (const id of ["email-count-0", "email-hours-0", "email-count-1", "email-hours-1", "email-count-2", "email-hours-2"])
          await page.locator(`#${id}`).fill("");
        const caps = page.locator("form").filter({ has: page.locator("#email-count-0") });
        await caps.getByRole("button", { name: "Save" }).click();
        await caps.getByText("Saved.").waitFor();

        // The audit log shows the change with before and after.
        await page.goto(`${app.url}/app/settings/audit`, { waitUntil: "networkidle" });
        const row = page.getByRole("row").filter({ hasText: "Time zone or quiet hours changed" }).first();
        expect(await row.textContent()).toContain("Email quiet hours: 21:00-08:00 → 10:30-12:00");
      });

      const customer = customerPayload({
        id: 7064055099001,
        email: EMAIL,
        first_name: "Quinn",
        phone: null,
        created_at: start.toISOString(),
        updated_at: start.toISOString(),
      });
      expect((await postDemoWebhook(app, "customers/create", JSON.stringify(customer))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2000));
      const checkout = checkoutPayload({
        id: 9818200799101,
        token: "chk-settings-quiet",
        email: EMAIL,
        abandoned_checkout_url: "https://demo-shop.myshopify.com/1/checkouts/chk-settings-quiet/recover?key=k",
        created_at: start.toISOString(),
        updated_at: start.toISOString(),
      });
      expect((await postDemoWebhook(app, "checkouts/create", JSON.stringify(checkout))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2000)); // the in-process worker stores and routes it
      await advanceDemoClock(app, 3_600_000 + 60_000);

      await withPage(async (page) => {
        // One profile matches the search: the page shows its "why" view directly.
        await waitForApp(
          app,
          async () => {
            await page.goto(`${app.url}/app/customers?q=${encodeURIComponent(EMAIL)}`, { waitUntil: "networkidle" });
            const found = (await page.getByText("Quiet hours in the customer's time zone.").count()) > 0;
            if (!found) await page.screenshot({ path: screenshotPath("admin-settings-why-waiting.png"), fullPage: true });
            return found;
          },
          "the deferral on the why page",
          90_000,
        );
        const deferred = page.getByRole("row").filter({ hasText: "Quiet hours in the customer's time zone." }).first();
        // Deferred to the end of the new quiet hours: 12:00 in Warsaw, the day of the checkout.
        expect(await deferred.textContent()).toMatch(/Tried again .*12:00/);
        await page.screenshot({ path: screenshotPath("admin-settings-why-deferred.png"), fullPage: true });
      });
    },
  );

  it("renders the settings and the audit log at desktop and mobile widths, in English and Polish", { timeout: 180_000 }, async () => {
    for (const [width, height, name] of [
      [1280, 900, "desktop"],
      [390, 844, "mobile"],
    ] as const) {
      const { context, close } = await launchBrowser({ viewport: { width, height } });
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        for (const lang of ["en", "pl"] as const) {
          await page.goto(`${app.url}/app/settings?lang=${lang}`, { waitUntil: "networkidle" });
          await page.getByRole("heading", { name: lang === "en" ? "Flow priorities" : "Priorytety przepływów" }).waitFor();
          expect(await page.getByRole("link", { name: lang === "en" ? "Settings" : "Ustawienia" }).count()).toBeGreaterThan(0);
          await page.screenshot({ path: screenshotPath(`admin-settings-${lang}-${name}.png`), fullPage: true });
          await page.goto(`${app.url}/app/settings/audit?lang=${lang}`, { waitUntil: "networkidle" });
          await page.getByRole("heading", { name: lang === "en" ? "Audit log" : "Dziennik zmian" }).waitFor();
          await page.screenshot({ path: screenshotPath(`admin-settings-audit-${lang}-${name}.png`), fullPage: true });
        }
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }
  });

  it(
    "rollout thresholds: refused next to the field, saved, audited, and in force on a flow's rollout page",
    { timeout: 180_000 },
    async () => {
      await withPage(async (page) => {
        page.setDefaultTimeout(15_000);
        await page.goto(`${app.url}/app/settings`, { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: "Staged rollout: go/no-go thresholds" }).waitFor();
        const field = page.getByLabel("Send errors: extra allowed", { exact: true });
        expect(await field.inputValue()).toBe("2");
        const form = page.locator("form").filter({ has: field });
        await field.fill("abc");
        await page.getByLabel("Clicks: share of the previous rate to keep", { exact: true }).fill("150");
        await form.getByRole("button", { name: "Save" }).click();
        await form.getByText("A number, e.g. 2 or 0.5.").waitFor();
        await form.getByText("Outside the allowed range (below the field).").waitFor();
        expect(await field.getAttribute("aria-invalid")).toBe("true");

        await field.fill("0,5");
        await page.getByLabel("Clicks: share of the previous rate to keep", { exact: true }).fill("80");
        await form.getByRole("button", { name: "Save" }).click();
        await form.getByText("Saved.").waitFor();
        await page.reload({ waitUntil: "networkidle" });
        expect(await page.getByLabel("Send errors: extra allowed", { exact: true }).inputValue()).toBe("0.5");

        await page.goto(`${app.url}/app/settings/audit`, { waitUntil: "networkidle" });
        await page.getByRole("row").filter({ hasText: "Rollout go/no-go thresholds changed" }).first().waitFor();

        // A flow's rollout page judges by, and shows, the shop's thresholds.
        await page.goto(`${app.url}/app/flows`, { waitUntil: "networkidle" });
        const href = await page
          .locator('a[href*="/app/flows/"]')
          .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname).find((p) => /^\/app\/flows\/[^/]+$/.test(p)));
        expect(href).toBeTruthy();
        // The flow page's rollout panel names them too.
        await page.goto(`${app.url}${href}`, { waitUntil: "networkidle" });
        const summary = await page.getByTestId("flow-rollout-thresholds").innerText();
        expect(summary).toContain("Send errors: at most previous + 0.5 pts");
        expect(summary).toContain("Clicks: at least 80 % of previous");
        await page.screenshot({ path: screenshotPath("admin-flow-rollout-panel-en-desktop.png") });
        await page.goto(`${app.url}${href}/rollout`, { waitUntil: "networkidle" });
        const card = page.getByTestId("rollout-thresholds");
        const rows = await card.getByRole("row").allInnerTexts();
        expect(rows.find((r) => r.startsWith("Send errors"))).toMatch(/at most previous \+ 0\.5 pts[\s\S]*this shop's/);
        expect(rows.find((r) => r.startsWith("Clicks"))).toMatch(/at least 80 % of previous[\s\S]*this shop's/);
        expect(rows.find((r) => r.startsWith("Bounces"))).toMatch(/at most previous \+ 2 pts\s+default$/);
        for (const lang of ["en", "pl"])
          for (const [width, name] of [
            [1280, "desktop"],
            [390, "mobile"],
          ] as const) {
            await page.setViewportSize({ width, height: 900 });
            await page.goto(`${app.url}${href}/rollout?lang=${lang}`, { waitUntil: "networkidle" });
            await card.waitFor();
            await page.screenshot({ path: screenshotPath(`admin-rollout-thresholds-${lang}-${name}.png`), fullPage: true });
            await page.goto(`${app.url}/app/settings?lang=${lang}`, { waitUntil: "networkidle" });
            await page
              .getByTestId("rollout-thresholds-settings")
              .screenshot({ path: screenshotPath(`admin-settings-rollout-thresholds-${lang}-${name}.png`) });
          }
      });
    },
  );
});
