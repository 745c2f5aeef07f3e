import type { Customer, Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as standinRoute from "../../demo/routes/admin-api-graphql";
import * as unsubscribeRoute from "~/routes/u.$token";
import { resetStandin, standinCalls, standinCustomer } from "../../demo/standins/admin-api.server";
import { canSendMarketing, marketingEligibility, messageEligibility } from "~/server/compliance/eligibility.server";
import { syncPendingConsentToShopify } from "~/server/compliance/consent-sync.server";
import { signToken } from "~/server/security/signed-token.server";
import { useTestDatabase } from "../support/db";
import { callRoute, serveRoutes } from "../support/http";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let standin: Awaited<ReturnType<typeof serveRoutes>>;
let shop: Shop;
let otherShop: Shop;
let anna: Customer; // known to Shopify (standin customer 7000000001)
let piotr: Customer;
let stranger: Customer; // a customer of the other shop
let messageId: string;

const SHOP = "unsub-shop.myshopify.com";
const standinOrigin = () => `${standin.url}/dev/shopify`;

beforeAll(async () => {
  resetStandin();
  standin = await serveRoutes({ "/dev/shopify/:shop/admin/api/:version/graphql.json": standinRoute });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = standinOrigin();
  const at = new Date(Date.now() - 86_400_000);
  shop = await prisma().shop.create({ data: { domain: SHOP, name: "Kawa & Co.", locale: "pl", branding: { primaryColor: "#6f4e37" } } });
  otherShop = await prisma().shop.create({ data: { domain: "other-shop.myshopify.com", name: "Other" } });
  await prisma().session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "x", isOnline: false, accessToken: "shpat_test" } });
  const subscribed = {
    emailConsentState: "subscribed",
    emailOptInLevel: "single_opt_in",
    emailConsentUpdatedAt: at,
    smsConsentState: "subscribed",
    smsConsentUpdatedAt: at,
  };
  anna = await prisma().customer.create({
    data: {
      shopId: shop.id,
      shopifyCustomerId: 7000000001n,
      email: "ewa.krawczyk.1@example.com",
      phone: "+48601000000",
      locale: "pl",
      ...subscribed,
    },
  });
  piotr = await prisma().customer.create({ data: { shopId: shop.id, email: "piotr@example.com", locale: "en", ...subscribed } });
  stranger = await prisma().customer.create({ data: { shopId: otherShop.id, email: "x@example.com", ...subscribed } });
  const message = await prisma().message.create({
    data: {
      shopId: shop.id,
      customerId: anna.id,
      channel: "email",
      idempotencyKey: "welcome:1",
      toAddress: anna.email!,
      templateKey: "welcome_1",
    },
  });
  messageId = message.id;
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await standin.close();
});

const url = (token: string) => `http://localhost:3000/u/${token}`;
const oneClick = (token: string, headers: Record<string, string> = {}) =>
  callRoute(
    unsubscribeRoute.action,
    new Request(url(token), {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    }),
    { token },
  );
const open = (token: string) =>
  callRoute(unsubscribeRoute.loader, new Request(url(token), { headers: { accept: "text/html" } }), { token });
const reload = (c: Customer) => prisma().customer.findUniqueOrThrow({ where: { id: c.id } });
const history = (c: Customer) => prisma().consentRecord.findMany({ where: { customerId: c.id }, orderBy: { id: "asc" } });

