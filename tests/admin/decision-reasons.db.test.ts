// Issue 14, finding 6: a send held by the frequency cap was logged as "quiet hours".
// Real flows, real webhooks, a fake clock: the decision log and the customers page
// must name the rule the send really waits for, and the slot it waits for.
import { beforeAll, describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { customerWhy } from "~/server/admin/customer-why.server";
import { setClock } from "~/server/clock.server";
import { installCatalogue, saveFlowSettings, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { useTestDatabase } from "../support/db";
import { deliver, drainWebhooks } from "../support/webhooks";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const HOUR = 3_600_000;
const subscribed = {
  emailConsentState: "subscribed",
  emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
  smsConsentState: "subscribed",
  smsConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
};

async function settleAt(at: Date) {
  setClock(at);
  await drainWebhooks();
  while ((await routeEvents()).claimed > 0);
  while ((await runDueEnrollments()).claimed > 0);
}

async function checkout(shop: Shop, token: string, email: string, at: Date, phone?: string) {
  setClock(at);
  const iso = at.toISOString();
  await deliver(
    shop.domain,
    "checkouts/create",
    checkoutPayload({ token, email, ...(phone ? { phone } : {}), created_at: iso, updated_at: iso }),
  );
}

async function deferralOf(shop: Shop, email: string) {
  const c = await prisma().customer.findFirstOrThrow({ where: { shopId: shop.id, email } });
  const why = (await customerWhy(shop, c.id, "en"))!;
  const logged = await prisma().decision.findMany({ where: { shopId: shop.id, customerId: c.id, outcome: "defer" } });
  return { shown: why.decisions.filter((d) => d.outcome === "defer"), logged };
}

// Warsaw in winter is UTC+1. Quiet hours are the default 21:00-08:00.
let quiet: Shop;
let smsShop: Shop;

beforeAll(async () => {
  quiet = await prisma().shop.create({
    data: { domain: "reasons.myshopify.com", name: "Reasons", timezone: "Europe/Warsaw", holdoutPercent: 0 },
  });
  // No quiet hours at all (start = end): only the SMS window can hold a text.
  smsShop = await prisma().shop.create({
    data: {
      domain: "reasons-sms.myshopify.com",
      name: "Reasons SMS",
      timezone: "Europe/Warsaw",
      holdoutPercent: 0,
      quietHoursStart: 0,
      quietHoursEnd: 0,
    },
  });
  for (const s of [quiet, smsShop]) {
    await installCatalogue(s.id);
    await setFlowStatus(s.id, "abandoned_checkout", "on", "test");
  }
  await saveFlowSettings(smsShop.id, "abandoned_checkout", { sms: { enabled: true } }, "test", "SMS on");

  const capped = await prisma().customer.create({ data: { shopId: quiet.id, email: "capped@example.com", ...subscribed } });
  await prisma().customer.create({ data: { shopId: quiet.id, email: "night@example.com", ...subscribed } });
  await prisma().customer.create({ data: { shopId: smsShop.id, email: "texter@example.com", phone: "+48601222333", ...subscribed } });

  // A newsletter reached the capped customer at 19:00 local: the 16 h cap frees at 11:00 tomorrow.
  await prisma().message.create({
    data: {
      shopId: quiet.id,
      customerId: capped.id,
      channel: "email",
      purpose: "marketing",
      idempotencyKey: "newsletter-1",
      status: "sent",
      toAddress: "capped@example.com",
      templateKey: "newsletter",
      sentAt: new Date("2026-11-24T18:00:00Z"),
      createdAt: new Date("2026-11-24T18:00:00Z"),
    },
  });
  // The SMS shop's checkout at 17:30 local: the text is due 4 h later, at 21:30.
  await checkout(smsShop, "chk-text", "texter@example.com", new Date("2026-11-24T16:30:00Z"), "+48601222333");
  await settleAt(new Date("2026-11-24T16:30:05Z"));
  await settleAt(new Date("2026-11-24T17:31:00Z")); // its email 1
  // Both abandon a checkout at 20:30 local; the first reminder is due an hour later, 21:30: inside quiet hours.
  await checkout(quiet, "chk-capped", "capped@example.com", new Date("2026-11-24T19:30:00Z"));
  await checkout(quiet, "chk-night", "night@example.com", new Date("2026-11-24T19:30:00Z"));
  await settleAt(new Date("2026-11-24T19:30:05Z"));
  await settleAt(new Date("2026-11-24T20:31:00Z")); // 21:31 local: the reminders, and the text
});

describe("the decision log names the rule a send waits for", () => {
  it("a send held by the frequency cap (at night) is logged as the cap, waiting for the cap's slot, with quiet hours noted", async () => {
    const { shown, logged } = await deferralOf(quiet, "capped@example.com");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ reason: "frequency_cap", stepId: "send_1" });
    expect(logged[0]!.details).toMatchObject({
      until: Date.parse("2026-11-25T10:00:00Z"), // 11:00 Warsaw: 16 h after the newsletter
      rule: { count: 1, windowHours: 16 },
      alsoBlockedBy: ["quiet_hours"],
    });
    expect(shown).toEqual([
      expect.objectContaining({ reason: "frequency_cap", until: "2026-11-25T10:00:00.000Z", alsoBlockedBy: ["quiet_hours"] }),
    ]);
    const e = await prisma().enrollment.findFirstOrThrow({ where: { shopId: quiet.id, customer: { email: "capped@example.com" } } });
    expect(e.nextWakeAt!.toISOString()).toBe("2026-11-25T10:00:00.000Z");
  });

  it("a send held only by quiet hours is logged as quiet hours, waiting for 08:00 local", async () => {
    const { shown, logged } = await deferralOf(quiet, "night@example.com");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ reason: "quiet_hours" });
    expect(logged[0]!.details).toMatchObject({ until: Date.parse("2026-11-25T07:00:00Z"), timeZone: "Europe/Warsaw" });
    expect(logged[0]!.details).not.toHaveProperty("alsoBlockedBy");
    expect(shown).toEqual([expect.objectContaining({ reason: "quiet_hours", until: "2026-11-25T07:00:00.000Z", alsoBlockedBy: [] })]);
  });

  it("a text held by the 08:00-21:00 SMS window (no shop quiet hours) is logged as the SMS window", async () => {
    const { shown, logged } = await deferralOf(smsShop, "texter@example.com");
    expect(logged.map((d) => [d.reason, d.stepId])).toEqual([["sms_window", "send_sms"]]);
    expect(logged[0]!.details).toMatchObject({ channel: "sms", until: Date.parse("2026-11-25T07:00:00Z") });
    expect(shown).toEqual([expect.objectContaining({ reason: "sms_window", channel: "sms", until: "2026-11-25T07:00:00.000Z" })]);
  });

  it("each deferred send goes out at its slot, not before", async () => {
    await settleAt(new Date("2026-11-25T07:00:00Z"));
    const sent = async (shop: Shop, channel: string) =>
      (
        await prisma().message.findMany({
          where: { shopId: shop.id, channel, idempotencyKey: { not: "newsletter-1" } },
          include: { customer: true },
        })
      ).map((m) => m.customer!.email);
    expect((await sent(quiet, "email")).sort()).toEqual(["night@example.com"]);
    expect(await sent(smsShop, "sms")).toEqual(["texter@example.com"]);
    await settleAt(new Date(Date.parse("2026-11-25T10:00:00Z") - HOUR));
    expect((await sent(quiet, "email")).sort()).toEqual(["night@example.com"]);
    await settleAt(new Date("2026-11-25T10:00:00Z"));
    expect((await sent(quiet, "email")).sort()).toEqual(["capped@example.com", "night@example.com"]);
  });
});
