import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser, screenshotPath } from "../support/browser";
import { startApp, type AppProcess } from "../support/app-process";

// The whole product as `npm run demo` starts it: a separate process, real HTTP,
// the embedded database (or PostgreSQL in CI's second pass), a real browser.
let app: AppProcess;
beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe("npm run demo", () => {
  it("reports a healthy database on /healthz", async () => {
    const res = await fetch(`${app.url}/healthz`);
    const body = (await res.json()) as { status: string; database: { kind: string } };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ status: "ok", database: { kind: process.env.DATABASE_URL ? "postgres" : "pglite" } });
  });

  it("advances the dev clock over HTTP", async () => {
    const res = await fetch(`${app.url}/dev/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms: 3_600_000 }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { offsetMs: number }).offsetMs).toBe(3_600_000);
  });

  it("redirects / to the admin", async () => {
    const res = await fetch(`${app.url}/`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/app");
  });
});

describe.skipIf(!hasChromium)("admin in a real browser", () => {
  // The first page load compiles the admin (Vite, on demand): allow for a cold cache.
  it("renders the overview with the seeded shop, in English and Polish", { timeout: 180_000 }, async () => {
    const { context, close } = await launchBrowser();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${app.url}/app`, { waitUntil: "networkidle" });
      await expect(page.getByRole("heading", { name: "Overview" })).toBeTruthy();
      expect(await page.textContent("body")).toContain("Kawa & Co. (demo)");
      expect(await page.textContent("body")).toContain("Customer profiles");
      expect(await page.getByText("240", { exact: true }).count()).toBe(1);
      await page.screenshot({ path: screenshotPath("admin-overview-en.png"), fullPage: true });

      await page.goto(`${app.url}/app?lang=pl`, { waitUntil: "networkidle" });
      expect(await page.textContent("body")).toContain("Profile klientów");
      await page.screenshot({ path: screenshotPath("admin-overview-pl.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("sends a test email through the in-process SMTP server and shows it in the mail outbox", async () => {
    const { context, close } = await launchBrowser();
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/app`, { waitUntil: "networkidle" });
      await page.getByRole("button", { name: "Send a test email" }).click();
      await page.getByText("Test email sent").waitFor();
      await page.goto(`${app.url}/dev/mail`, { waitUntil: "networkidle" });
      expect(await page.textContent("[data-testid=mail-list]")).toContain("Flowmate test email");
      const frame = page.frameLocator("iframe");
      await frame.getByText("If you can read it, mail delivery works.").waitFor();
      await page.screenshot({ path: screenshotPath("mail-outbox.png"), fullPage: true });
    } finally {
      await close();
    }
  });

  it("lists the flow catalogue and switches a flow on and off", { timeout: 60_000 }, async () => {
    const { context, close } = await launchBrowser();
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/app/flows`, { waitUntil: "networkidle" });
      const body = await page.textContent("body");
      for (const name of ["Welcome series", "Abandoned checkout", "Win-back"]) expect(body).toContain(name);
      // The demo's abandoned checkout flow has its SMS reminder on: its card carries the cost estimate.
      const checkout = page.locator('[data-flow="abandoned_checkout"]');
      await checkout.getByText("SMS cost estimate").waitFor();
      expect(await checkout.textContent()).toMatch(/Polish text: 4 segments \(UCS-2, \d+ characters\)/);
      expect(await checkout.textContent()).toMatch(/\d+ SMS subscribers → ~\$\d+\.\d\d if each receives it once/);
      expect(await checkout.textContent()).toContain("list prices, in USD");
      expect(await page.locator('[data-flow="welcome"]').textContent()).not.toContain("SMS cost estimate");
      await page.screenshot({ path: screenshotPath("admin-flows-en.png"), fullPage: true });
      const winBack = page.locator("form").filter({ has: page.locator('input[name="key"][value="win_back"]') });
      await winBack.getByRole("button", { name: "Turn on" }).click();
      await winBack.getByRole("button", { name: "Turn off" }).waitFor();
      await winBack.getByRole("button", { name: "Turn off" }).click();
      await winBack.getByRole("button", { name: "Turn on" }).waitFor();

      // An SMS flow goes live only after its estimate was shown and confirmed.
      await checkout.getByRole("button", { name: "Turn off" }).click();
      await checkout.getByRole("link", { name: "Turn on" }).click();
      const confirmation = page.getByTestId("sms-confirmation");
      await confirmation.getByText("Turn on “Abandoned checkout”? It sends SMS.").waitFor();
      expect(await confirmation.textContent()).toMatch(/SMS subscribers → ~\$/);
      expect(await checkout.getByText("Off", { exact: true }).count()).toBe(1);
      await page.screenshot({ path: screenshotPath("admin-flows-sms-confirm-en.png"), fullPage: true });
      await confirmation.getByRole("button", { name: "Turn on and accept the SMS cost" }).click();
      await checkout.getByRole("button", { name: "Turn off" }).waitFor();
      expect(await page.getByTestId("sms-confirmation").count()).toBe(0);
      expect(new URL(page.url()).searchParams.has("confirm")).toBe(false);

      await page.goto(`${app.url}/app/flows?lang=pl`, { waitUntil: "networkidle" });
      expect(await page.textContent("body")).toContain("Przepływy");
      expect(await checkout.textContent()).toMatch(/Tekst po polsku: 4 segmenty \(UCS-2, \d+ znak(i|ów)\)/);
      expect(await checkout.textContent()).toMatch(/Subskrybenci SMS: \d+ → ok\. \d+,\d\d\s*USD/);
      await page.screenshot({ path: screenshotPath("admin-flows-pl.png"), fullPage: true });
      await checkout.getByRole("button", { name: "Wyłącz" }).click();
      await checkout.getByRole("link", { name: "Włącz" }).click();
      await page.getByTestId("sms-confirmation").getByText("Włączyć „Porzucony checkout”? Ten przepływ wysyła SMS-y.").waitFor();
      await page.screenshot({ path: screenshotPath("admin-flows-sms-confirm-pl.png"), fullPage: true });
      await page.getByTestId("sms-confirmation").getByRole("link", { name: "Anuluj" }).click();
      await checkout.getByRole("link", { name: "Włącz" }).waitFor();
      expect(await page.getByTestId("sms-confirmation").count()).toBe(0);
      expect(await checkout.getByText("Wyłączony", { exact: true }).count()).toBe(1);
    } finally {
      await close();
    }
  });

  it("previews a catalogue message with the shop's branding", async () => {
    const { context, close } = await launchBrowser();
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/app/preview?template=abandoned_checkout_3&language=pl`, { waitUntil: "networkidle" });
      const frame = page.frameLocator("iframe");
      await frame.getByText("ul. Prosta 12").first().waitFor();
      await page.screenshot({ path: screenshotPath("admin-preview-pl.png"), fullPage: true });
    } finally {
      await close();
    }
  });
});
