// Replacing a shop's feedback address (Settings -> Sending, "New address"): the next
// generation is signed into the token, every earlier address is refused with 410 and
// writes nothing, the new one is accepted, and the page's "last report" follows the
// reports that arrive at the shop's address. Real outbox, real SMTP, real reports.
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import type { Customer, Shop } from "@prisma/client";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action as feedbackAction } from "~/routes/feedback.$token";
import { loadFeedbackAddress, rotateFeedbackAddress } from "~/server/admin/feedback-address.server";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { resetClock, setClock } from "~/server/clock.server";
import { resetPublicLimits } from "~/server/http/public-limits.server";
import { ANY_SHOP, feedbackInboxToken, readFeedbackInbox } from "~/server/security/feedback-tokens.server";
import { signToken } from "~/server/security/signed-token.server";
import { useTestDatabase } from "../../support/db";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";
import { arfReport, dsnReport } from "./support/reports";
import { startSmtpTestServer, type SmtpTestServer } from "./support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
});
afterAll(async () => smtp?.close());
beforeEach(() => resetPublicLimits());
afterEach(() => resetClock());

async function deliver(shop: Shop, customer: Customer) {
  const message = await enqueueEmail(prisma(), shop.id, customer);
  expect(await dispatchDueMessages("test-worker")).toMatchObject({ sent: 1 });
  return { raw: smtp.received.at(-1)!.raw, messageId: message.id };
}

async function post(token: string, body: Buffer) {
  const request = new Request(`https://app.flowmate.test/feedback/${token}`, {
    method: "POST",
    headers: { "content-type": "message/rfc822" },
    body: new Uint8Array(body),
  });
  const res = await feedbackAction({ request, params: { token }, context: { remoteAddress: "203.0.113.7" } });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const tokenOf = (url: string) => url.split("/feedback/")[1]!;

/** A whole minute `hours` ahead of the real time (messages are due by the real time), and a matcher for times in that minute. */
function minuteAhead(hours: number): { at: Date; matches: unknown } {
  const at = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + hours * 3_600_000);
  return { at, matches: expect.stringMatching(new RegExp(`^${at.toISOString().slice(0, 16)}`)) };
}

/** Every row a report about the shop's messages could write. */
async function written(shopId: string) {
  const [events, suppressions, decisions, consent] = await Promise.all([
    prisma().messageEvent.count({ where: { shopId } }),
    prisma().suppression.count({ where: { shopId } }),
    prisma().decision.count({ where: { shopId } }),
    prisma().consentRecord.count({ where: { shopId } }),
  ]);
  return { events, suppressions, decisions, consent };
}

