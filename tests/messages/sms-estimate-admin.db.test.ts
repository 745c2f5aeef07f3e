import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action, loader } from "~/routes/app.flows";
import { loadFlows } from "~/server/admin/flows.server";
import { flowSmsEstimate, smsAudience } from "~/server/admin/sms-estimate.server";
import { DEMO_SHOP_DOMAIN } from "~/server/config.server";
import { installCatalogue, saveFlowSettings } from "~/server/journeys/flows.server";
import { callRoute } from "../support/http";
import { useTestDatabase } from "../support/db";

// The flows page's SMS estimate on a real database, and the rule that an SMS flow
// goes live only with its cost confirmed, through the page's own action. Outside
// production the admin is the demo shop's merchant (requireAdmin), so the shop
// under test has the demo domain.
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

// n customers; a phone is a prefix, completed to a distinct number per customer.
let seq = 0;
const customer = (shop: string, n: number, { phone, ...data }: Partial<Prisma.CustomerCreateManyInput>): Prisma.CustomerCreateManyInput[] =>
  Array.from({ length: n }, () => ({
    shopId: shop,
    smsConsentState: "subscribed",
    phone: phone ? `${phone}${String(++seq).padStart(2, "0")}` : null,
    ...data,
  }));

const savedAppUrl = process.env.SHOPIFY_APP_URL;
afterAll(() => {
  if (savedAppUrl === undefined) delete process.env.SHOPIFY_APP_URL;
  else process.env.SHOPIFY_APP_URL = savedAppUrl;
});

beforeAll(async () => {
  // Links go out as <app>/s/<code>: the app's URL length decides the segments.
  process.env.SHOPIFY_APP_URL = "https://flowmate.example.com";
  shopId = (
    await prisma().shop.create({
      data: { domain: DEMO_SHOP_DOMAIN, name: "Kawa & Co.", primaryDomain: "kawa-demo.example", locale: "pl", timezone: "Europe/Warsaw" },
    })
  ).id;
  const other = (await prisma().shop.create({ data: { domain: "other-shop.myshopify.com", name: "Other", locale: "pl" } })).id;
  await installCatalogue(shopId);
  await saveFlowSettings(shopId, "abandoned_checkout", { sms: { enabled: true } }, "test", "SMS on");
  const survivor = await prisma().customer.create({
    data: { shopId, phone: "+48600000001", countryCode: "PL", locale: "pl", smsConsentState: "subscribed" },
  });
  await prisma().customer.createMany({
    data: [
      ...customer(shopId, 2, { phone: "+486010001", countryCode: "PL", locale: "pl" }), // + the survivor: 3 Polish
      ...customer(shopId, 2, { phone: "+486010002", countryCode: "PL", locale: "pl", smsConsentState: "unsubscribed" }),
      ...customer(shopId, 1, { phone: "+486010003", countryCode: "PL", locale: "pl", smsConsentState: "not_subscribed" }),
      ...customer(shopId, 2, { phone: "+120255501", countryCode: "US", locale: "en" }),
      ...customer(shopId, 1, { phone: "+120255501", countryCode: null, locale: "en-US" }), // country from the number
      ...customer(shopId, 1, { phone: "+120255501", countryCode: "US", locale: "en", smsConsentState: "unsubscribed" }),
      ...customer(shopId, 1, { phone: null, countryCode: "PL", locale: "pl" }), // nowhere to send
      ...customer(shopId, 1, { phone: "+486010004", countryCode: "PL", locale: "pl", mergedIntoId: survivor.id }), // counted as the survivor
      ...customer(shopId, 1, { phone: "+486010005", countryCode: "PL", locale: "pl", redactedAt: new Date() }),
      ...customer(other, 5, { phone: "+486010006", countryCode: "PL", locale: "pl" }),
    ],
  });
});

const flowStatus = async (key: string) => (await prisma().flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key } } })).status;
const shop = () => prisma().shop.findUniqueOrThrow({ where: { id: shopId } });

