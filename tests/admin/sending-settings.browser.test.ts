// Settings -> Sending in a real browser, on the demo as `npm run demo` starts it: the
// merchant saves a sender, sees it on the page and in the From of a test email in the
// demo's mail outbox; a wrong address is refused next to its field; a DKIM key brings
// its DNS records (offline: "could not check") and signs the next test email.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppProcess } from "../support/app-process";
import { hasChromium, launchBrowser, screenshotPath, withPage } from "../support/browser";

let app: AppProcess;
beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

async function fill(page: Page, label: string, value: string) {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
}

describe.skipIf(!hasChromium)("Settings -> Sending in a real browser", () => {
  it(
    "saves the sender, shows it, and a test email is from it; errors sit next to their field; DKIM signs",
    { timeout: 240_000 },
    async () => {
      await withPage(async (page) => {
        page.setDefaultTimeout(15_000);
        await page.goto(`${app.url}/app/settings/sending`, { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: "Sender identity" }).waitFor();

        // A wrong address: refused, the error under the field, nothing saved.
        await fill(page, "From address", "not-an-address");
        await page.getByTestId("sender-form").getByRole("button", { name: "Save" }).click();
        await page.getByText("Not a valid email address.").waitFor();
        await page.getByText("Not saved: check the fields marked below.").waitFor();
        expect(await page.getByLabel("From address", { exact: true }).getAttribute("aria-invalid")).toBe("true");

        await fill(page, "From name", "Palarnia Testowa");
        await fill(page, "From address", "sklep@palarnia-testowa.example");
        await fill(page, "Street and number", "ul. Długa 5");
        await page.getByTestId("sender-form").getByRole("button", { name: "Save" }).click();
        await page.getByTestId("sender-form").getByText("Saved.").waitFor();

        // After a reload, the page shows what was stored.
        await page.goto(`${app.url}/app/settings/sending`, { waitUntil: "networkidle" });
        expect(await page.getByLabel("From name", { exact: true }).inputValue()).toBe("Palarnia Testowa");
        expect(await page.getByLabel("From address", { exact: true }).inputValue()).toBe("sklep@palarnia-testowa.example");

        await page.getByRole("button", { name: "Send a test email" }).click();
        await page.getByTestId("test-sent").getByText("sklep@palarnia-testowa.example").waitFor();
        await page.goto(`${app.url}/dev/mail`, { waitUntil: "networkidle" });
        const from = page.getByText("Palarnia Testowa", { exact: false }).first();
        await from.waitFor();
        expect(await page.locator("body").innerText()).toMatch(/Palarnia Testowa.*sklep@palarnia-testowa\.example/);

        // DKIM: a key for the sender's domain, its records on the page, and the next test is signed.
        await page.goto(`${app.url}/app/settings/sending`, { waitUntil: "networkidle" });
        expect(await page.getByLabel("Sending domain", { exact: true }).inputValue()).toBe("palarnia-testowa.example");
        await page.getByRole("button", { name: "Generate DKIM key" }).click();
        await page.getByText("Emails are signed for palarnia-testowa.example (selector flowmate).").waitFor();
        expect(await page.getByTestId("dns-value-dkim").innerText()).toMatch(/^v=DKIM1; k=rsa; p=MIIB/);
        // This machine has no DNS: the status says so once the check has run, never an error page.
        await page
          .getByTestId("dns-status-dkim")
          .getByText(/Could not check|Not found/)
          .waitFor({ timeout: 15_000 });
        await page.getByRole("button", { name: "Send a test email" }).click();
        await page.getByTestId("test-sent").waitFor();
        await page.goto(`${app.url}/dev/mail`, { waitUntil: "networkidle" });
        await page.getByText("Headers", { exact: true }).click();
        const headers = await page.locator("details pre").innerText();
        expect(headers).toMatch(/dkim-signature: [\s\S]*d=palarnia-testowa\.example;/i);
        expect(headers).toContain("s=flowmate");
      });

      // Screenshots: desktop and mobile, English and Polish.
      for (const [name, viewport] of [
        ["desktop", { width: 1280, height: 900 }],
        ["mobile", { width: 390, height: 844 }],
      ] as const) {
        const { context, close } = await launchBrowser({ viewport });
        try {
          const page = await context.newPage();
          for (const lang of ["en", "pl"]) {
            await page.goto(`${app.url}/app/settings/sending?lang=${lang}`, { waitUntil: "networkidle" });
            await page
              .getByTestId("dns-status-dkim")
              .getByText(/Could not check|Not found|Nie udało się sprawdzić|Nie znaleziono/)
              .waitFor();
            await page.screenshot({ path: screenshotPath(`admin-settings-sending-${name}-${lang}.png`), fullPage: true });
          }
        } finally {
          await close();
        }
      }
    },
  );

  it(
    "warm-up: a custom ramp is checked while typed, its schedule shown before saving; started, then edited with the day count kept",
    { timeout: 180_000 },
    async () => {
      await withPage(async (page) => {
        page.setDefaultTimeout(15_000);
        await page.goto(`${app.url}/app/settings/sending`, { waitUntil: "networkidle" });
        const card = page.getByTestId("warmup-form");
        await card.getByRole("heading", { name: "Warm-up" }).waitFor();
        expect(await page.getByTestId("warmup-state").innerText()).toBe("No warm-up: no daily limit.");
        // The default ramp's schedule before anything is chosen: 10 days, 50 to 25,600.
        await card.getByText("Schedule with this plan: 10 days").waitFor();
        expect(await page.getByTestId("warmup-preview").innerText()).toMatch(/^1\t.*\t50\n[\s\S]*^10\t.*\t25,600$/m);

        await card.getByText("My own ramp").click();
        await fill(page, "Emails on day 1", "30");
        await fill(page, "Daily growth (×)", "1");
        await fill(page, "Target emails per day", "1000");
        // Refused while typed, next to the field; no schedule for a plan that is not one.
        await card.getByText("A number from 1.1 to 10 with at most two decimals, e.g. 2 or 1.5.").waitFor();
        expect(await page.getByLabel("Daily growth (×)", { exact: true }).getAttribute("aria-invalid")).toBe("true");
        await card.getByText("Correct the fields above to see the schedule.").waitFor();
        await fill(page, "Daily growth (×)", "1.5");
        // 30, 45, 68, 101, 152, 228, 342, 513, 769, 1000.
        await card.getByText("Schedule with this plan: 10 days").waitFor();
        const preview = await page.getByTestId("warmup-preview").innerText();
        expect(preview).toMatch(/^2\t.*\t45$/m);
        expect(preview).toMatch(/^9\t.*\t769$/m);

        await card.getByRole("button", { name: "Start warm-up today with this plan" }).click();
        await page
          .getByTestId("warmup-state")
          .getByText(/^Today \(\d{4}-\d{2}-\d{2}\): 0 of 30 emails sent\.$/)
          .waitFor();
        await card.getByText("Today is day 1 of the ramp.", { exact: false }).waitFor();

        // Edited while running: today's allowance follows the new plan at once.
        await fill(page, "Emails on day 1", "40");
        await card.getByRole("button", { name: "Save plan" }).click();
        await page
          .getByTestId("warmup-state")
          .getByText(/0 of 40 emails sent\.$/)
          .waitFor();
        await card.getByText("Saved.").waitFor();
        await page.reload({ waitUntil: "networkidle" });
        expect(await page.getByLabel("Emails on day 1", { exact: true }).inputValue()).toBe("40");
        expect(await page.getByLabel("Daily growth (×)", { exact: true }).inputValue()).toBe("1.5");

        await page.goto(`${app.url}/app/settings/audit`, { waitUntil: "networkidle" });
        await page.getByRole("row").filter({ hasText: "Warm-up plan changed" }).first().waitFor();
      });

      for (const [name, viewport] of [
        ["desktop", { width: 1280, height: 900 }],
        ["mobile", { width: 390, height: 844 }],
      ] as const) {
        const { context, close } = await launchBrowser({ viewport });
        try {
          const page = await context.newPage();
          for (const lang of ["en", "pl"]) {
            await page.goto(`${app.url}/app/settings/sending?lang=${lang}`, { waitUntil: "networkidle" });
            await page.getByTestId("warmup-preview").waitFor();
            await page.getByTestId("warmup-form").screenshot({ path: screenshotPath(`admin-settings-warmup-${name}-${lang}.png`) });
          }
        } finally {
          await close();
        }
      }
    },
  );
});
