// Issue 14, finding 6: demo mode (no admin login, the movable clock, the Admin API
// stand-in, public demo secrets) was on whenever NODE_ENV was not "production", so a
// deployment that forgot that variable was wide open. Demo mode is now only what
// `server.ts --demo` asks for; any other start needs the Shopify credentials.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_SECRET } from "~/server/config.server";
import { signToken } from "~/server/security/signed-token.server";
import { runEntry, startApp, type AppProcess } from "../support/app-process";

const SECRET = "no-demo-test-secret";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/** Runs an entry point with a bare environment (PATH and HOME only, plus `env`), and waits for it to exit. */
function runBare(file: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  // No NODE_ENV unless a case sets one: a deployment that forgot it.
  return runEntry(file, {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: "/tmp/flowmate-no-demo-never-used",
    LOG_LEVEL: "warn",
    ...env,
  });
}

describe("a start without --demo and without credentials", () => {
  it.each([
    ["no NODE_ENV", {}],
    ["NODE_ENV=development", { NODE_ENV: "development" }],
    ["NODE_ENV=production", { NODE_ENV: "production" }],
  ])("the web server (%s) exits non-zero naming every missing variable", async (_name, env) => {
    const { code, out } = await runBare("server.ts", env);
    expect(code).toBe(1);
    expect(out).toMatch(/The web server cannot start: SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL are not set/);
    expect(out).toContain("npm run demo");
  });

  it("names only what is missing", async () => {
    const { code, out } = await runBare("server.ts", { SHOPIFY_API_KEY: "k", SHOPIFY_APP_URL: "https://flowmate.example" });
    expect(code).toBe(1);
    expect(out).toMatch(/cannot start: SHOPIFY_API_SECRET is not set/);
  });

  it("the worker exits non-zero too, and needs SMTP_URL besides", async () => {
    const { code, out } = await runBare("worker.ts");
    expect(code).toBe(1);
    expect(out).toMatch(/The worker cannot start: SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL, SMTP_URL are not set/);
  });
});

describe("a server with credentials, started without --demo and without NODE_ENV=production", () => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startApp({
      args: ["--built"],
      env: {
        NODE_ENV: "development",
        SHOPIFY_API_KEY: "no-demo-key",
        SHOPIFY_API_SECRET: SECRET,
        SHOPIFY_APP_URL: "https://flowmate.example",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
  });

  it.each([
    ["GET", "/dev/clock"],
    ["POST", "/dev/clock/advance"],
    ["GET", "/dev/mail"],
    ["GET", "/dev/sms"],
    ["GET", "/dev/storefront"],
    ["POST", "/dev/shopify/demo-shop.myshopify.com/admin/api/2026-10/graphql.json"],
    ["GET", "/apps/flowmate/recommendations"],
  ])("serves no demo route: %s %s is 404", async (method, route) => {
    const res = await fetch(`${app.url}${route}`, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "POST" ? JSON.stringify({ ms: 3_600_000, query: "{ shop { name } }" }) : undefined,
    });
    expect(res.status).toBe(404);
  });

  it("does not let a plain browser into the admin as the demo merchant", async () => {
    const res = await fetch(`${app.url}/app`, { redirect: "manual", headers: { "user-agent": BROWSER } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/auth\/login\b/);
  });

  it("refuses a webhook signed with the demo secret, accepts the app's own", async () => {
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
    expect((await send(DEMO_API_SECRET)).status).toBe(401);
    expect((await send(SECRET)).status).toBe(200);
  });

  it("refuses a link token signed with the demo secret", async () => {
    const claims = { shopId: "shop-x", customerId: "c-1", messageId: "m-1", url: "https://kawa.example.com/products/mug" };
    const follow = (secret: string) => fetch(`${app.url}/t/c/${signToken("click", claims, secret)}`, { redirect: "manual" });
    const forged = await follow(DEMO_API_SECRET);
    expect(forged.status).toBe(400);
    expect(forged.headers.get("location")).toBeNull();
    // TODO(next session): seed a shop in this server's database so a genuine token for
    // it redirects; since the click route checks the link against the shop's hosts, a
    // token naming an unknown shop is refused too, so only the forged half is asserted.
  });
});
