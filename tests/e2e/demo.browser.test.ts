import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SMS_FROM_NUMBER, DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN } from "../../demo/sms-account";
import { DEMO_SHOP, demoCustomers, demoOrders } from "../../demo/seed/demo-shop";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { hasChromium, screenshotPath, withPage } from "../support/browser";
import { startApp, type AppProcess } from "../support/app-process";
import { advanceDemoClock, demoNow, postDemoWebhook, waitForApp } from "../support/demo-app";

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
    expect(body).toMatchObject({ status: "ok", database: { ok: true }, migrations: { pending: 0 } });
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

  it("texts the abandoned checkout reminder through the Twilio stand-in", { timeout: 120_000 }, async () => {
    const customer = demoCustomers().find(
      (c) => c.smsConsent === "subscribed" && c.phone && c.emailConsent === "subscribed" && c.locale === "pl",
    )!;
    // 10:00 in Warsaw, so the SMS, 4 hours after the checkout, is inside the 08:00-21:00 window.
    const start = await advanceDemoClock(app, msUntilWarsaw10(await demoNow(app)));
    const body = JSON.stringify(
      checkoutPayload({
        id: 9818200799001,
        token: "chk-demo-e2e-sms",
        email: customer.email,
        phone: customer.phone,
        created_at: start.toISOString(),
        updated_at: start.toISOString(),
        abandoned_checkout_url: `https://${DEMO_SHOP.domain}/1/checkouts/chk-demo-e2e-sms/recover?key=k`,
      }),
    );
    expect((await postDemoWebhook(app, "checkouts/create", body)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2000)); // the in-process worker stores and routes it
    await advanceDemoClock(app, 3_600_000 + 60_000);
    await waitForApp(app, async () => (await (await fetch(`${app.url}/dev/mail`)).text()).includes(customer.email), "email 1");
    await advanceDemoClock(app, 3 * 3_600_000);
    const auth = `Basic ${Buffer.from(`${DEMO_TWILIO_ACCOUNT_SID}:${DEMO_TWILIO_AUTH_TOKEN}`).toString("base64")}`;
    const list = `${app.url}/dev/twilio/2010-04-01/Accounts/${DEMO_TWILIO_ACCOUNT_SID}/Messages.json?To=${encodeURIComponent(customer.phone!)}`;
    let messages: { sid: string; from: string; to: string; body: string; status: string; num_segments: string }[] = [];
    await waitForApp(
      app,
      async () => {
        messages = ((await (await fetch(list, { headers: { authorization: auth } })).json()) as { messages: typeof messages }).messages;
        return messages.length > 0;
      },
      "the SMS",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ from: DEMO_SMS_FROM_NUMBER, to: customer.phone, status: "queued" });
    expect(messages[0]!.sid).toMatch(/^SM[0-9a-f]{32}$/);
    // The text carries a short tracked link; following it lands on Shopify's recovery URL.
    const short = /https?:\/\/[^\s/]+(\/s\/\S+)/.exec(messages[0]!.body)?.[1];
    expect(short, messages[0]!.body).toBeDefined();
    const hop = await fetch(`${app.url}${short}`, { redirect: "manual" });
    expect(hop.status).toBe(302);
    expect(hop.headers.get("location")).toMatch(/\/checkouts\/chk-demo-e2e-sms\/recover\?key=k&utm_source=flowmate&utm_medium=sms/);
    expect(messages[0]!.body).toMatch(/Rezygnacja: odpisz STOP$/);
    expect(Number(messages[0]!.num_segments)).toBeGreaterThanOrEqual(1);
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
    await withPage(async (page) => {
      await page.goto(`${app.url}/app`, { waitUntil: "networkidle" });
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      expect(await page.textContent("body")).toContain("Kawa & Co. (demo)");
      expect(await page.textContent("body")).toContain("Customer profiles");
      expect(await page.getByText("240", { exact: true }).count()).toBe(1);
      await page.screenshot({ path: screenshotPath("admin-overview-en.png"), fullPage: true });

      await page.goto(`${app.url}/app?lang=pl`, { waitUntil: "networkidle" });
      expect(await page.textContent("body")).toContain("Profile klientów");
      await page.screenshot({ path: screenshotPath("admin-overview-pl.png"), fullPage: true });
    });
  });

  it("sends a test email through the in-process SMTP server and shows it in the mail outbox", async () => {
    await withPage(async (page) => {
      await page.goto(`${app.url}/app`, { waitUntil: "networkidle" });
      await page.getByRole("button", { name: "Send a test email" }).click();
      await page.getByText("Test email sent").waitFor();
      await page.goto(`${app.url}/dev/mail`, { waitUntil: "networkidle" });
      expect(await page.textContent("[data-testid=mail-list]")).toContain("Flowmate test email");
      const frame = page.frameLocator("iframe");
      await frame.getByText("If you can read it, mail delivery works.").waitFor();
      await page.screenshot({ path: screenshotPath("mail-outbox.png"), fullPage: true });
    });
  });

  it("shows the SMS in the SMS outbox, and replies STOP as the customer through Twilio's signed webhook", { timeout: 60_000 }, async () => {
    await withPage(async (page) => {
      await page.goto(`${app.url}/dev/mail`, { waitUntil: "networkidle" });
      await page.getByRole("link", { name: "SMS outbox" }).click();
      await page.getByRole("heading", { name: "SMS outbox" }).waitFor();
      const list = page.getByTestId("sms-list");
      const sent = list.locator('li[data-direction="outbound-api"]');
      expect(await sent.count()).toBe(1);
      expect(await sent.textContent()).toContain(`From: ${DEMO_SMS_FROM_NUMBER} → To: +48`);
      expect(await sent.textContent()).toMatch(/•••\d{3}/);
      expect(await sent.textContent()).toContain("Rezygnacja: odpisz STOP");
      expect(await sent.textContent()).toMatch(/\d segment\(s\), (GSM-7|UCS-2)/);
      await page.screenshot({ path: screenshotPath("sms-outbox.png"), fullPage: true });

      await sent.getByRole("button", { name: "Reply STOP as this customer" }).click();
      await list.locator('li[data-direction="outbound-reply"]').waitFor();
      expect(await list.locator('li[data-direction="inbound"]').textContent()).toContain("/sms/inbound answered 200");
      expect(await list.locator('li[data-direction="outbound-reply"]').textContent()).toContain("wypisano Cie z SMS-ow marketingowych");
      await page.goto(`${app.url}/dev/sms?lang=pl`, { waitUntil: "networkidle" });
      await page.getByRole("heading", { name: "Wysłane SMS-y" }).waitFor();
      await page.screenshot({ path: screenshotPath("sms-outbox-stop-pl.png"), fullPage: true });
    });
  });

  it("lists the flow catalogue and switches a flow on and off", { timeout: 60_000 }, async () => {
    await withPage(async (page) => {
      await page.goto(`${app.url}/app/flows`, { waitUntil: "networkidle" });
      const body = await page.textContent("body");
      for (const name of ["Welcome series", "Abandoned checkout", "Win-back"]) expect(body).toContain(name);
      // The demo's abandoned checkout flow has its SMS reminder on: its card carries the cost estimate.
      const checkout = page.locator('[data-flow="abandoned_checkout"]');
      await checkout.getByText("SMS cost estimate").waitFor();
      expect(await checkout.textContent()).toMatch(/Polish text: \d segments \(UCS-2, \d+ characters\)/);
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
      expect(await checkout.textContent()).toMatch(/Tekst po polsku: \d segment(y|ów) \(UCS-2, \d+ znak(i|ów)\)/);
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
    });
  });

  it("previews a catalogue message with the shop's branding", async () => {
    await withPage(async (page) => {
      await page.goto(`${app.url}/app/preview?template=abandoned_checkout_3&language=pl`, { waitUntil: "networkidle" });
      const frame = page.frameLocator("iframe");
      await frame.getByText("ul. Prosta 12").first().waitFor();
      await page.screenshot({ path: screenshotPath("admin-preview-pl.png"), fullPage: true });
    });
  });
  it(
    "explains on the customers page why the abandoned-checkout customer got their reminders, in English and Polish",
    { timeout: 120_000 },
    async () => {
      // The customer of the SMS test above: entered the flow, then got an email and a text.
      const customer = demoCustomers().find(
        (c) => c.smsConsent === "subscribed" && c.phone && c.emailConsent === "subscribed" && c.locale === "pl",
      )!;
      await withPage(async (page) => {
        await page.goto(`${app.url}/app/customers`, { waitUntil: "networkidle" });
        expect(await page.textContent("body")).toContain("Latest decisions in your shop");
        await page.screenshot({ path: screenshotPath("admin-customers-en.png"), fullPage: true });

        await page.getByLabel("Email, phone or Shopify customer id").fill(customer.email.toUpperCase());
        await page.getByRole("button", { name: "Find" }).click();
        // A client-side navigation: wait for the customer's timeline itself.
        await page.getByRole("heading", { name: "Decisions, newest first" }).waitFor();
        const body = await page.textContent("body");
        expect(body).toContain(customer.email);
        expect(body).toContain("Consent, frequency caps, quiet hours and flow priorities all allowed it.");
        expect(body).toContain("The flow's trigger happened.");
        await page.screenshot({ path: screenshotPath("admin-customer-why-en.png"), fullPage: true });

        await page.goto(`${page.url()}&lang=pl`, { waitUntil: "networkidle" });
        expect(await page.textContent("body")).toContain(
          "Zgoda, limity częstotliwości, godziny ciszy i priorytety przepływów na to pozwoliły.",
        );
        await page.screenshot({ path: screenshotPath("admin-customer-why-pl.png"), fullPage: true });
      });
    },
  );

  it(
    "answers a customer's data request from the privacy page: the JSON download, in English and Polish",
    { timeout: 120_000 },
    async () => {
      const customers = demoCustomers();
      const buyer = customers.find((c) => demoOrders(customers).some((o) => o.customerId === c.id))!;
      const body = JSON.stringify({
        shop_id: 1,
        shop_domain: DEMO_SHOP.domain,
        orders_requested: [],
        customer: { id: buyer.id, email: buyer.email, phone: buyer.phone },
        data_request: { id: 4242 },
      });
      expect((await postDemoWebhook(app, "customers/data_request", body)).status).toBe(200);
      await waitForApp(
        app,
        async () => (await (await fetch(`${app.url}/app/privacy`)).text()).includes("Shopify request 4242"),
        "the data request on the privacy page",
      );

      await withPage(async (page) => {
        await page.goto(`${app.url}/app/privacy`, { waitUntil: "networkidle" });
        expect(await page.textContent("body")).toContain("Profiles found: 1");
        await page.screenshot({ path: screenshotPath("admin-privacy-en.png"), fullPage: true });
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("button", { name: "Download data (JSON)" }).first().click(),
        ]);
        expect(download.suggestedFilename()).toBe("customer-data-4242.json");
        const data = JSON.parse(fs.readFileSync(await download.path(), "utf8")) as {
          profiles: { email: string }[];
          orders: unknown[];
          consentHistory: unknown[];
        };
        expect(data.profiles.map((p) => p.email)).toEqual([buyer.email]);
        expect(data.orders.length).toBeGreaterThan(0);

        await page.goto(`${app.url}/app/privacy?lang=pl`, { waitUntil: "networkidle" });
        expect(await page.textContent("body")).toContain("Wnioski o dane osobowe");
        expect(await page.textContent("body")).toContain("Pobierz dane (JSON)");
        await page.screenshot({ path: screenshotPath("admin-privacy-pl.png"), fullPage: true });
      });
    },
  );
});

function msUntilWarsaw10(now: Date): number {
  const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Warsaw", hour: "2-digit", hourCycle: "h23" }).format(now));
  const hoursAhead = (10 - hour + 24) % 24;
  return Math.max(0, hoursAhead * 3_600_000 - now.getUTCMinutes() * 60_000);
}