describe("a shop's feedback address", () => {
  it("before any replacement is the address shops always had (no generation in the token), and shows no report yet", async () => {
    const shop = await createShop(prisma());
    const view = await loadFeedbackAddress(shop);
    // The claims signed before addresses could be replaced: providers configured then keep working.
    expect(view.url).toBe(`https://app.flowmate.test/feedback/${signToken("feedback_inbox", { shopId: shop.id, customerId: "" })}`);
    expect(readFeedbackInbox(tokenOf(view.url))).toEqual({ shopId: shop.id, generation: 0 });
    expect(view.lastReport).toBeNull();
    expect(await prisma().shopSending.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("replaced: the old address answers 410 and writes nothing, the new one records; audited; the last report is shown", async () => {
    const shop = await createShop(prisma());
    const old = tokenOf((await loadFeedbackAddress(shop)).url);
    const first = await createCustomer(prisma(), shop.id);
    const sent = await deliver(shop, first);
    const t1 = minuteAhead(1);
    setClock(t1.at);
    expect(await post(old, await dsnReport(sent.raw))).toEqual({ status: 200, body: { result: "recorded", kind: "bounce" } });
    expect((await loadFeedbackAddress(shop)).lastReport).toEqual({ at: t1.matches, kind: "bounce" });

    expect(await rotateFeedbackAddress(shop, "merchant")).toBe(1);
    const fresh = tokenOf((await loadFeedbackAddress(shop)).url);
    expect(fresh).not.toBe(old);
    expect(readFeedbackInbox(fresh)).toEqual({ shopId: shop.id, generation: 1 });
    expect(await prisma().auditLog.findMany({ where: { shopId: shop.id, action: "settings.feedback_address_replaced" } })).toMatchObject([
      { actor: "merchant", subjectId: shop.id, details: { before: { generation: 0 }, after: { generation: 1 } } },
    ]);
    // The address is a secret: the audit names generations, never a token.
    const audited = await prisma().auditLog.findMany({ where: { shopId: shop.id }, select: { details: true } });
    expect(JSON.stringify(audited)).not.toContain(fresh.split(".")[1]);

    const second = await createCustomer(prisma(), shop.id);
    const next = await deliver(shop, second);
    const before = await written(shop.id);
    const t2 = minuteAhead(2);
    setClock(t2.at);
    for (const report of [await arfReport(next.raw), await dsnReport(next.raw)]) {
      const refused = await post(old, report);
      expect(refused.status).toBe(410);
      expect(refused.body.error).toMatch(/replaced/);
    }
    expect(await written(shop.id)).toEqual(before);
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: second.id } })).emailConsentState).toBe("subscribed");
    expect((await loadFeedbackAddress(shop)).lastReport).toEqual({ at: t1.matches, kind: "bounce" });

    expect(await post(fresh, await arfReport(next.raw))).toEqual({ status: 200, body: { result: "recorded", kind: "complaint" } });
    expect(await prisma().messageEvent.findMany({ where: { messageId: next.messageId } })).toMatchObject([{ type: "complained" }]);
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: second.id } })).emailConsentState).toBe("unsubscribed");
    expect((await loadFeedbackAddress(shop)).lastReport).toEqual({ at: t2.matches, kind: "complaint" });
    // A burst of one kind writes the shop's sending row (every email's warm-up slot is
    // taken there) once a minute: the same report 10 s later leaves it as it was.
    const noted = async () => (await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shop.id } })).feedbackReportAt;
    const notedAt = await noted();
    expect(Math.abs(notedAt!.getTime() - t2.at.getTime())).toBeLessThan(5_000);
    setClock(new Date(t2.at.getTime() + 10_000));
    expect((await post(fresh, await arfReport(next.raw))).status).toBe(200);
    expect(await noted()).toEqual(notedAt);
    setClock(t2.at);

    // Replaced again: the first replacement's address is refused too.
    expect(await rotateFeedbackAddress(shop, "merchant")).toBe(2);
    expect((await post(fresh, await dsnReport(next.raw))).status).toBe(410);
  });

  it("a generation not issued yet is refused; another shop's replacement and the app's own address are unaffected", async () => {
    const shop = await createShop(prisma());
    const other = await createShop(prisma());
    const customer = await createCustomer(prisma(), shop.id);
    const sent = await deliver(shop, customer);
    await rotateFeedbackAddress(other, "merchant");

    const ahead = await post(feedbackInboxToken(shop.id, 1), await dsnReport(sent.raw));
    expect(ahead.status).toBe(403);
    expect(await written(shop.id)).toMatchObject({ events: 0, suppressions: 0 });
    // Never replaced, so generation 0 is this shop's current address.
    expect((await post(feedbackInboxToken(shop.id), await dsnReport(sent.raw))).body).toEqual({ result: "recorded", kind: "bounce" });
    expect((await post(feedbackInboxToken(ANY_SHOP), await arfReport(sent.raw))).body).toEqual({ result: "recorded", kind: "complaint" });
    // Only a report at the shop's own address counts as its last report.
    expect((await loadFeedbackAddress(shop)).lastReport).toMatchObject({ kind: "bounce" });
  });

  it("two replacements at once are two generations, both audited", async () => {
    const shop = await createShop(prisma());
    const generations = await Promise.all([rotateFeedbackAddress(shop, "merchant"), rotateFeedbackAddress(shop, "merchant")]);
    expect(generations.sort()).toEqual([1, 2]);
    expect(await prisma().auditLog.count({ where: { shopId: shop.id, action: "settings.feedback_address_replaced" } })).toBe(2);
    expect(readFeedbackInbox(tokenOf((await loadFeedbackAddress(shop)).url))).toEqual({ shopId: shop.id, generation: 2 });
  });
});
