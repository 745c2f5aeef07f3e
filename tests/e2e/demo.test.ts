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

  it("lists the flow catalogue and switches a flow on and off", async () => {
    const { context, close } = await launchBrowser();
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/app/flows`, { waitUntil: "networkidle" });
      const body = await page.textContent("body");
      for (const name of ["Welcome series", "Abandoned checkout", "Win-back"]) expect(body).toContain(name);
      await page.screenshot({ path: screenshotPath("admin-flows-en.png"), fullPage: true });
      const winBack = page.locator("form").filter({ has: page.locator('input[name="key"][value="win_back"]') });
      await winBack.getByRole("button", { name: "Turn on" }).click();
      await winBack.getByRole("button", { name: "Turn off" }).waitFor();
      await winBack.getByRole("button", { name: "Turn off" }).click();
      await winBack.getByRole("button", { name: "Turn on" }).waitFor();
      await page.goto(`${app.url}/app/flows?lang=pl`, { waitUntil: "networkidle" });
      expect(await page.textContent("body")).toContain("Przepływy");
      await page.screenshot({ path: screenshotPath("admin-flows-pl.png"), fullPage: true });
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
