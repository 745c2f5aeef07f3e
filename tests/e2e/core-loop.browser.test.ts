import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser, screenshotPath } from "../support/browser";
import { startApp, type AppProcess } from "../support/app-process";

// The core loop, end to end, as a merchant would try it in the demo: a shopper signs
// up in the real theme widget on the storefront, the app proxy stores the consent,
// the welcome flow enrolls them, the outbox sends through SMTP, the mail arrives.
let app: AppProcess;
beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe.skipIf(!hasChromium)("storefront signup to welcome email", () => {
  it("a popup signup receives the welcome email", { timeout: 120_000 }, async () => {
    const { context, close } = await launchBrowser();
    try {
      // Quiet hours are real (21:00-08:00 in the shop's Warsaw time): move the demo clock to the next 10:00 there.
      const clock = (await (await fetch(`${app.url}/dev/clock`)).json()) as { now: string };
      await fetch(`${app.url}/dev/clock/advance`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ms: msUntilWarsaw10(new Date(clock.now)) }),
      });
      const page = await context.newPage();
      await page.goto(`${app.url}/dev/storefront`, { waitUntil: "load" });
      const dialog = page.getByRole("dialog");
      await dialog.waitFor({ timeout: 20_000 });
      await dialog.getByLabel("Email", { exact: true }).fill("loop.shopper@example.com");
      await dialog.getByLabel(/marketing emails/).check();
      await dialog.getByRole("button", { name: "Subscribe" }).click();
      await dialog
        .getByText(/thank|check your inbox/i)
        .first()
        .waitFor({ timeout: 15_000 });

      let body = "";
      for (let i = 0; i < 60 && !body.includes("loop.shopper@example.com"); i++) {
        await new Promise((r) => setTimeout(r, 500));
        body = await (await fetch(`${app.url}/dev/mail`)).text();
      }
      expect(body, app.output().slice(-3000)).toContain("loop.shopper@example.com");
      await page.goto(`${app.url}/dev/mail`, { waitUntil: "networkidle" });
      await page.screenshot({ path: screenshotPath("core-loop-welcome-email.png"), fullPage: true });
    } finally {
      await close();
    }
  });
});

function msUntilWarsaw10(now: Date): number {
  const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Warsaw", hour: "2-digit", hourCycle: "h23" }).format(now));
  const minutes = now.getUTCMinutes();
  const hoursAhead = (10 - hour + 24) % 24;
  return Math.max(0, hoursAhead * 3_600_000 - minutes * 60_000);
}
