// The outbox dispatcher over the database and a real SMTP server: at-most-once
// delivery under concurrency and crashes, retries, bounces and send-time consent.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { advanceClock, now, resetClock } from "~/server/clock.server";
import { dispatchDueMessages, SEND_LANES, type DispatchResult } from "~/server/channels/dispatch.server";
import { holdWorkerLiveness, releaseWorkerLiveness } from "~/server/worker/liveness.server";
import { closeMailTransport } from "~/server/channels/email/transport.server";
import { useTestDatabase } from "../../support/db";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "./support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let shop: Shop;
const rcptAttempts: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  shop = await createShop(prisma());
});
afterAll(async () => smtp?.close());
afterEach(() => {
  smtp.onRecipient(() => null);
  smtp.onData(() => null);
  resetClock();
});

/** Records every RCPT TO, then applies the test's rule. */
function recipients(rule: (address: string) => { code: number; message: string } | "drop" | null = () => null) {
  smtp.onRecipient((address) => {
    rcptAttempts.push(address);
    return rule(address);
  });
}

const receivedFor = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));
const decisionsFor = (messageId: string) => prisma().decision.findMany({ where: { messageId }, orderBy: { id: "asc" } });

async function drain(workerId: string, limit: number): Promise<DispatchResult[]> {
  const results: DispatchResult[] = [];
  for (;;) {
    const r = await dispatchDueMessages(workerId, limit);
    results.push(r);
    if (r.claimed === 0 && r.unknown === 0) return results;
  }
}

