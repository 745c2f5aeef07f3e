// A send step switched from email to SMS on the flow page, through the real runner and
// dispatcher: on a flow that is on, the switch waits for its SMS cost to be confirmed;
// it is then a new version (audited with "Email 2: channel: email → SMS" and the
// confirmed estimate), the next entrant gets that message as an SMS, which Twilio (its double)
// receives, and an enrollment already running on the old version still gets its email.
// Switching back restores the email the step had.
import type { Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFlowDetail, saveFlowEdits } from "~/server/admin/flow-detail.server";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { createShop } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";
import { useTestDatabase } from "../support/db";
import { twilioDouble } from "../support/twilio-double";
import { deliver, drainWebhooks } from "../support/webhooks";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const twilio = twilioDouble();
const savedEnv = { ...process.env };
let smtp: SmtpTestServer;
let shop: Shop;

const consented = (email: string, phone: string) => ({
  email,
  phone,
  emailConsentState: "subscribed",
  emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
  smsConsentState: "subscribed",
  smsOptInLevel: "single_opt_in",
  smsConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
});

async function settleAt(at: Date) {
  setClock(at);
  await drainWebhooks();
  while ((await routeEvents()).claimed > 0);
  while ((await runDueEnrollments()).claimed > 0);
  await dispatchDueMessages(`w-${at.toISOString()}`, 50);
}

async function checkout(token: string, email: string, at: Date) {
  setClock(at);
  const iso = at.toISOString();
  await deliver(shop.domain, "checkouts/create", checkoutPayload({ token, email, created_at: iso, updated_at: iso }));
}

const sent = async (email: string) =>
  (
    await prisma().message.findMany({
      where: { shopId: shop.id, customer: { email } },
      orderBy: { createdAt: "asc" },
      select: { stepId: true, channel: true, status: true, toAddress: true },
    })
  ).map((m) => `${m.stepId}:${m.channel}:${m.status}`);

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  await twilio.start();
  Object.assign(process.env, twilio.env());
  // 10:00 in Warsaw: inside quiet hours' allowed window for both channels; holdout 0 so every entrant is treated.
  shop = await createShop(prisma(), {
    domain: "channel.myshopify.com",
    name: "Kanał",
    timezone: "Europe/Warsaw",
    holdoutPercent: 0,
    settings: { sms: { fromNumber: "+48732100200" } },
  });
  await prisma().session.create({
    data: { id: "offline_channel.myshopify.com", shop: shop.domain, state: "x", isOnline: false, accessToken: "shpat_test" },
  });
  await installCatalogue(shop.id);
  await setFlowStatus(shop.id, "abandoned_checkout", "on", "test");
  await prisma().customer.create({ data: { shopId: shop.id, ...consented("early@example.com", "+48601000101") } as never });
  await prisma().customer.create({ data: { shopId: shop.id, ...consented("later@example.com", "+48601000102") } as never });
});
afterAll(async () => {
  for (const k of Object.keys(twilio.env())) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  await twilio.close();
  await smtp?.close();
});

