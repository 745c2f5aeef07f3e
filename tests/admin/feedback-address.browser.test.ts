// Settings -> Sending, "Bounces and complaints", in a real browser on the demo as
// `npm run demo` starts it: the shop's feedback address is shown with a copy button;
// "New address" asks first, then replaces it; the old address is refused (410) and the
// new one takes a bounce report about a real email of the shop's, which the card then
// shows as the last report received.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP, demoCustomers } from "../../demo/seed/demo-shop";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { dsnReport } from "../messages/email/support/reports";
import { startApp, type AppProcess } from "../support/app-process";
import { hasChromium, launchBrowser, screenshotPath, withPage } from "../support/browser";
import { advanceDemoClock, demoNow, postDemoWebhook, waitForApp } from "../support/demo-app";

let app: AppProcess;
beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

const postReport = (url: string, body: Buffer) =>
  fetch(url, { method: "POST", headers: { "content-type": "message/rfc822" }, body: new Uint8Array(body) });

/** 10:00 in Warsaw next: the demo shop's email goes out without waiting for quiet hours to end. */
function msUntilWarsaw10(now: Date): number {
  const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Warsaw", hour: "2-digit", hourCycle: "h23" }).format(now));
  return Math.max(0, ((10 - hour + 24) % 24) * 3_600_000 - now.getUTCMinutes() * 60_000);
}

describe.skipIf(!hasChromium)("the feedback address on Settings -> Sending", () => {
  it(
    "is shown with a copy button; a new one is made after confirming; the old is refused, the new takes a report",
    { timeout: 240_000 },
    async () => {
      await withPage(async (page) => {
        page.setDefaultTimeout(15_000);
        await page.goto(`${app.url}/app/settings/sending`, { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: "Bounces and complaints" }).waitFor();
        const field = page.getByLabel("Feedback address", { exact: true });
        const old = await field.inputValue();
        expect(old).toMatch(/^https?:\/\/[^/]+\/feedback\/[\w-]+\.[\w-]+$/);
        expect(await page.getByTestId("feedback-last-report").innerText()).toMatch(/^No report received yet/);

        // Copy: the clipboard gets the address (granted to the page; a blocked clipboard selects it instead).
        await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
        await page.getByRole("button", { name: "Copy" }).click();
        await page.getByRole("button", { name: "Copied" }).waitFor();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(old);

        // Asked first: Cancel changes nothing.
        await page.getByRole("button", { name: "New address" }).click();
        await page.getByText("Replace the feedback address?").waitFor();
        await page.getByRole("button", { name: "Cancel" }).click();
        await page.getByRole("button", { name: "New address" }).waitFor();
        expect(await field.inputValue()).toBe(old);

        await page.getByRole("button", { name: "New address" }).click();
        await page.getByRole("button", { name: "Replace address" }).click();
        await page.getByText("New address made.", { exact: false }).waitFor();
        await waitForApp(app, async () => (await field.inputValue()) !== old, "the new address on the page");
        const fresh = await field.inputValue();

        // A real email of the demo shop: an abandoned checkout's first reminder.
        const customer = demoCustomers().find((c) => c.emailConsent === "subscribed" && c.email)!;
        const start = await advanceDemoClock(app, msUntilWarsaw10(await demoNow(app)));
        const checkout = checkoutPayload({
          id: 9818200799077,
          token: "chk-feedback-address",
          email: customer.email,
          created_at: start.toISOString(),
          updated_at: start.toISOString(),
          abandoned_checkout_url: `https://${DEMO_SHOP.domain}/1/checkouts/chk-feedback-address/recover?key=k`,
        });
        expect((await postDemoWebhook(app, "checkouts/create", JSON.stringify(checkout))).status).toBe(200);
        await new Promise((r) => setTimeout(r, 2000)); // the in-process worker stores and routes it
        await advanceDemoClock(app, 3_600_000 + 60_000);
        await waitForApp(app, async () => (await (await fetch(`${app.url}/dev/mail`)).text()).includes(customer.email), "the email");
        await page.goto(`${app.url}/dev/mail`, { waitUntil: "networkidle" });
        await page.getByText(customer.email).first().click();
        await page.getByText("Headers", { exact: true }).click();
        const header = /x-flowmate-message: (\S+)/i.exec(await page.locator("details pre").innerText())?.[1];
        expect(header).toBeTruthy();
        const original = `From: <shop@example.com>\r\nTo: <${customer.email}>\r\nSubject: Hi\r\nX-Flowmate-Message: ${header}\r\n\r\nHi\r\n`;
        const report = await dsnReport(original);

        const refused = await postReport(old, report);
        expect(refused.status).toBe(410);
        expect(((await refused.json()) as { error: string }).error).toMatch(/replaced/);
        const accepted = await postReport(fresh, report);
        expect(await accepted.json()).toEqual({ result: "recorded", kind: "bounce" });

        await page.goto(`${app.url}/app/settings/sending`, { waitUntil: "networkidle" });
        expect(await page.getByTestId("feedback-last-report").innerText()).toMatch(/^Last report received: .+, bounce\.$/);
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
            await page.getByTestId("feedback-address").waitFor();
            await page.getByTestId("feedback-address").scrollIntoViewIfNeeded();
            await page.screenshot({ path: screenshotPath(`admin-settings-feedback-${name}-${lang}.png`), fullPage: true });
            // The card alone, legible at full size, and with its confirmation open.
            const card = page.getByTestId("feedback-card");
            await card.screenshot({ path: screenshotPath(`admin-settings-feedback-card-${name}-${lang}.png`) });
            await page.getByRole("button", { name: lang === "pl" ? "Nowy adres" : "New address" }).click();
            await page.getByRole("button", { name: lang === "pl" ? "Zastąp adres" : "Replace address" }).waitFor();
            await card.screenshot({ path: screenshotPath(`admin-settings-feedback-card-${name}-${lang}-confirm.png`) });
          }
        } finally {
          await close();
        }
      }
    },
  );
});