describe("one-click unsubscribe (RFC 8058) at /u/:token", () => {
  it("GET shows a confirmation page and changes nothing (link scanners prefetch GETs)", async () => {
    const token = signToken("unsubscribe", { shopId: shop.id, customerId: anna.id, messageId, channel: "email" });
    for (let i = 0; i < 3; i++) {
      const res = await open(token);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("cache-control")).toBe("no-store");
      const html = await res.text();
      expect(html).toContain('<html lang="pl">');
      expect(html).toContain("Kawa &amp; Co.");
      expect(html).toContain(`<form method="post" action="/u/${token}">`);
      expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
      expect(html).toContain("ew•••@example.com"); // masked, never the full address
      expect(html).not.toContain("ewa.krawczyk.1@example.com");
      expect(html).toMatch(/action="\/preferences\/[^"]+"/); // the preference options
    }
    expect((await reload(anna)).emailConsentState).toBe("subscribed");
    expect(await history(anna)).toHaveLength(0);
    expect(await canSendMarketing(anna, "email")).toBe(true);
  });

  it("POST unsubscribes, answers 200 without a redirect, and the very next send is suppressed", async () => {
    const token = signToken("unsubscribe", { shopId: shop.id, customerId: anna.id, messageId, channel: "email" });
    const res = await oneClick(token);
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    expect((await res.text()).trim()).toBe("Unsubscribed");

    const after = await reload(anna);
    expect(after).toMatchObject({
      emailConsentState: "unsubscribed",
      emailConsentSource: "unsubscribe_link",
      smsConsentState: "subscribed",
    });
    const records = await history(anna);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ channel: "email", state: "unsubscribed", source: "unsubscribe_link" });
    expect(records[0]!.evidence).toMatchObject({ messageId, via: "one_click", applied: true });
    const events = await prisma().messageEvent.findMany({ where: { messageId } });
    expect(events.map((e) => e.type)).toEqual(["unsubscribed"]);

    // The engine-independent check the outbox dispatcher asks right before sending.
    expect(await canSendMarketing(anna, "email")).toBe(false);
    expect(await marketingEligibility(anna, "email")).toEqual({ allowed: false, reason: "no_consent" });
    const message = await prisma().message.findUniqueOrThrow({ where: { id: messageId } });
    expect(await messageEligibility(message)).toEqual({ allowed: false, reason: "no_consent" });
    // SMS is another channel and untouched.
    expect(await canSendMarketing(anna, "sms")).toBe(true);
  });

  it("writes the unsubscribe back to Shopify's email marketing consent", async () => {
    expect(standinCustomer("gid://shopify/Customer/7000000001")?.emailMarketingConsent.marketingState).toBe("UNSUBSCRIBED");
    const call = standinCalls().find((c) => c.operation === "FlowmateEmailConsentUpdate");
    expect(call?.shop).toBe(SHOP);
    expect(call?.variables).toMatchObject({
      input: { customerId: "gid://shopify/Customer/7000000001", emailMarketingConsent: { marketingState: "UNSUBSCRIBED" } },
    });
    const rows = await prisma().auditLog.findMany({ where: { shopId: shop.id, subjectId: anna.id } });
    expect(rows.map((r) => r.action)).toEqual(["consent.synced"]);
  });

  it("is idempotent: a second POST succeeds and adds nothing", async () => {
    const token = signToken("unsubscribe", { shopId: shop.id, customerId: anna.id, messageId, channel: "email" });
    const calls = standinCalls().length;
    const res = await oneClick(token);
    expect(res.status).toBe(200);
    expect(await history(anna)).toHaveLength(1);
    expect(await prisma().messageEvent.count({ where: { messageId } })).toBe(1);
    expect(standinCalls().length).toBe(calls);
    // ...and the page now says so, still without changing anything.
    expect(await (await open(token)).text()).toMatch(/Wypisano Cię z listy/);
  });

  it("refuses a tampered token, one for another shop or customer, and one for another purpose: 400, nothing changed", async () => {
    const good = signToken("unsubscribe", { shopId: shop.id, customerId: piotr.id, channel: "email" });
    const [body, mac] = good.split(".") as [string, string];
    const forgedBody = Buffer.from(JSON.stringify({ shopId: shop.id, customerId: anna.id, channel: "email" })).toString("base64url");
    const cases: [string, string][] = [
      [`${forgedBody}.${mac}`, "bad_signature"], // claims edited, old signature
      [`${body}.${mac.slice(0, -2)}${mac.endsWith("xx") ? "yy" : "xx"}`, "bad_signature"],
      ["not-a-token", "malformed"],
      [signToken("unsubscribe", { shopId: otherShop.id, customerId: piotr.id }), "unknown_customer"], // piotr is not a customer there
      [signToken("unsubscribe", { shopId: shop.id, customerId: stranger.id }), "unknown_customer"], // another shop's customer
      [signToken("unsubscribe", { shopId: "no-such-shop", customerId: piotr.id }), "unknown_shop"],
      [signToken("preferences", { shopId: shop.id, customerId: piotr.id }), "bad_signature"], // keys differ per purpose
      [signToken("unsubscribe", { shopId: shop.id, customerId: piotr.id }, "another-secret"), "bad_signature"],
    ];
    for (const [token, reason] of cases) {
      const res = await oneClick(token);
      expect(res.status, token).toBe(400);
      expect(await res.text()).toContain(reason);
      const page = await open(token);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain("This link does not work");
    }
    expect((await reload(piotr)).emailConsentState).toBe("subscribed");
    expect((await reload(stranger)).emailConsentState).toBe("subscribed");
    expect(await history(piotr)).toHaveLength(0);
  });

  it("needs the one-click body: an empty POST changes nothing", async () => {
    const token = signToken("unsubscribe", { shopId: shop.id, customerId: piotr.id, channel: "email" });
    const res = await callRoute(unsubscribeRoute.action, new Request(url(token), { method: "POST" }), { token });
    expect(res.status).toBe(400);
    expect((await reload(piotr)).emailConsentState).toBe("subscribed");
  });

  it("answers a browser's form POST with a page (multipart bodies too), unsubscribing the link's channel only", async () => {
    const token = signToken("unsubscribe", { shopId: shop.id, customerId: piotr.id, channel: "sms" });
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    const res = await callRoute(
      unsubscribeRoute.action,
      new Request(url(token), { method: "POST", body: form, headers: { accept: "text/html" } }),
      { token },
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("You are unsubscribed");
    expect(html).toContain("text messages");
    expect(await reload(piotr)).toMatchObject({ smsConsentState: "unsubscribed", emailConsentState: "subscribed" });
    // No Shopify customer id: nothing to write back, nothing queued.
    expect(await prisma().auditLog.count({ where: { subjectId: piotr.id } })).toBe(0);
  });

  it("acts on the surviving profile when the link's customer was merged since", async () => {
    const survivor = await prisma().customer.create({
      data: { shopId: shop.id, email: "merged@example.com", emailConsentState: "subscribed" },
    });
    const loser = await prisma().customer.create({ data: { shopId: shop.id, mergedIntoId: survivor.id, emailConsentState: "subscribed" } });
    const res = await oneClick(signToken("unsubscribe", { shopId: shop.id, customerId: loser.id, channel: "email" }));
    expect(res.status).toBe(200);
    expect((await reload(survivor)).emailConsentState).toBe("unsubscribed");
  });
});

