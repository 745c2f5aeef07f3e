import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as proxySubscribe } from "~/routes/proxy.subscribe";
import { action as smsInbound } from "~/routes/sms.inbound";
import { twilioSignature } from "~/server/channels/sms/twilio-signature.server";
import { MAX_TOKEN_LENGTH, signToken, verifyToken } from "~/server/security/signed-token.server";
import { signedAppProxyQuery } from "../../demo/storefront/proxy.server";
import { useTestDatabase } from "../support/db";
import { callRoute } from "../support/http";
import { apiSecret } from "../support/shopify";

// The bounds at the door of the other public endpoints, each refused with a 4xx and a
// reason before anything parses deeper: the app proxy's JSON, Twilio's form, link tokens.
const SHOP = "door.myshopify.com";
const SID = "AC" + "1".repeat(32);
const TOKEN = "door-twilio-token";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, {
    LOG_LEVEL: "silent",
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: TOKEN,
    SMS_API_BASE_URL: "http://127.0.0.1:9",
  });
  await prisma().shop.create({ data: { domain: SHOP, name: "Door", settings: { sms: { fromNumber: "+48732100100" } } } });
  await prisma().session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "s", isOnline: false, accessToken: "shpat_door" } });
});
afterAll(() => {
  for (const k of ["LOG_LEVEL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "SMS_API_BASE_URL"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("bounds at the door", () => {
  it("app proxy: a signed signup nested deeper than its flat form is a 400 with the reason", async () => {
    const query = signedAppProxyQuery(new URLSearchParams(), { shop: SHOP, secret: apiSecret() });
    const deep = `{"email":"a@example.com","consent":true,"x":${"[".repeat(600)}${"]".repeat(600)}}`;
    const res = await callRoute(
      proxySubscribe,
      new Request(`http://localhost/proxy/subscribe?${query}`, {
        method: "POST",
        body: deep,
        headers: { "content-type": "application/json" },
      }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("JSON nested deeper than 4 levels");
    expect(await prisma().customer.count()).toBe(0);
  });

  it("SMS inbound: a correctly signed form with more fields than Twilio sends, or a longer value, is a 400", async () => {
    const url = "http://localhost:3000/sms/inbound";
    const post = (form: URLSearchParams) =>
      callRoute(
        smsInbound,
        new Request(url, {
          method: "POST",
          body: form.toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(TOKEN, url, form) },
        }),
      );
    const base = { AccountSid: SID, To: "+48732100100", From: "+48601000001", Body: "STOP" };
    const wide = new URLSearchParams({ ...base, ...Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`F${i}`, "x"])) });
    const wideRes = await post(wide);
    expect(wideRes.status).toBe(400);
    expect(await wideRes.text()).toMatch(/more fields or longer values/);
    expect((await post(new URLSearchParams({ ...base, Body: "STOP" + "x".repeat(5000) }))).status).toBe(400);
    expect(await prisma().customer.count()).toBe(0);
    // Within the bounds, the same form is handled (a STOP from a new number gets a profile).
    expect((await post(new URLSearchParams(base))).status).toBe(200);
    expect(await prisma().customer.count()).toBe(1);
  });

  it("signed tokens: longer than any we issue is malformed before it is split, hashed or decoded", () => {
    const real = signToken("click", { shopId: "s", customerId: "c", url: "https://door.example/" + "p".repeat(2000) });
    expect(real.length).toBeLessThan(MAX_TOKEN_LENGTH);
    expect(verifyToken("click", real).ok).toBe(true);
    expect(verifyToken("click", real + ".".repeat(MAX_TOKEN_LENGTH))).toEqual({ ok: false, reason: "malformed" });
    const started = performance.now();
    for (let i = 0; i < 1000; i++) verifyToken("click", "a".repeat(1_000_000));
    expect(performance.now() - started).toBeLessThan(200);
  });
});
