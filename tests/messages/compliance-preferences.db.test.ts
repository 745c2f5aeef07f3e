import type { Customer, Shop } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import * as preferencesRoute from "~/routes/preferences.$token";
import { now } from "~/server/clock.server";
import { canSendMarketing, marketingEligibility } from "~/server/compliance/eligibility.server";
import { signToken } from "~/server/security/signed-token.server";
import { useTestDatabase } from "../support/db";
import { callRoute } from "../support/http";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shop: Shop;
let plShop: Shop;

beforeAll(async () => {
  shop = await prisma().shop.create({ data: { domain: "prefs.myshopify.com", name: "North Coffee", locale: "en" } });
  plShop = await prisma().shop.create({ data: { domain: "prefs-pl.myshopify.com", name: "Kawa & Co.", locale: "pl" } });
});

async function subscriber(data: Partial<Customer> = {}, s: Shop = shop): Promise<Customer> {
  return prisma().customer.create({
    data: {
      shopId: s.id,
      email: `c${Math.random().toString(36).slice(2)}@example.com`,
      emailConsentState: "subscribed",
      emailOptInLevel: "single_opt_in",
      emailConsentUpdatedAt: new Date(Date.now() - 86_400_000),
      ...data,
    } as never,
  });
}

const tokenFor = (c: Customer) => signToken("preferences", { shopId: c.shopId, customerId: c.id });
const url = (token: string) => `http://localhost:3000/preferences/${token}`;
const show = (token: string) => callRoute(preferencesRoute.loader, new Request(url(token)), { token });
function change(token: string, fields: [string, string][]) {
  return callRoute(
    preferencesRoute.action,
    new Request(url(token), {
      method: "POST",
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
    { token },
  );
}
const reload = (c: Customer) => prisma().customer.findUniqueOrThrow({ where: { id: c.id } });

describe("preference center /preferences/:token", () => {
  it("shows the topics, ticked unless opted out, and changes nothing on GET", async () => {
    const c = await subscriber({ unsubscribedTopics: ["offers"] });
    const res = await show(tokenFor(c));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/id="topic-newsletter"[^>]*checked/);
    expect(html).not.toMatch(/id="topic-offers"[^>]*checked/);
    expect(html).toMatch(/id="topic-product_news"[^>]*checked/);
    expect(html).toContain("Pause for 30 days");
    expect(html).toContain(`name="token" value="${tokenFor(c)}"`);
    expect(await reload(c)).toMatchObject({ unsubscribedTopics: ["offers"], emailConsentState: "subscribed" });
  });

  it("refuses a POST that does not echo the URL's token (cross-site forgery) and changes nothing", async () => {
    const c = await subscriber();
    const token = tokenFor(c);
    for (const fields of [
      [["intent", "unsubscribe_all"]],
      [
        ["token", "x"],
        ["intent", "unsubscribe_all"],
      ],
    ] as [string, string][][]) {
      const res = await change(token, fields);
      expect(res.status).toBe(403);
    }
    expect(
      (
        await change(token, [
          ["token", token],
          ["intent", "explode"],
        ])
      ).status,
    ).toBe(400);
    expect((await reload(c)).emailConsentState).toBe("subscribed");
    // A valid echo on a token for another customer does not work either.
    const other = await subscriber({}, plShop);
    const forged = signToken("preferences", { shopId: shop.id, customerId: other.id });
    expect(
      (
        await change(forged, [
          ["token", forged],
          ["intent", "unsubscribe_all"],
        ])
      ).status,
    ).toBe(400);
  });

  it("saves topics: unticked ones stop arriving, ticked ones still do", async () => {
    const c = await subscriber();
    const token = tokenFor(c);
    const res = await change(token, [
      ["token", token],
      ["intent", "save_topics"],
      ["topic", "newsletter"],
      ["topic", "bogus"],
    ]);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Your preferences are saved.");
    expect((await reload(c)).unsubscribedTopics).toEqual(["offers", "product_news"]);
    expect(await canSendMarketing(c, "email", now(), { topic: "newsletter" })).toBe(true);
    expect(await marketingEligibility(c, "email", now(), { topic: "offers" })).toEqual({ allowed: false, reason: "topic_opt_out" });
    const audit = await prisma().auditLog.findMany({ where: { subjectId: c.id } });
    expect(audit.map((a) => [a.actor, a.action])).toEqual([["customer", "preferences.topics_updated"]]);
  });

  it("pauses for 30 days instead of leaving, and resumes", async () => {
    const c = await subscriber();
    const token = tokenFor(c);
    const before = now().getTime();
    const res = await change(token, [
      ["token", token],
      ["intent", "pause"],
    ]);
    expect(await res.text()).toMatch(/Done\. You will not hear from us until/);
    const paused = await reload(c);
    expect(paused.emailConsentState).toBe("subscribed"); // still a subscriber
    const days = (paused.marketingPausedUntil!.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(29.99);
    expect(days).toBeLessThan(30.01);
    expect(await marketingEligibility(c, "email")).toEqual({ allowed: false, reason: "paused" });
    // ...and after 30 days mail flows again without anyone doing anything.
    expect(await canSendMarketing(c, "email", new Date(before + 31 * 86_400_000))).toBe(true);
    expect(await (await show(token)).text()).toContain("Resume now");

    await change(token, [
      ["token", token],
      ["intent", "resume"],
    ]);
    expect((await reload(c)).marketingPausedUntil).toBeNull();
    expect(await canSendMarketing(c, "email")).toBe(true);
  });

  it("unsubscribes from everything (email and SMS), with consent history, then resubscribes", async () => {
    const c = await subscriber({ phone: "+48512345678", smsConsentState: "subscribed", smsOptInLevel: "single_opt_in" });
    const token = tokenFor(c);
    const res = await change(token, [
      ["token", token],
      ["intent", "unsubscribe_all"],
    ]);
    expect(await res.text()).toContain("You are unsubscribed from all marketing messages.");
    expect(await reload(c)).toMatchObject({
      emailConsentState: "unsubscribed",
      smsConsentState: "unsubscribed",
      emailConsentSource: "preference_center",
    });
    expect(await canSendMarketing(c, "email")).toBe(false);
    expect(await canSendMarketing(c, "sms")).toBe(false);
    const page = await (await show(token)).text();
    expect(page).toContain("Subscribe again");
    expect(page).not.toContain("Pause for 30 days");

    await change(token, [
      ["token", token],
      ["intent", "resubscribe"],
    ]);
    expect(await reload(c)).toMatchObject({
      emailConsentState: "subscribed",
      emailOptInLevel: "single_opt_in",
      smsConsentState: "unsubscribed",
    });
    const records = await prisma().consentRecord.findMany({ where: { customerId: c.id }, orderBy: { id: "asc" } });
    expect(records.map((r) => [r.channel, r.state, r.source])).toEqual([
      ["email", "unsubscribed", "preference_center"],
      ["sms", "unsubscribed", "preference_center"],
      ["email", "subscribed", "preference_center"],
    ]);
  });

  it("speaks the customer's language, else the shop's", async () => {
    const polishCustomer = await subscriber({ locale: "pl-PL" });
    expect(await (await show(tokenFor(polishCustomer))).text()).toMatch(/lang="pl"[\s\S]*Ustawienia wiadomości[\s\S]*Wstrzymaj na 30 dni/);
    const noLocaleAtPolishShop = await subscriber({}, plShop);
    expect(await (await show(tokenFor(noLocaleAtPolishShop))).text()).toContain("Zapisz ustawienia");
    const englishAtPolishShop = await subscriber({ locale: "en" }, plShop);
    expect(await (await show(tokenFor(englishAtPolishShop))).text()).toContain("Save preferences");
  });
});