describe("dispatchDueMessages", () => {
  it("delivers each of 50 messages exactly once when two dispatchers run at the same time", async () => {
    const customers = await Promise.all(Array.from({ length: 50 }, () => createCustomer(prisma(), shop.id)));
    const messages = [];
    for (const c of customers) messages.push(await enqueueEmail(prisma(), shop.id, c));
    const before = smtp.received.length;

    const [a, b] = await Promise.all([drain("worker-a", 7), drain("worker-b", 7)]);
    const total = (rs: DispatchResult[], k: keyof DispatchResult) => rs.reduce((n, r) => n + r[k], 0);
    expect(total(a, "sent") + total(b, "sent")).toBe(50);
    expect(total(a, "claimed") + total(b, "claimed")).toBe(50);

    const arrived = smtp.received.slice(before);
    expect(arrived).toHaveLength(50);
    const ids = arrived.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).toBe(50);
    expect(new Set(ids)).toEqual(new Set(messages.map((m) => `<${m.id}@flowmate.${shop.domain}>`)));
    expect(await prisma().message.count({ where: { id: { in: messages.map((m) => m.id) }, status: "sent" } })).toBe(50);

    // Running again finds nothing to do.
    expect(await dispatchDueMessages("worker-c", 50)).toMatchObject({ claimed: 0, sent: 0 });
    expect(smtp.received.length).toBe(before + 50);
  });

  it(`exposes at most ${SEND_LANES} messages of a claimed batch (one per SMTP connection) as "sending" while the provider is slow; the rest stay pending under the claim`, async () => {
    const customers = await Promise.all(Array.from({ length: 30 }, () => createCustomer(prisma(), shop.id)));
    const messages = [];
    for (const c of customers) messages.push(await enqueueEmail(prisma(), shop.id, c));
    const ids = messages.map((m) => m.id);
    const statuses = async () => {
      const rows = await prisma().message.groupBy({ by: ["status"], where: { id: { in: ids } }, _count: true });
      return Object.fromEntries(rows.map((r) => [r.status, r._count]));
    };
    // The provider holds every answer to DATA until released, as a slow one would.
    const held: (() => void)[] = [];
    smtp.onData(() => new Promise((resolve) => held.push(() => resolve(null))));
    const before = smtp.received.length;

    const dispatching = dispatchDueMessages("worker-slow", 50);
    for (let i = 0; i < 200 && held.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    expect(held.length).toBe(5); // the pool's five connections, each inside DATA
    // A worker killed now would strand only these, each on the wire, as "unknown"; the
    // other 25 would go back to the queue at once.
    expect(await statuses()).toEqual({ sending: SEND_LANES, pending: 30 - SEND_LANES });

    // Released one by one, the window moves on: the 30 go out, each once.
    for (let i = 0; i < 1000 && smtp.received.length - before < 30; i++) {
      held.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
      expect((await statuses()).sending ?? 0).toBeLessThanOrEqual(SEND_LANES);
    }
    expect(await dispatching).toMatchObject({ claimed: 30, sent: 30 });
    expect(await statuses()).toEqual({ sent: 30 });
    expect(new Set(smtp.received.slice(before).map((m) => m.parsed.messageId)).size).toBe(30);
  });

  it("marks a message left in 'sending' by a dead worker as unknown at once (lease or not), with a Decision, and never re-sends it", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const expired = await enqueueEmail(prisma(), shop.id, customer, {
      status: "sending",
      attempts: 1,
      leaseOwner: "dead-worker",
      leaseExpiresAt: new Date(now().getTime() - 1000),
    });
    // Died a second ago: its lease has 15 minutes to run, but no liveness lock is held for it.
    const diedJustNow = await enqueueEmail(prisma(), shop.id, customer, {
      status: "sending",
      attempts: 1,
      leaseOwner: "just-died",
      leaseExpiresAt: new Date(now().getTime() + 15 * 60_000),
    });
    await holdWorkerLiveness("live-worker");
    const live = await enqueueEmail(prisma(), shop.id, customer, {
      status: "sending",
      leaseOwner: "live-worker",
      leaseExpiresAt: new Date(now().getTime() + 60_000),
    });

    const result = await dispatchDueMessages("worker-x");
    expect(result).toMatchObject({ unknown: 2, claimed: 0, sent: 0 });
    for (const m of [expired, diedJustNow])
      expect(await prisma().message.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ status: "unknown", leaseOwner: null });
    expect(await decisionsFor(expired.id)).toMatchObject([
      {
        outcome: "skip",
        reason: "outcome_unknown",
        customerId: customer.id,
        details: { channel: "email", worker: "dead-worker", stage: "lease_expired_while_sending" },
      },
    ]);
    expect(await decisionsFor(diedJustNow.id)).toMatchObject([
      { outcome: "skip", reason: "outcome_unknown", details: { worker: "just-died", stage: "worker_died_while_sending" } },
    ]);
    // A live worker's send is left alone...
    expect(await prisma().message.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({
      status: "sending",
      leaseOwner: "live-worker",
    });
    // ...until that worker is gone.
    await releaseWorkerLiveness("live-worker");
    expect(await dispatchDueMessages("worker-y")).toMatchObject({ unknown: 1, claimed: 0 });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({ status: "unknown" });

    await dispatchDueMessages("worker-y");
    expect(receivedFor(customer.email!)).toHaveLength(0);
    expect(await decisionsFor(expired.id)).toHaveLength(1);
  });

  it("sends at once a message claimed by a worker that died before starting it; a live worker's claim is left alone", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const orphan = await enqueueEmail(prisma(), shop.id, customer, {
      attempts: 1,
      leaseOwner: "died-after-claiming",
      leaseExpiresAt: new Date(now().getTime() + 5 * 60_000),
    });
    await holdWorkerLiveness("claiming-worker");
    const other = await createCustomer(prisma(), shop.id);
    const claimed = await enqueueEmail(prisma(), shop.id, other, {
      attempts: 1,
      leaseOwner: "claiming-worker",
      leaseExpiresAt: new Date(now().getTime() + 5 * 60_000),
    });

    expect(await dispatchDueMessages("worker-z")).toMatchObject({ claimed: 1, sent: 1 });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({ status: "sent", attempts: 2 });
    expect(receivedFor(customer.email!)).toHaveLength(1);
    expect(await prisma().message.findUniqueOrThrow({ where: { id: claimed.id } })).toMatchObject({
      status: "pending",
      leaseOwner: "claiming-worker",
    });
    expect(receivedFor(other.email!)).toHaveLength(0);
    await releaseWorkerLiveness("claiming-worker");
    expect(await dispatchDueMessages("worker-z")).toMatchObject({ claimed: 1, sent: 1 });
    expect(receivedFor(other.email!)).toHaveLength(1);
  });

  it("fails a 550-rejected recipient, suppresses the address, and suppresses the next message without touching SMTP", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    recipients((address) => (address === customer.email ? { code: 550, message: "5.1.1 User unknown" } : null));
    const first = await enqueueEmail(prisma(), shop.id, customer);

    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 1, failed: 1, sent: 0 });
    const failed = await prisma().message.findUniqueOrThrow({ where: { id: first.id } });
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("550");
    expect(await prisma().suppression.findMany({ where: { shopId: shop.id, address: customer.email! } })).toMatchObject([
      { channel: "email", reason: "hard_bounce" },
    ]);
    expect(await decisionsFor(first.id)).toMatchObject([{ outcome: "skip", reason: "hard_bounce" }]);
    expect(await prisma().messageEvent.findMany({ where: { messageId: first.id } })).toMatchObject([{ type: "bounced", reliable: true }]);

    const attemptsBefore = rcptAttempts.filter((a) => a === customer.email).length;
    const second = await enqueueEmail(prisma(), shop.id, customer, { templateKey: "welcome_2", payload: {} });
    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 1, suppressed: 1 });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: "suppressed" });
    expect(await decisionsFor(second.id)).toMatchObject([{ outcome: "skip", reason: "suppressed_address" }]);
    expect(rcptAttempts.filter((a) => a === customer.email).length).toBe(attemptsBefore);
    expect(receivedFor(customer.email!)).toHaveLength(0);
  });

  it("retries a 451 at RCPT and a 421 after DATA with backoff, then sends", async () => {
    const soft = await createCustomer(prisma(), shop.id);
    const busy = await createCustomer(prisma(), shop.id);
    recipients((address) => (address === soft.email ? { code: 451, message: "4.7.1 Greylisted, try again later" } : null));
    smtp.onData((to) => (to.includes(busy.email!) ? { code: 421, message: "4.3.2 Service shutting down" } : null));
    const a = await enqueueEmail(prisma(), shop.id, soft);
    const b = await enqueueEmail(prisma(), shop.id, busy);

    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 2, retried: 2, sent: 0 });
    for (const id of [a.id, b.id]) {
      const row = await prisma().message.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: "pending", attempts: 1, leaseOwner: null });
      expect(row.error).toMatch(/^4\d\d /);
      expect(row.nextAttemptAt.getTime() - now().getTime()).toBeGreaterThan(55_000);
    }
    // Not due yet.
    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 0 });

    smtp.onRecipient(() => null);
    smtp.onData(() => null);
    advanceClock(61_000);
    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 2, sent: 2 });
    expect(await prisma().message.findMany({ where: { id: { in: [a.id, b.id] } } })).toMatchObject([
      { status: "sent", attempts: 2 },
      { status: "sent", attempts: 2 },
    ]);
    expect(receivedFor(soft.email!)).toHaveLength(1);
    expect(receivedFor(busy.email!)).toHaveLength(1);
  });

  it("gives up after five transient failures, with exponential backoff in between", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    recipients((address) => (address === customer.email ? { code: 452, message: "4.2.2 Mailbox full" } : null));
    const message = await enqueueEmail(prisma(), shop.id, customer);
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await dispatchDueMessages("w");
      const row = await prisma().message.findUniqueOrThrow({ where: { id: message.id } });
      expect(row.attempts).toBe(attempt);
      if (attempt < 5) {
        expect(row.status).toBe("pending");
        gaps.push(Math.round((row.nextAttemptAt.getTime() - now().getTime()) / 60_000));
        advanceClock(row.nextAttemptAt.getTime() - now().getTime() + 1);
      } else expect(row.status).toBe("failed");
    }
    expect(gaps).toEqual([1, 2, 4, 8]);
    expect(await decisionsFor(message.id)).toMatchObject([{ reason: "send_failed", details: { attempts: 5 } }]);
  });

  it("marks unknown, and does not re-send, a message whose connection dropped after the whole body went out", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    smtp.onData((to) => (to.includes(customer.email!) ? "drop" : null));
    const message = await enqueueEmail(prisma(), shop.id, customer);
    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 1, unknown: 1 });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "unknown" });
    expect(await decisionsFor(message.id)).toMatchObject([{ reason: "outcome_unknown" }]);
    smtp.onData(() => null);
    advanceClock(3_600_000);
    await drain("w", 10);
    await new Promise((r) => setTimeout(r, 300));
    // The server did get it once (it just never answered); nobody sent it again.
    expect(receivedFor(customer.email!)).toHaveLength(1);
  });

  it("retries a message whose connection dropped before the body went out", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    recipients((address) => (address === customer.email ? "drop" : null));
    const message = await enqueueEmail(prisma(), shop.id, customer);
    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 1, retried: 1 });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "pending", attempts: 1 });
    recipients();
    advanceClock(61_000);
    expect(await dispatchDueMessages("w")).toMatchObject({ sent: 1 });
    expect(receivedFor(customer.email!)).toHaveLength(1);
  });

  it("retries when the SMTP server refuses connections", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const working = process.env.SMTP_URL;
    process.env.SMTP_URL = "smtp://127.0.0.1:1";
    closeMailTransport();
    try {
      const message = await enqueueEmail(prisma(), shop.id, customer);
      expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 1, retried: 1 });
      expect(await prisma().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "pending", attempts: 1 });
    } finally {
      process.env.SMTP_URL = working;
      closeMailTransport();
    }
    advanceClock(61_000);
    expect(await dispatchDueMessages("w")).toMatchObject({ sent: 1 });
  });

  it("suppresses, with a Decision and without SMTP, a message whose customer withdrew consent after it was queued", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const message = await enqueueEmail(prisma(), shop.id, customer);
    await prisma().customer.update({
      where: { id: customer.id },
      data: { emailConsentState: "unsubscribed", emailConsentUpdatedAt: now() },
    });
    const paused = await createCustomer(prisma(), shop.id, { marketingPausedUntil: new Date(now().getTime() + 86_400_000) });
    const pausedMessage = await enqueueEmail(prisma(), shop.id, paused);

    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 2, suppressed: 2, sent: 0 });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "suppressed" });
    expect(await decisionsFor(message.id)).toMatchObject([{ outcome: "skip", reason: "no_consent", customerId: customer.id }]);
    expect(await decisionsFor(pausedMessage.id)).toMatchObject([{ outcome: "skip", reason: "paused" }]);
    expect(receivedFor(customer.email!)).toHaveLength(0);
    expect(rcptAttempts).not.toContain(customer.email);
  });

  it("fails, without sending, a marketing email of a shop without a postal address", async () => {
    const noAddress = await createShop(prisma(), { postalAddress: undefined });
    const customer = await createCustomer(prisma(), noAddress.id);
    const message = await enqueueEmail(prisma(), noAddress.id, customer);
    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await prisma().message.findUniqueOrThrow({ where: { id: message.id } });
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("postal address");
    expect(await decisionsFor(message.id)).toMatchObject([{ reason: "render_failed", details: { missing: "postal_address" } }]);
    expect(receivedFor(customer.email!)).toHaveLength(0);
  });

  it("suppresses messages of an uninstalled shop", async () => {
    const gone = await createShop(prisma(), { installState: "uninstalled" });
    const customer = await createCustomer(prisma(), gone.id);
    const message = await enqueueEmail(prisma(), gone.id, customer);
    expect(await dispatchDueMessages("w")).toMatchObject({ suppressed: 1 });
    expect(await decisionsFor(message.id)).toMatchObject([{ reason: "shop_not_installed" }]);
  });

  it("hands SMS messages to the SMS channel, which applies its own consent rules", async () => {
    const customer = await createCustomer(prisma(), shop.id, { phone: "+48601234567", smsConsentState: "not_subscribed" });
    const message = await enqueueEmail(prisma(), shop.id, customer, {
      channel: "sms",
      toAddress: "+48601234567",
      templateKey: "sms",
      payload: { body: "Hi" },
    });
    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 1, suppressed: 1 });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: "suppressed",
      leaseOwner: null,
    });
    expect(await decisionsFor(message.id)).toMatchObject([{ reason: "no_consent", details: { channel: "sms" } }]);
  });
});
