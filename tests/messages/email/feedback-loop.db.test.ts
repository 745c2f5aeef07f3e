// The feedback loop end to end: an email goes out through the real outbox to a real
// SMTP server; the message it received is wrapped in a real ARF complaint or DSN
// bounce report (nodemailer's MIME builder) and posted raw to /feedback/<token>.
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import type { Customer, Shop } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action as feedbackAction, loader as feedbackLoader } from "~/routes/feedback.$token";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { MAX_REPORT_BYTES } from "~/server/compliance/feedback/feedback-endpoint.server";
import { resetPublicLimits } from "~/server/http/public-limits.server";
import { ANY_SHOP, FEEDBACK_HEADER, feedbackInboxToken, readFeedbackHeader } from "~/server/security/feedback-tokens.server";
import { useTestDatabase } from "../../support/db";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";
import { arfReport, dsnReport, headersOf } from "./support/reports";
import { startSmtpTestServer, type SmtpTestServer } from "./support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let shop: Shop;
let other: Shop;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  shop = await createShop(prisma());
  other = await createShop(prisma());
});
afterAll(async () => smtp?.close());
beforeEach(() => resetPublicLimits());

/** One email through the real outbox and SMTP: the raw message the server received. */
async function deliver(onShop: Shop, customer: Customer, overrides: Parameters<typeof enqueueEmail>[3] = {}) {
  const message = await enqueueEmail(prisma(), onShop.id, customer, overrides);
  const result = await dispatchDueMessages("test-worker");
  expect(result).toMatchObject({ sent: 1 });
  const mail = smtp.received.at(-1)!;
  expect(mail.envelopeTo).toEqual([customer.email]);
  return { raw: mail.raw, messageId: message.id };
}