describe("consent write-back queue", () => {
  it("keeps a failed write-back pending and completes it on a later run", async () => {
    const c = await prisma().customer.create({
      data: {
        shopId: shop.id,
        shopifyCustomerId: 7000000004n,
        email: "later@example.com",
        emailConsentState: "subscribed",
        emailOptInLevel: "single_opt_in",
      },
    });
    process.env.SHOPIFY_ADMIN_API_ORIGIN = "http://127.0.0.1:9/unreachable";
    try {
      expect((await oneClick(signToken("unsubscribe", { shopId: shop.id, customerId: c.id, channel: "email" }))).status).toBe(200);
    } finally {
      process.env.SHOPIFY_ADMIN_API_ORIGIN = standinOrigin();
    }
    // The shopper's unsubscribe stands whatever Shopify did.
    expect((await reload(c)).emailConsentState).toBe("unsubscribed");
    const [pending] = await prisma().auditLog.findMany({ where: { subjectId: c.id } });
    expect(pending).toMatchObject({ action: "consent.sync_pending" });
    expect(pending!.details).toMatchObject({ channel: "email", attempts: 1 });

    // Not due yet: the backoff holds it.
    expect(await syncPendingConsentToShopify({ customerId: c.id })).toMatchObject({ synced: 0 });
    const later = new Date(Date.now() + 10 * 60_000);
    expect(await syncPendingConsentToShopify({ now: later })).toMatchObject({ synced: 1, failed: 0 });
    expect((await prisma().auditLog.findUniqueOrThrow({ where: { id: pending!.id } })).action).toBe("consent.synced");
    expect(standinCustomer("gid://shopify/Customer/7000000004")?.emailMarketingConsent.marketingState).toBe("UNSUBSCRIBED");
  });

  it("gives up on a customer Shopify does not know (userErrors are final)", async () => {
    const c = await prisma().customer.create({
      data: { shopId: shop.id, shopifyCustomerId: 123n, email: "gone@example.com", emailConsentState: "subscribed" },
    });
    await oneClick(signToken("unsubscribe", { shopId: shop.id, customerId: c.id, channel: "email" }));
    const [row] = await prisma().auditLog.findMany({ where: { subjectId: c.id } });
    expect(row).toMatchObject({ action: "consent.sync_failed" });
    expect(row!.details).toMatchObject({ lastError: "Customer not found" });
  });
});