describe("SMS cost estimate from the shop's subscribers", () => {
  it("counts the shop's SMS-subscribed customers by country and locale, and nobody else", async () => {
    const groups = await smsAudience(shopId);
    expect(groups.sort((a, b) => `${a.country}${a.locale}`.localeCompare(`${b.country}${b.locale}`))).toEqual([
      { country: "PL", locale: "pl", recipients: 3 },
      { country: "US", locale: "en", recipients: 2 },
      { country: "US", locale: "en-US", recipients: 1 },
    ]);
  });

  it("prices the abandoned checkout SMS for them: Polish in UCS-2, English in GSM-7", async () => {
    const e = (await flowSmsEstimate(await shop(), "abandoned_checkout"))!;
    expect(e.recipients).toBe(6);
    const [sms] = e.steps;
    // With the short link (65 characters) instead of Shopify's recovery URL (about 150):
    // 140 UCS-2 characters in Polish, 138 GSM-7 characters in English.
    expect(sms!.texts.map((t) => [t.language, t.encoding, t.segments, t.recipients])).toEqual([
      ["pl", "UCS-2", 3, 3],
      ["en", "GSM-7", 1, 3],
    ]);
    // 3 segments x 3 x $0.0418 (PL) + 1 segment x 3 x $0.0083 (US)
    expect(sms!.total).toBe(0.4011);
    expect(sms!.byCountry).toEqual([
      { country: "PL", recipients: 3, cost: 0.3762 },
      { country: "US", recipients: 3, cost: 0.0249 },
    ]);
    expect(sms!.per1000).toBe(66.85);
  });

  it("puts the estimate on the flows page for the flow that sends SMS only", async () => {
    const flows = await loadFlows(await shop(), "en");
    expect(flows.filter((f) => f.smsEstimate).map((f) => f.key)).toEqual(["abandoned_checkout"]);
    expect(flows.find((f) => f.key === "abandoned_checkout")!.smsEstimate!.total).toBe(0.4011);
  });
});

describe("turning on a flow that sends SMS", () => {
  const post = (fields: Record<string, string>, search = "") =>
    callRoute(action, new Request(`http://localhost/app/flows${search}`, { method: "POST", body: new URLSearchParams(fields) }));
  const turnedOn = () => prisma().auditLog.findMany({ where: { shopId, action: "flow.on" }, orderBy: { id: "asc" } });

  it("shows the estimate for confirmation first", async () => {
    const page = (await loader({
      request: new Request("http://localhost/app/flows?confirm=abandoned_checkout"),
      params: {},
      context: {},
    })) as {
      confirmKey: string | null;
    };
    expect(page.confirmKey).toBe("abandoned_checkout");
  });

  it("is refused without the confirmation, and the flow stays off", async () => {
    const attempts: Record<string, string>[] = [
      { key: "abandoned_checkout", on: "true" },
      { key: "abandoned_checkout", on: "true", confirmSmsCost: "false" },
    ];
    for (const fields of attempts) {
      const res = await post(fields);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { reason: string }).reason).toBe("sms_cost_unconfirmed");
    }
    expect(await flowStatus("abandoned_checkout")).toBe("off");
    expect(await turnedOn()).toEqual([]);
  });

  it("turns it on with the confirmation and records the estimate confirmed", async () => {
    const res = await post({ key: "abandoned_checkout", on: "true", confirmSmsCost: "true" }, "?confirm=abandoned_checkout&lang=pl");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/app/flows?lang=pl");
    expect(await flowStatus("abandoned_checkout")).toBe("on");
    const [audit] = await turnedOn();
    expect(audit!.details).toMatchObject({
      key: "abandoned_checkout",
      smsCostEstimateConfirmed: { currency: "USD", recipients: 6, total: 0.4011, steps: [{ stepId: "send_sms", total: 0.4011 }] },
    });
    const page = (await loader({
      request: new Request("http://localhost/app/flows?confirm=abandoned_checkout"),
      params: {},
      context: {},
    })) as {
      confirmKey: string | null;
    };
    expect(page.confirmKey).toBeNull(); // already on: nothing to confirm
  });

  it("turns a flow without SMS on and off with no confirmation", async () => {
    expect((await post({ key: "win_back", on: "true" })) as unknown).toEqual({ ok: true });
    expect(await flowStatus("win_back")).toBe("on");
    expect((await post({ key: "abandoned_checkout", on: "false" })) as unknown).toEqual({ ok: true });
    expect(await flowStatus("abandoned_checkout")).toBe("off");
  });
});