describe("switching email 2 of abandoned checkout to SMS", () => {
  it("the next entrant gets an SMS through Twilio; the enrollment on the old version gets its email", async () => {
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId: shop.id, key: "abandoned_checkout" } });
    await checkout("chk-early", "early@example.com", new Date("2026-11-24T09:00:00Z"));
    await settleAt(new Date("2026-11-24T09:00:05Z"));
    const early = await prisma().enrollment.findFirstOrThrow({
      where: { shopId: shop.id, customer: { email: "early@example.com" } },
      include: { flowVersion: true },
    });
    expect(early.flowVersion.version).toBe(1);

    // The flow is on: as when an SMS flow is turned on, the texts' cost is shown and confirmed first.
    const toSms = { "send/send_2/channel": "sms" };
    const unconfirmed = await saveFlowEdits(shop, flow.id, toSms, "merchant", "Text them instead");
    expect(unconfirmed).toMatchObject({
      ok: false,
      errors: {},
      smsCost: { recipients: 2, steps: [{ stepId: "send_2" }] },
      smsCostFor: "send_2",
    });
    expect(await prisma().flowVersion.count({ where: { flowId: flow.id } })).toBe(1);
    // A confirmation covers the switches it priced: one more message made an SMS is priced again.
    const more = await saveFlowEdits(shop, flow.id, { ...toSms, "send/send_1/channel": "sms" }, "merchant", undefined, "en", {
      confirmSmsCost: "send_2",
    });
    expect(more).toMatchObject({ ok: false, smsCostFor: "send_1,send_2" });
    expect(await prisma().flowVersion.count({ where: { flowId: flow.id } })).toBe(1);
    const saved = await saveFlowEdits(shop, flow.id, toSms, "merchant", "Text them instead", "en", { confirmSmsCost: "send_2" });
    expect(saved).toEqual({ ok: true, version: 2 });
    const audit = await prisma().auditLog.findFirstOrThrow({
      where: { shopId: shop.id, action: "flow.version_created", subjectId: flow.id },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({ actor: "merchant" });
    expect(audit.details).toMatchObject({
      version: 2,
      fromVersion: 1,
      note: "Text them instead",
      contentEdit: {
        channelSwitches: [{ stepId: "send_2", to: "sms" }],
        smsCostEstimateConfirmed: { recipients: 2, steps: [{ stepId: "send_2" }] },
      },
    });
    expect((audit.details as { changes: string[] }).changes).toEqual(
      expect.arrayContaining(["Consent needed to enter: Email marketing → Email or SMS marketing", "Email 2: channel: email → SMS"]),
    );
    const detail = (await loadFlowDetail(shop, flow.id, "pl"))!;
    expect(detail.history[0]!.diff!.map((l) => `${l.label}: ${l.before} → ${l.after}`)).toContain("E-mail 2: kanał: e-mail → SMS");
    expect(detail.timeline.filter((r) => r.kind === "send").map((r) => r.channel)).toEqual(["email", "sms", "email", "email"]);

    await checkout("chk-later", "later@example.com", new Date("2026-11-24T09:10:00Z"));
    await settleAt(new Date("2026-11-24T09:10:05Z"));
    const later = await prisma().enrollment.findFirstOrThrow({
      where: { shopId: shop.id, customer: { email: "later@example.com" } },
      include: { flowVersion: true },
    });
    expect(later.flowVersion.version).toBe(2);

    await settleAt(new Date("2026-11-24T10:15:00Z")); // email 1 for both
    await settleAt(new Date("2026-11-25T09:15:00Z")); // message 2, 24 h after each checkout
    expect(await sent("early@example.com")).toEqual(["send_1:email:sent", "send_2:email:sent"]);
    expect(await sent("later@example.com")).toEqual(["send_1:email:sent", "send_2:sms:sent"]);

    const texts = twilio.received.map((r) => ({ to: r.form.get("To"), body: r.form.get("Body") ?? "" }));
    expect(texts).toHaveLength(1);
    expect(texts[0]!.to).toBe("+48601000102");
    expect(texts[0]!.body).toContain("Kanał: your order is waiting. Finish it here:");
    const mails = smtp.received.map((m) => m.envelopeTo.join(","));
    expect(mails.filter((to) => to === "early@example.com")).toHaveLength(2);
    expect(mails.filter((to) => to === "later@example.com")).toHaveLength(1);
  });

  it("switching back restores the email the step had, and entry consent follows", async () => {
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId: shop.id, key: "abandoned_checkout" } });
    const saved = await saveFlowEdits(shop, flow.id, { "send/send_2/channel": "email" }, "merchant", undefined);
    expect(saved).toEqual({ ok: true, version: 3 });
    const [v1, v3] = await Promise.all(
      [1, 3].map((version) => prisma().flowVersion.findFirstOrThrow({ where: { flowId: flow.id, version } })),
    );
    type Def = { steps: { id: string }[]; entry: unknown };
    const step = (d: unknown) => (d as Def).steps.find((s) => s.id === "send_2");
    expect(step(v3!.definition)).toEqual(step(v1!.definition));
    expect((v3!.definition as Def).entry).toEqual((v1!.definition as Def).entry);
  });

  it("another shop's flow id is not found and changes nothing", async () => {
    const other = await createShop(prisma());
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId: shop.id, key: "abandoned_checkout" } });
    const before = await prisma().flowVersion.count({ where: { flowId: flow.id } });
    expect(await saveFlowEdits(other, flow.id, { "send/send_2/channel": "sms" }, "merchant", undefined)).toBeNull();
    expect(await prisma().flowVersion.count({ where: { flowId: flow.id } })).toBe(before);
  });
});