async function post(token: string, body: Buffer | string, contentType = "message/rfc822", ip = "203.0.113.7") {
  const request = new Request(`https://app.flowmate.test/feedback/${token}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  const res = await feedbackAction({ request, params: { token }, context: { remoteAddress: ip } });
  const text = await res.text();
  // The 429 is the shared limiter's plain text.
  return { status: res.status, body: (res.status === 429 ? { error: text } : JSON.parse(text)) as Record<string, string> };
}

/** Every row a report could write, for "nothing written" checks. */
async function rows() {
  const [events, suppressions, consent, decisions, audit, customers] = await Promise.all([
    prisma().messageEvent.findMany({ orderBy: { id: "asc" } }),
    prisma().suppression.findMany({ orderBy: { id: "asc" } }),
    prisma().consentRecord.findMany({ orderBy: { id: "asc" } }),
    prisma().decision.findMany({ orderBy: { id: "asc" } }),
    prisma().auditLog.findMany({ orderBy: { id: "asc" } }),
    prisma().customer.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ events, suppressions, consent, decisions, audit, customers }, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}

const shopToken = () => feedbackInboxToken(shop.id);

describe("feedback reports posted to /feedback/<token>", () => {
  it("every email carries a signed X-Flowmate-Message header naming its shop, customer and message", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const { raw, messageId } = await deliver(shop, customer, { purpose: "transactional", templateKey: "welcome_1", payload: {} });
    const line = /^X-Flowmate-Message: (.+)$/m.exec(raw.toString())?.[1];
    expect(line).toBeDefined();
    expect(readFeedbackHeader(line!)).toEqual({ shopId: shop.id, customerId: customer.id, messageId });
  });

  it("an ARF abuse report: complained event, address suppressed as a complaint, consent withdrawn and written back, the next send refused", async () => {
    const customer = await createCustomer(prisma(), shop.id, { shopifyCustomerId: 7001n });
    const { raw, messageId } = await deliver(shop, customer);

    const res = await post(shopToken(), await arfReport(raw));
    expect(res).toEqual({ status: 200, body: { result: "recorded", kind: "complaint" } });

    const events = await prisma().messageEvent.findMany({ where: { messageId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      shopId: shop.id,
      type: "complained",
      data: { feedbackType: "abuse", userAgent: "SomeGenerator/1.0" },
    });
    expect(await prisma().suppression.findMany({ where: { shopId: shop.id, address: customer.email! } })).toMatchObject([
      { channel: "email", reason: "complaint" },
    ]);
    const fresh = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(fresh).toMatchObject({ emailConsentState: "unsubscribed", emailConsentSource: "complaint" });
    expect(await prisma().consentRecord.findMany({ where: { customerId: customer.id } })).toMatchObject([
      { channel: "email", state: "unsubscribed", source: "complaint", evidence: { messageId, feedbackType: "abuse" } },
    ]);
    // The flows' exit event, as an unsubscribe writes it.
    expect(await prisma().event.count({ where: { customerId: customer.id, name: "email_unsubscribed" } })).toBe(1);
    // The write-back to Shopify is queued as an unsubscribe's is (tried at once; no Admin API here, so it waits).
    const sync = await prisma().auditLog.findMany({ where: { subjectId: customer.id, action: { startsWith: "consent.sync" } } });
    expect(sync).toHaveLength(1);

    const next = await enqueueEmail(prisma(), shop.id, customer);
    expect(await dispatchDueMessages("test-worker")).toMatchObject({ sent: 0, suppressed: 1 });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: next.id } })).toMatchObject({ status: "suppressed" });
  });

  it("the same report twice writes one event; a report carrying only the original's headers works too", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const { raw, messageId } = await deliver(shop, customer);
    const report = await arfReport(raw, { headersOnly: true });
    expect((await post(shopToken(), report)).body).toEqual({ result: "recorded", kind: "complaint" });
    const before = await rows();
    expect(await post(shopToken(), report)).toEqual({ status: 200, body: { result: "duplicate", kind: "complaint" } });
    expect(await rows()).toBe(before);
    expect(await prisma().messageEvent.count({ where: { messageId, type: "complained" } })).toBe(1);
  });

  it("the same complaint posted twice at once (a provider's retry racing the first) records once", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const { raw, messageId } = await deliver(shop, customer);
    const report = await arfReport(raw);
    const answers = await Promise.all([post(shopToken(), report), post(shopToken(), report)]);
    expect(answers.map((a) => a.body.result).sort()).toEqual(["duplicate", "recorded"]);
    expect(await prisma().messageEvent.count({ where: { messageId } })).toBe(1);
    expect(await prisma().consentRecord.count({ where: { customerId: customer.id } })).toBe(1);
  });

  it("a DSN (failed, 5.1.1): bounced event, hard_bounce suppression and Decision, delivered taken back; twice is once", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const flow = await prisma().flow.create({ data: { shopId: shop.id, key: "abandoned_checkout", name: "Abandoned checkout" } });
    const { raw, messageId } = await deliver(shop, customer, { flowId: flow.id, stepId: "email_1" });
    const daily = () => prisma().flowDaily.findMany({ where: { flowId: flow.id, stepId: "email_1" } });
    expect(await daily()).toMatchObject([{ sent: 1, delivered: 1 }]);

    const report = await dsnReport(raw);
    expect(await post(shopToken(), report)).toEqual({ status: 200, body: { result: "recorded", kind: "bounce" } });
    expect(await prisma().messageEvent.findMany({ where: { messageId } })).toMatchObject([
      { type: "bounced", data: { status: "5.1.1", response: "smtp; 550 5.1.1 User unknown" } },
    ]);
    expect(await prisma().suppression.findMany({ where: { shopId: shop.id, address: customer.email! } })).toMatchObject([
      { reason: "hard_bounce" },
    ]);
    expect(await prisma().decision.findMany({ where: { messageId, outcome: "skip" } })).toMatchObject([
      { reason: "hard_bounce", details: { stage: "delivery_report", status: "5.1.1" } },
    ]);
    expect(await daily()).toMatchObject([{ sent: 1, delivered: 0 }]);
    expect(await prisma().flowReasonDaily.findMany({ where: { flowId: flow.id, outcome: "skip" } })).toMatchObject([
      { reason: "hard_bounce", count: 1 },
    ]);
    // A bounce is not a complaint: consent stays.
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).emailConsentState).toBe("subscribed");

    const before = await rows();
    expect((await post(shopToken(), report)).body).toEqual({ result: "duplicate", kind: "bounce" });
    expect(await rows()).toBe(before);
    expect(await daily()).toMatchObject([{ sent: 1, delivered: 0 }]);

    await enqueueEmail(prisma(), shop.id, customer);
    expect(await dispatchDueMessages("test-worker")).toMatchObject({ sent: 0, suppressed: 1 });
  });

  it("a delayed or 4.x.x DSN and a non-abuse feedback report are acknowledged and recorded nowhere", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const { raw } = await deliver(shop, customer);
    const before = await rows();
    for (const report of [
      await dsnReport(raw, { action: "delayed", status: "4.4.1" }),
      await dsnReport(raw, { action: "failed", status: "4.4.7" }),
      await dsnReport(raw, { action: "delivered", status: "2.0.0" }),
      await arfReport(raw, { feedbackType: "not-spam" }),
    ]) {
      const res = await post(shopToken(), report);
      expect(res.status).toBe(200);
      expect(res.body.result).toBe("ignored");
    }
    expect(await rows()).toBe(before);
  });

  it("forged, tampered, foreign, oversized and garbage reports: 4xx with a reason, nothing written", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const { raw, messageId } = await deliver(shop, customer);
    const foreigner = await createCustomer(prisma(), other.id);
    const { raw: foreignRaw } = await deliver(other, foreigner);
    const text = raw.toString();
    const header = new RegExp(`^${FEEDBACK_HEADER}: (.+)$`, "m").exec(text)![1]!;
    // One character of the signature changed; and the header swapped for one naming the same id unsigned.
    const flipped = header.at(-2) === "A" ? "B" : "A";
    const tampered = text.replace(header, header.slice(0, -2) + flipped + header.slice(-1));
    const claims = JSON.parse(Buffer.from(header.split(".")[0]!, "base64url").toString()) as Record<string, string>;
    const unsigned = text.replace(header, `${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${"x".repeat(43)}`);
    // Without our header (and without List-Unsubscribe) only the guessable Message-ID is left: not believed.
    const bare = text
      .split(/\r\n(?=\S)/)
      .filter((l) => !/^(X-Flowmate-Message|List-Unsubscribe):/i.test(l))
      .join("\r\n");
    expect(bare).toContain(`<${messageId}@flowmate.`);

    const before = await rows();
    const cases: [string, Promise<{ status: number; body: Record<string, string> }>, number][] = [
      ["tampered header", post(shopToken(), await arfReport(tampered)), 400],
      ["unsigned header", post(shopToken(), await arfReport(unsigned)), 400],
      ["no header, Message-ID only", post(shopToken(), await arfReport(bare)), 400],
      ["another shop's message on this shop's address", post(shopToken(), await arfReport(foreignRaw)), 403],
      ["this shop's message on another shop's address", post(feedbackInboxToken(other.id), await dsnReport(raw)), 403],
      ["a made-up address", post("not-a-token", await arfReport(raw)), 403],
      ["an unsubscribe token as the address", post(unsubscribeTokenOf(text), await arfReport(raw)), 403],
      ["oversized", post(shopToken(), Buffer.alloc(MAX_REPORT_BYTES + 1, "a")), 413],
      ["garbage", post(shopToken(), "\u0000\u0001 not a message at all"), 400],
      ["a plain email, not a report", post(shopToken(), raw), 400],
      ["JSON", post(shopToken(), '{"type":"complaint"}', "application/json"), 415],
      ["empty", post(shopToken(), ""), 400],
    ];
    for (const [label, call, status] of cases) {
      const res = await call;
      expect(res.status, label).toBe(status);
      expect(res.body.error, label).toBeTruthy();
    }
    expect(await rows()).toBe(before);
    expect(feedbackLoader().status).toBe(405);
  });

  it("the app's own address takes reports about any shop's messages, the shop read from the signed header", async () => {
    const customer = await createCustomer(prisma(), other.id);
    const { raw, messageId } = await deliver(other, customer);
    expect((await post(feedbackInboxToken(ANY_SHOP), await arfReport(raw))).body).toEqual({ result: "recorded", kind: "complaint" });
    expect(await prisma().messageEvent.findMany({ where: { messageId } })).toMatchObject([{ shopId: other.id, type: "complained" }]);
  });

  it("mail sent before the header existed is named by its signed List-Unsubscribe link", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const { raw, messageId } = await deliver(shop, customer);
    const old = raw
      .toString()
      .split(/\r\n(?=\S)/)
      .filter((l) => !/^X-Flowmate-Message:/i.test(l))
      .join("\r\n");
    expect(headersOf(old)).toMatch(/^List-Unsubscribe:/m);
    expect((await post(shopToken(), await dsnReport(old))).body).toEqual({ result: "recorded", kind: "bounce" });
    expect(await prisma().messageEvent.count({ where: { messageId, type: "bounced" } })).toBe(1);
  });

  it("is rate limited per client address", async () => {
    let status = 0;
    for (let i = 0; i < 700 && status !== 429; i++) status = (await post(shopToken(), "x", "message/rfc822", "198.51.100.9")).status;
    expect(status).toBe(429);
    // Another address posting to another shop's feedback address is not held back.
    expect((await post(feedbackInboxToken(other.id), "x", "message/rfc822", "198.51.100.10")).status).toBe(400);
  });
});

function unsubscribeTokenOf(raw: string): string {
  return /\/u\/([\w-]+\.[\w-]+)>/.exec(raw)![1]!;
}
