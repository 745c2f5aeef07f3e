import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN } from "../../demo/sms-account";
import { startApp, type AppProcess } from "../support/app-process";

// `npm run build && npm start`: the production server, no demo surfaces.
const SECRET = "prod-test-secret";
const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
let app: AppProcess;
beforeAll(async () => {
  app = await startApp({
    args: [],
    env: {
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "prod-test-key",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://flowmate.example",
    },
  });
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe("production server", () => {
  it.each([
    ["GET", "/dev/clock"],
    ["POST", "/dev/clock/advance"],
    ["GET", "/dev/mail"],
    ["GET", "/dev/storefront"],
    ["POST", "/dev/shopify/demo-shop.myshopify.com/admin/api/2026-10/graphql.json"],
    ["GET", "/dev/sms"],
    ["POST", "/dev/sms"],
    ["POST", `/dev/twilio/2010-04-01/Accounts/${DEMO_TWILIO_ACCOUNT_SID}/Messages.json`],
    ["GET", `/dev/twilio/2010-04-01/Accounts/${DEMO_TWILIO_ACCOUNT_SID}/Messages.json`],
  ])("answers 404 to the demo-only %s %s", async (method, path) => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${DEMO_TWILIO_ACCOUNT_SID}:${DEMO_TWILIO_AUTH_TOKEN}`).toString("base64")}`,
      },
      body: method === "POST" ? JSON.stringify({ ms: 3_600_000, query: "{ shop { name } }" }) : undefined,
    });
    expect(res.status).toBe(404);
  });

  it("does not treat a plain browser visit to /app as the demo merchant", async () => {
    // A browser's user agent: Node's own is a bot to Shopify's library (410 Gone).
    const res = await fetch(`${app.url}/app`, { redirect: "manual", headers: { "user-agent": BROWSER_USER_AGENT } });
    // Shopify's admin authentication: no shop to authenticate, so to the login page.
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/auth\/login\b/);
    expect(await res.text()).not.toContain("Demo mode");
  });

  it("serves /healthz: up and migrated, and nothing about where the database is", async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ status: "ok", database: { ok: true }, migrations: { pending: 0 } });
    expect(text).not.toMatch(/pglite|postgres|flowmate-app-|host|port/i);
  });

  it("accepts a webhook signed with the production secret and refuses the demo secret's signature", async () => {
    const body = JSON.stringify({ id: 1, email: "x@example.com" });
    const send = (secret: string) =>
      fetch(`${app.url}/webhooks/customers/create`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": "customers/create",
          "x-shopify-shop-domain": "prod.myshopify.com",
          "x-shopify-hmac-sha256": crypto.createHmac("sha256", secret).update(body).digest("base64"),
          "x-shopify-webhook-id": crypto.randomUUID(),
          "x-shopify-api-version": "2026-10",
        },
      });
    expect((await send(SECRET)).status).toBe(200);
    expect((await send("demo-api-secret-do-not-use-in-production")).status).toBe(401);
  });
});
