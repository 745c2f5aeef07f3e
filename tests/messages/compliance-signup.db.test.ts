import crypto from "node:crypto";
import type { Shop } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import * as confirmRoute from "~/routes/confirm.$token";
import * as subscribeRoute from "~/routes/proxy.subscribe";
import { readEnv, shopifyCredentials } from "~/server/config.server";
import { canSendMarketing } from "~/server/compliance/eligibility.server";
import { resetShopify } from "~/shopify.server";
import { useTestDatabase } from "../support/db";
import { callRoute } from "../support/http";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const SECRET = shopifyCredentials(readEnv()).apiSecretKey;
const DOI_SHOP = "doi-shop.myshopify.com";
const SOI_SHOP = "soi-shop.myshopify.com";
const NO_SESSION_SHOP = "never-installed.myshopify.com";
let doiShop: Shop;
let soiShop: Shop;

beforeAll(async () => {
  resetShopify(); // its session storage must use this file's database
  const address = { address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850", countryCodeV2: "PL" };
  doiShop = await prisma().shop.create({
    data: { domain: DOI_SHOP, name: "Kawa & Co.", locale: "pl", doubleOptIn: true, postalAddress: address },
  });
  soiShop = await prisma().shop.create({ data: { domain: SOI_SHOP, name: "North Coffee", locale: "en", postalAddress: address } });
  await prisma().shop.create({ data: { domain: NO_SESSION_SHOP, name: "Ghost" } });
  for (const shop of [DOI_SHOP, SOI_SHOP]) {
    await prisma().session.create({
      data: { id: `offline_${shop}`, shop, state: "x", isOnline: false, accessToken: "shpat_test", scope: "write_customers" },
    });
  }
});

/** Shopify's app proxy signature: hex HMAC-SHA256 of the sorted key=value pairs, joined with nothing. */
function signedQuery(shop: string, secret = SECRET): URLSearchParams {
  const q = new URLSearchParams({
    shop,
    logged_in_customer_id: "",
    path_prefix: "/apps/flowmate",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const base = [...q.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join("");
  q.set("signature", crypto.createHmac("sha256", secret).update(base).digest("hex"));
  return q;
}

function subscribe(body: unknown, query: URLSearchParams | string = signedQuery(DOI_SHOP), headers: Record<string, string> = {}) {
  return callRoute(
    subscribeRoute.action,
    new Request(`http://localhost:3000/proxy/subscribe?${query}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

const form = (over: Record<string, unknown> = {}) => ({
  email: "Anna.Nowak@Example.com ",
  emailConsent: true,
  smsConsent: false,
  source: "signup_popup",
  locale: "pl-PL",
  ...over,
});

describe("double opt-in, end to end", () => {
  it("signup -> pending + confirmation email queued -> confirm page (GET changes nothing) -> POST confirms", async () => {
    const res = await subscribe(form({ clientId: "client-abc" }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ status: "pending_confirmation" });

    const customer = await prisma().customer.findFirstOrThrow({ where: { shopId: doiShop.id, email: "anna.nowak@example.com" } });
    expect(customer).toMatchObject({ emailConsentState: "pending", locale: "pl", smsConsentState: "not_subscribed" });
    expect(await canSendMarketing(customer, "email")).toBe(false);

    const messages = await prisma().message.findMany({ where: { shopId: doiShop.id } });
    expect(messages).toHaveLength(1);
    const day = new Date().toISOString().slice(0, 10);
    expect(messages[0]).toMatchObject({
      customerId: customer.id,
      channel: "email",
      purpose: "transactional",
      templateKey: "double_optin_confirm",
      idempotencyKey: `optin:${customer.id}:${day}`,
      toAddress: "anna.nowak@example.com",
      status: "pending",
      locale: "pl",
      subject: "Potwierdź zapis do newslettera Kawa & Co.",
    });
    const confirmUrl = (messages[0]!.payload as { confirmUrl: string }).confirmUrl;
    expect(confirmUrl).toMatch(/^http:\/\/localhost:3000\/confirm\/[\w-]+\.[\w-]+$/);

    const event = await prisma().event.findFirstOrThrow({ where: { shopId: doiShop.id, name: "form_submitted" } });
    expect(event).toMatchObject({ source: "form", customerId: customer.id, clientId: "client-abc" });
    expect(event.data).toEqual({ form: "signup_popup", emailConsent: true, smsConsent: false });
    expect(await prisma().clientIdentity.findFirst({ where: { shopId: doiShop.id, clientId: "client-abc" } })).toMatchObject({
      customerId: customer.id,
    });

    // Submitting again the same day: still pending, still one confirmation email.
    expect(await (await subscribe(form())).json()).toEqual({ status: "pending_confirmation" });
    expect(await prisma().message.count({ where: { shopId: doiShop.id } })).toBe(1);

    const token = confirmUrl.split("/confirm/")[1]!;
    const page = await callRoute(confirmRoute.loader, new Request(confirmUrl), { token });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Tak, zapisz mnie");
    expect(html).toContain(`name="token" value="${token}"`);
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).emailConsentState).toBe("pending");

    const post = (body: string) =>
      callRoute(
        confirmRoute.action,
        new Request(confirmUrl, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } }),
        { token },
      );
    expect((await post("token=forged")).status).toBe(403);
    const done = await post(new URLSearchParams({ token }).toString());
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Dziękujemy za zapis!");

    const confirmed = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(confirmed).toMatchObject({
      emailConsentState: "subscribed",
      emailOptInLevel: "confirmed_opt_in",
      emailConsentSource: "double_opt_in",
    });
    expect(await canSendMarketing(confirmed, "email")).toBe(true);
    const history = await prisma().consentRecord.findMany({ where: { customerId: customer.id }, orderBy: { id: "asc" } });
    expect(history.map((r) => [r.channel, r.state, r.optInLevel, r.source])).toEqual([
      ["email", "pending", null, "form"],
      ["email", "subscribed", "confirmed_opt_in", "double_opt_in"],
    ]);

    // A second confirmation click changes nothing; a later signup does not downgrade it.
    await post(new URLSearchParams({ token }).toString());
    expect(await (await subscribe(form())).json()).toEqual({ status: "subscribed" });
    expect(await prisma().consentRecord.count({ where: { customerId: customer.id } })).toBe(2);
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).emailOptInLevel).toBe("confirmed_opt_in");
  });

  it("refuses an expired or tampered confirmation link", async () => {
    const customer = await prisma().customer.findFirstOrThrow({ where: { shopId: doiShop.id } });
    const { signToken } = await import("~/server/security/signed-token.server");
    const expired = signToken("confirm_optin", { shopId: doiShop.id, customerId: customer.id, exp: Math.floor(Date.now() / 1000) - 1 });
    const res = await callRoute(confirmRoute.loader, new Request(`http://localhost:3000/confirm/${expired}`), { token: expired });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("expired");
    const unsubscribeToken = signToken("unsubscribe", { shopId: doiShop.id, customerId: customer.id });
    expect((await callRoute(confirmRoute.loader, new Request("http://x/"), { token: unsubscribeToken })).status).toBe(400);
  });
});

describe("single opt-in signup", () => {
  it("subscribes email at once (single_opt_in) and SMS only with a valid number read in the shop's country", async () => {
    const res = await subscribe(
      form({ email: "jan@example.com", phone: "512 345 678", smsConsent: true, locale: "en" }),
      signedQuery(SOI_SHOP),
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ status: "subscribed" });
    const c = await prisma().customer.findFirstOrThrow({ where: { shopId: soiShop.id, email: "jan@example.com" } });
    expect(c).toMatchObject({
      phone: "+48512345678",
      emailConsentState: "subscribed",
      emailOptInLevel: "single_opt_in",
      emailConsentSource: "form",
      smsConsentState: "subscribed",
      smsOptInLevel: "single_opt_in",
      smsConsentSource: "form",
    });
    expect(await prisma().message.count({ where: { shopId: soiShop.id } })).toBe(0);
    expect(await canSendMarketing(c, "sms")).toBe(true);
  });

  it("stores the profile but changes no consent when the box is not ticked", async () => {
    const res = await subscribe(form({ email: "maybe@example.com", emailConsent: false }), signedQuery(SOI_SHOP));
    expect(res.status).toBe(201);
    const c = await prisma().customer.findFirstOrThrow({ where: { shopId: soiShop.id, email: "maybe@example.com" } });
    expect(c.emailConsentState).toBe("not_subscribed");
    expect(await prisma().consentRecord.count({ where: { customerId: c.id } })).toBe(0);
    expect(await prisma().event.count({ where: { customerId: c.id, name: "form_submitted" } })).toBe(1);
  });

  it("never moves consent onto another person's profile that shares the device", async () => {
    await subscribe(form({ email: "first@example.com", clientId: "family-laptop" }), signedQuery(SOI_SHOP));
    await subscribe(form({ email: "second@example.com", clientId: "family-laptop" }), signedQuery(SOI_SHOP));
    const first = await prisma().customer.findFirstOrThrow({ where: { shopId: soiShop.id, email: "first@example.com" } });
    const second = await prisma().customer.findFirstOrThrow({ where: { shopId: soiShop.id, email: "second@example.com" } });
    expect(first.id).not.toBe(second.id);
    expect([first.emailConsentState, second.emailConsentState]).toEqual(["subscribed", "subscribed"]);
  });
});

describe("POST /proxy/subscribe: bad input and bad callers", () => {
  it.each([
    ["an invalid email", form({ email: "not-an-email" }), "email", "Podaj prawidłowy adres e-mail"],
    ["a missing email", { ...form(), email: undefined }, "email", "Podaj prawidłowy adres e-mail"],
    ["consent as a string", form({ emailConsent: "yes" }), "emailConsent", "Odśwież stronę"],
    ["a missing smsConsent", { ...form(), smsConsent: undefined }, "smsConsent", "Odśwież stronę"],
    ["SMS consent without a phone", form({ smsConsent: true }), "phone", "Podaj numer telefonu"],
    ["an invalid phone", form({ phone: "12" }), "phone", "Podaj prawidłowy numer telefonu"],
    ["an English shopper's bad email", form({ email: "x@", locale: "en" }), "email", "Enter a valid email address"],
  ])("%s -> 400 with the field", async (_name, body, field, message) => {
    const res = await subscribe(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; field?: string };
    expect(json.field).toBe(field);
    expect(json.error).toContain(message);
  });

  it("400 for an unknown source or a body that is not JSON, 413 for a huge one", async () => {
    expect((await subscribe(form({ source: "iframe" }))).status).toBe(400);
    expect((await subscribe("{nope")).status).toBe(400);
    expect((await subscribe(form({ email: "a".repeat(5000) + "@example.com" }))).status).toBe(413);
  });

  it("refuses an unsigned, tampered or wrongly keyed proxy request, changing nothing", async () => {
    const before = await prisma().customer.count();
    const unsigned = new URLSearchParams({ shop: DOI_SHOP, timestamp: String(Math.floor(Date.now() / 1000)) });
    const tampered = signedQuery(DOI_SHOP);
    tampered.set("shop", SOI_SHOP);
    for (const query of [unsigned, tampered, signedQuery(DOI_SHOP, "another-secret"), ""]) {
      const res = await subscribe(form({ email: "intruder@example.com" }), query);
      expect(res.status, `query "${query}"`).toBe(401);
      expect(await res.json()).toEqual({ error: "Invalid app proxy signature" });
    }
    expect(await prisma().customer.count()).toBe(before);
  });

  it("refuses a correctly signed request from a shop with no stored session", async () => {
    const res = await subscribe(form({ email: "ghost@example.com" }), signedQuery(NO_SESSION_SHOP), {
      "accept-language": "pl-PL,pl;q=0.9",
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "Zapis jest teraz niedostępny." });
    expect(await prisma().customer.count({ where: { email: "ghost@example.com" } })).toBe(0);
  });

  it("slows down one visitor signing up address after address (429 with Retry-After)", async () => {
    const visitor = { "x-forwarded-for": "203.0.113.7, 10.0.0.1" };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await subscribe(form({ email: `bot${i}@example.com` }), signedQuery(SOI_SHOP), visitor)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    const limited = await subscribe(form({ email: "bot9@example.com" }), signedQuery(SOI_SHOP), visitor);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another visitor is not affected.
    expect(
      (await subscribe(form({ email: "human@example.com" }), signedQuery(SOI_SHOP), { "x-forwarded-for": "198.51.100.4" })).status,
    ).toBe(201);
  });

  it("a visitor who writes a new address into X-Forwarded-For each time stays in one bucket", async () => {
    // Shopify's proxy appends the address it saw; what the visitor wrote stays to its left.
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (
          await subscribe(form({ email: `spoof${i}@example.com` }), signedQuery(SOI_SHOP), {
            "x-forwarded-for": `192.0.2.${i}, 203.0.113.77`,
          })
        ).status,
      );
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
  });

  it("answers GET with 405", async () => {
    const res = await callRoute(subscribeRoute.loader, new Request(`http://localhost:3000/proxy/subscribe?${signedQuery(DOI_SHOP)}`));
    expect(res.status).toBe(405);
  });
});
