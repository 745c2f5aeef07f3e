// The report pages in Chromium, on the demo (`npm run demo` as a process) with 90 days
// of report rollups written into its database (tests/support/report-rollups.ts): open
// a flow's report from the flows page, read the holdout and A/B results, export a CSV
// and parse it, and save screenshots in English and Polish at desktop and phone widths.
import fs from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "~/domain/measurement/csv";
import type { AppProcess } from "../support/app-process";
import { hasChromium, screenshotPath, withPage } from "../support/browser";
import { startDemoWithRollups, watchConsole, type DemoWithRollups } from "../support/demo-with-rollups";

let demo: DemoWithRollups;
let app: AppProcess;

beforeAll(async () => {
  demo = await startDemoWithRollups("reports");
  app = demo.app;
}, 240_000);

afterAll(() => demo?.close());

const chartDrawn = (page: Page) => page.locator("[data-testid=revenue-chart] svg").first().waitFor({ timeout: 30_000 });

describe.skipIf(!hasChromium)("report pages in Chromium", () => {
  it("opens a flow's report from the flows page and reads its holdout result", { timeout: 120_000 }, async () => {
    await withPage(async (page) => {
      const errors = watchConsole(page);
      await page.goto(`${app.url}/app/flows`, { waitUntil: "networkidle" });
      const card = page.locator('[data-flow="abandoned_checkout"]');
      expect(await card.locator('[data-counter="flows.heldOut30"]').textContent()).toMatch(/Held out, 30 days\d[\d,]*/);
      await card.getByRole("link", { name: "Report" }).click();
      await page.getByRole("heading", { name: "Report: Abandoned checkout" }).waitFor();
      expect(page.url()).toMatch(/\/app\/flows\/[^/]+\/report$/);
      await chartDrawn(page);

      const holdout = page.getByTestId("holdout-result");
      expect(await holdout.textContent()).toContain("Adds revenue");
      expect(await holdout.textContent()).toMatch(
        /The flow adds revenue: \+PLN\s[\d,.]+ per entry \(95% interval \+PLN\s[\d,.]+ to \+PLN\s[\d,.]+\)/,
      );
      expect(await holdout.textContent()).toMatch(/Conversion: [\d.]+% against [\d.]+% without messages/);
      expect(await page.getByTestId("holdout-method").textContent()).toContain("with a 10% chance, in the holdout group");
      // Attributed and influenced apart, each labelled.
      expect(await page.getByRole("heading", { name: "Attributed revenue" }).count()).toBe(1);
      expect(await page.getByRole("heading", { name: "Influenced revenue" }).count()).toBe(1);
      expect(errors).toEqual([]);
    });
  });

  it("reads the A/B result of the welcome series", { timeout: 60_000 }, async () => {
    await withPage(async (page) => {
      await page.goto(`${app.url}/app/reports`, { waitUntil: "networkidle" });
      await page.getByTestId("flows").getByRole("link", { name: "Welcome series" }).click();
      await page.getByRole("heading", { name: "Report: Welcome series" }).waitFor();
      const test = page.getByTestId("ab-test");
      expect(await test.textContent()).toContain("Tested message: 2. Email · welcome_2");
      expect(await test.textContent()).toContain("Decides on click rate");
      expect(await test.textContent()).toContain("No winner yet.");
      const b = test.getByRole("row").filter({ hasText: /^b/ });
      expect(await b.textContent()).toContain("98.7%");
      expect(await test.getByRole("row").filter({ hasText: "a (control)" }).count()).toBe(1);
    });
  });

  it("exports a table as CSV, whose figures are the page's", { timeout: 60_000 }, async () => {
    await withPage(async (page) => {
      await page.goto(`${app.url}/app/reports?period=90`, { waitUntil: "networkidle" });
      await page.getByTestId("flows").getByRole("link", { name: "Abandoned checkout" }).click();
      await page.getByRole("heading", { name: "Report: Abandoned checkout" }).waitFor();
      expect(page.url()).toContain("period=90");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV: Messages" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^flowmate_abandoned_checkout_steps_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
      const [header, ...rows] = parseCsv(fs.readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, ""));
      expect(header!.slice(0, 5)).toEqual(["Message", "Step id", "Template", "Channel", "Sent"]);
      expect(rows.map((r) => r[1])).toEqual(["send_1", "send_sms", "send_2"]);
      // The page shows the same sends, formatted; the file has plain numbers and money with 2 decimals.
      const pageRows = page.getByTestId("steps").getByRole("row");
      for (const [i, row] of rows.entries()) {
        const cells = await pageRows
          .nth(i + 1)
          .getByRole("cell")
          .allTextContents();
        expect(cells.join("|").replace(/,/g, "")).toContain(`|${row[4]}|`);
        expect(row[10]).toMatch(/^\d+\.\d{2}$/);
      }
    });
  });

  it("renders the reports in English and Polish at desktop and phone widths (screenshots)", { timeout: 180_000 }, async () => {
    await withPage(async (page) => {
      const errors = watchConsole(page);
      await page.goto(`${app.url}/app/flows`, { waitUntil: "networkidle" });
      const flowReport = await page.locator('[data-flow="abandoned_checkout"]').getByRole("link", { name: "Report" }).getAttribute("href");
      for (const [name, route] of [
        ["shop", "/app/reports"],
        ["flow", flowReport!],
      ] as const) {
        for (const lang of ["en", "pl"] as const) {
          for (const [width, device] of [
            [1280, "desktop"],
            [390, "mobile"],
          ] as const) {
            await page.setViewportSize({ width, height: 900 });
            await page.goto(`${app.url}${route}?lang=${lang}`, { waitUntil: "networkidle" });
            await chartDrawn(page);
            await page.locator("[data-testid=funnel-chart] svg").first().waitFor();
            const title =
              name === "shop"
                ? lang === "en"
                  ? "Reports"
                  : "Raporty"
                : lang === "en"
                  ? "Report: Abandoned checkout"
                  : "Raport: Porzucony checkout";
            await page.getByRole("heading", { name: title, exact: true }).waitFor();
            // Nothing wider than the screen but the tables' own scrolling.
            expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
            await page.screenshot({ path: screenshotPath(`admin-report-${name}-${lang}-${device}.png`), fullPage: true });
          }
        }
      }
      expect(errors).toEqual([]);
    });
  });
});
