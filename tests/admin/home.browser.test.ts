// The home page in Chromium, on the demo (`npm run demo` as a process) with 90 days of
// report rollups: the setup checklist with the demo shop's real state, the last 30
// days agreeing with the reports page, a checklist link followed from the keyboard,
// and screenshots in English and Polish at desktop and phone widths.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppProcess } from "../support/app-process";
import { hasChromium, screenshotPath, withPage } from "../support/browser";
import { startDemoWithRollups, watchConsole, type DemoWithRollups } from "../support/demo-with-rollups";

let demo: DemoWithRollups;
let app: AppProcess;

beforeAll(async () => {
  demo = await startDemoWithRollups("home");
  app = demo.app;
}, 240_000);

afterAll(() => demo?.close());

const chartsDrawn = async (page: Page) => {
  for (const i of [0, 1])
    await page.locator("[data-testid=last30] [data-testid=revenue-chart]").nth(i).locator("svg").first().waitFor({ timeout: 30_000 });
};
/** A headline figure: the value under its label (Kpi in app/components/reports/sections.tsx). */
const kpi = (page: Page, scope: string, label: string) =>
  page.locator(scope).getByRole("heading", { name: label, exact: true }).locator("xpath=following-sibling::p[1]").textContent();

describe.skipIf(!hasChromium)("home page in Chromium", () => {
  it(
    "shows the checklist and the last 30 days as the reports page does, and a checklist link is followed from the keyboard",
    { timeout: 120_000 },
    async () => {
      await withPage(async (page) => {
        const errors = watchConsole(page);
        await page.goto(`${app.url}/app`, { waitUntil: "networkidle" });
        const checklist = page.getByTestId("setup-checklist");
        await checklist.getByRole("heading", { name: "Set up Flowmate" }).waitFor();
        // The demo shop has a sender but no DKIM check, and flows on.
        const sender = page.getByTestId("setup-sender");
        expect(await sender.getAttribute("data-done")).toBe("false");
        expect(await sender.textContent()).toContain("Set, not verified");
        expect(await page.getByTestId("setup-flow").getAttribute("data-done")).toBe("true");
        const done = await checklist.locator("li[data-done=true]").count();
        expect(await checklist.textContent()).toContain(`${done} of 4 done`);

        await chartsDrawn(page);
        const sent = await kpi(page, "[data-testid=last30]", "Messages sent");
        const attributed = await kpi(page, "[data-testid=last30]", "Attributed revenue");
        expect(sent).toMatch(/^\d[\d,]*$/);
        expect(Number(sent!.replace(/,/g, ""))).toBeGreaterThan(0);
        await page.getByTestId("last30").getByRole("link", { name: "Open reports" }).click();
        await page.getByRole("heading", { name: "Reports", exact: true }).waitFor();
        expect(page.url()).toMatch(/\/app\/reports\?period=30$/);
        expect(await kpi(page, "body", "Messages sent")).toBe(sent);
        expect(await kpi(page, "body", "Attributed revenue")).toBe(attributed);

        // Back home, the flows item's link, reached and followed with the keyboard.
        await page.goto(`${app.url}/app`, { waitUntil: "networkidle" });
        const link = page.getByTestId("setup-flow").getByRole("link", { name: "Flows" });
        await link.focus();
        expect(await link.evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.press("Enter");
        await page.getByRole("heading", { name: "Flows", exact: true }).waitFor();
        expect(new URL(page.url()).pathname).toBe("/app/flows");
        expect(errors).toEqual([]);
      });
    },
  );

  it("renders in English and Polish at desktop and phone widths (screenshots)", { timeout: 180_000 }, async () => {
    await withPage(async (page) => {
      const errors = watchConsole(page);
      for (const lang of ["en", "pl"] as const) {
        for (const [width, device] of [
          [1280, "desktop"],
          [390, "mobile"],
        ] as const) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`${app.url}/app?lang=${lang}`, { waitUntil: "networkidle" });
          await page.getByRole("heading", { name: lang === "en" ? "Set up Flowmate" : "Skonfiguruj Flowmate" }).waitFor();
          await page.getByRole("heading", { name: lang === "en" ? "Last 30 days" : "Ostatnie 30 dni", exact: true }).waitFor();
          await chartsDrawn(page);
          // Nothing wider than the screen but the tables' own scrolling.
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          // The recent orders fit their card, a phone's too (stacked rows): no sideways scrolling.
          const orders = page.locator("table.fm-stacked").filter({ hasText: "#" });
          expect(await orders.locator("tbody tr").count()).toBeGreaterThan(0);
          expect(await orders.evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
          await page.screenshot({ path: screenshotPath(`admin-home-${lang}-${device}.png`), fullPage: true });
        }
      }
      expect(errors).toEqual([]);
    });
  });
});
