import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as inboundSms } from "~/routes/sms.inbound";
import { startApp, type AppProcess } from "../support/app-process";

// The compliance routes in the production build, served by the real server
// (`npm run demo`): the storefront's signup goes through the app proxy emulation,
// which signs it as Shopify would, into /proxy/subscribe.
describe("compliance routes in the running app", () => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startApp();
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
  });

  it("subscribes through the storefront's app proxy (signed like Shopify signs it)", async () => {
    const body = { email: "e2e.signup@example.com", emailConsent: true, smsConsent: false, source: "signup_popup", locale: "pl" };
    const res = await fetch(`${app.url}/apps/flowmate/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ status: "subscribed" });
    const bad = await fetch(`${app.url}/apps/flowmate/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, email: "nope" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: "email" });
  });

  it("refuses the proxy route when called directly, without Shopify's signature", async () => {
    const res = await fetch(`${app.url}/proxy/subscribe?shop=demo-shop.myshopify.com`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(401);
  });

  it("serves the unsubscribe endpoint: HTML for a browser, plain text for a mail client's one-click POST", async () => {
    const page = await fetch(`${app.url}/u/forged.token`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(400);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain("<!doctype html>");
    const post = await fetch(`${app.url}/u/forged.token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
    expect(post.status).toBe(400);
    expect(await post.text()).toMatch(/^Invalid unsubscribe link: bad_signature/);
  });

  it("refuses an unsigned Twilio webhook (the demo's SMS gateway is its Twilio stand-in)", async () => {
    const res = await fetch(`${app.url}/sms/inbound`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Body=STOP",
    });
    expect(res.status).toBe(403);
  });
});

describe("the inbound SMS webhook without an SMS gateway", () => {
  it("answers 503 while SMS is not configured, so Twilio retries rather than losing the reply", async () => {
    expect(process.env.TWILIO_ACCOUNT_SID).toBeUndefined();
    const res = await inboundSms({
      request: new Request("http://localhost/sms/inbound", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Body=STOP",
      }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(503);
  });
});
