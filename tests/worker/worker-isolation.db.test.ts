// One failing task never holds the others up: the webhook processor fails on every
// claim (a trigger makes PostgreSQL refuse the claim UPDATE) while a message sits in
// the outbox; the real worker still sends it, and backs the failing task off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realTimer, backoffDelay, type Timer } from "~/server/worker/task-runner.server";
import { QUEUE_BACKOFF } from "~/server/worker/tasks.server";
import { startWorker, type WorkerHandle } from "~/server/worker/worker.server";
import { useTestDatabase } from "../support/db";
import { createCustomer, createShop, enqueueEmail } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let worker: WorkerHandle | undefined;

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  smtp = await startSmtpTestServer();
});
afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  delete process.env.LOG_LEVEL;
});

/** The worker's clock runs 100 times faster, so backoffs of 1 s, 2 s, 4 s... pass within the test. */
const SPEED = 100;
const t0 = Date.now();
const fastTimer: Timer = { now: () => t0 + (Date.now() - t0) * SPEED, sleep: (ms, signal) => realTimer.sleep(ms / SPEED, signal) };

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("worker task isolation", () => {
  it("sends the outbox while the webhook processor fails on every claim, and backs the processor off", async () => {
    await getDb().execScript(`
      CREATE FUNCTION refuse_webhook_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'webhook claims refused by the test'; END $$;
      CREATE TRIGGER refuse_webhook_claim BEFORE UPDATE ON "WebhookDelivery"
        FOR EACH ROW WHEN (NEW.status = 'processing') EXECUTE FUNCTION refuse_webhook_claim();`);
    const delivery = await prisma().webhookDelivery.create({
      data: {
        shopDomain: "isolation.myshopify.com",
        topic: "orders/create",
        webhookId: "iso-1",
        payload: {},
        nextAttemptAt: new Date(Date.now() - 1000),
      },
    });
    const shop = await createShop(prisma());
    const customer = await createCustomer(prisma(), shop.id);

    worker = startWorker({ timer: fastTimer });
    const webhooks = () => worker!.stats().find((s) => s.name === "webhooks")!;
    const delays: number[] = [];
    await until("the webhook task to fail twice", () => webhooks().consecutiveFailures >= 2);

    // The message is queued while the processor is failing, and goes out all the same.
    const message = await enqueueEmail(prisma(), shop.id, customer);
    const queuedAt = Date.now();
    await until("the message to reach the SMTP server", () =>
      smtp.received.some((m) => m.parsed.messageId === `<${message.id}@flowmate.${shop.domain}>`),
    );
    expect(Date.now() - queuedAt).toBeLessThan(2_000);
    await until(
      "the message to be marked sent",
      async () => (await prisma().message.findUniqueOrThrow({ where: { id: message.id } })).status === "sent",
    );

    await until("the webhook task to fail five times in a row", () => {
      delays.push(webhooks().nextDelayMs);
      return webhooks().consecutiveFailures >= 5;
    });
    const stats = webhooks();
    // It never once got through: every finished run failed (a run counts when it starts,
    // and with the fast timer the next may already be under way when this reads).
    expect(stats.failures).toBe(stats.runs - (stats.running ? 1 : 0));
    // PGlite's Prisma adapter drops PostgreSQL's message; the server passes it on.
    expect(stats.lastError).toMatch(getDb().kind === "postgres" ? /webhook claims refused by the test/ : /Raw query failed/);
    expect(stats.nextDelayMs).toBe(backoffDelay(QUEUE_BACKOFF, stats.consecutiveFailures));
    expect(stats.nextDelayMs).toBeGreaterThanOrEqual(16 * QUEUE_BACKOFF.baseMs);
    // Observed as it went: the wait only grew.
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    // The refused claim rolled back: the delivery is as it was, waiting for a healthy worker.
    expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "received",
      attempts: 0,
      leaseOwner: null,
    });
    const outbox = worker.stats().find((s) => s.name === "outbox")!;
    expect(outbox).toMatchObject({ failures: 0, consecutiveFailures: 0 });
    expect(outbox.done).toBeGreaterThanOrEqual(1);
  });
});
