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
});
