// Alerts: a queue's oldest due item older than its threshold, or a task failing N
// passes in a row, is logged at error level and emailed (the shop's own addresses for
// its lag; ALERT_EMAIL for the rest), at most once an hour per condition across
// workers. On the app's fake clock, with the real in-process SMTP server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { lagAlertKey } from "~/domain/operations/alert-rules";
import { resetClock, setClock } from "~/server/clock.server";
import { checkAlerts } from "~/server/operations/alerts.server";
import { realTimer, type TaskStats, type Timer } from "~/server/worker/task-runner.server";
import { startWorker } from "~/server/worker/worker.server";
import { useTestDatabase } from "../support/db";
import { whileHolding } from "../support/lock-waits";
import { drainUntilQuiet } from "./support/drain-worker";
import { createCustomer, createShop, enqueueEmail } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
const T0 = new Date("2026-03-10T09:00:00Z");
const MIN = 60_000;

/** Error-level log lines written while `fn` runs. */
async function errorLines<T>(fn: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk: string | Uint8Array) => {
    const line = String(chunk);
    if (line.startsWith("{")) lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  };
  try {
    return { result: await fn(), lines: lines.filter((l) => l.level === "error") };
  } finally {
    process.stderr.write = write;
  }
}

/** The check as the worker runs it, `minutes` after T0 on the app's clock. */
function checkAt(minutes: number, stats: TaskStats[] = []) {
  const at = setClock(new Date(T0.getTime() + minutes * MIN));
  return checkAlerts({ at, stats });
}

const failing = (task: string, consecutiveFailures: number): TaskStats => ({
  name: task,
  runs: consecutiveFailures,
  failures: consecutiveFailures,
  consecutiveFailures,
  done: 0,
  lastDone: 0,
  lastDurationMs: 1,
  totalDurationMs: consecutiveFailures,
  lastError: "Error EENVELOPE: 550 <ops@kawa.example.com>: mailbox unavailable",
  nextDelayMs: 16_000,
  nextRunAt: 0,
  running: false,
});

beforeAll(async () => {
  process.env.LOG_LEVEL = "error";
  smtp = await startSmtpTestServer();
});
afterEach(async () => {
  resetClock();
  delete process.env.ALERT_EMAIL;
  smtp.received.length = 0;
  smtp.onData(() => null);
  await prisma().message.deleteMany();
  await prisma().alertState.deleteMany();
});
afterAll(async () => {
  await smtp?.close();
  delete process.env.LOG_LEVEL;
});

describe("queue lag alert", () => {
  it("emails the shop's own addresses once the oldest due message is past the threshold, then not again within the hour", async () => {
    const shop = await createShop(prisma(), { locale: "pl" });
    const customer = await createCustomer(prisma(), shop.id);
    setClock(T0);
    await enqueueEmail(prisma(), shop.id, customer, { nextAttemptAt: T0 });

    expect((await checkAt(15)).fired).toBe(0); // at the threshold: not yet
    const first = await errorLines(() => checkAt(16));
    expect(first.result).toEqual({ conditions: 1, fired: 1, emailed: 1 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.envelopeTo.sort()).toEqual(["hello@kawa.example.com", "support@kawa.example.com"]);
    expect(mail.parsed.subject).toBe("[Flowmate] Opóźnienie: wiadomości wychodzące (16 min)");
    expect(mail.parsed.text).not.toContain(customer.email!);
    expect(first.lines).toEqual([
      expect.objectContaining({ level: "error", msg: "alert", alert: lagAlertKey("outbox", shop.id), task: "outbox", shopId: shop.id }),
    ]);
    expect(JSON.stringify(first.lines)).not.toContain("@");

    for (const minutes of [17, 45, 75]) {
      const again = await errorLines(() => checkAt(minutes));
      expect(again.result, `at +${minutes} min`).toEqual({ conditions: 1, fired: 0, emailed: 0 });
      expect(again.lines).toEqual([]);
    }
    expect(smtp.received).toHaveLength(1);

    expect((await checkAt(76)).fired).toBe(1); // an hour after the first
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]!.parsed.subject).toContain("(76 min)");
    expect(await prisma().alertState.findUniqueOrThrow({ where: { key: lagAlertKey("outbox", shop.id) } })).toMatchObject({
      shopId: shop.id,
      fired: 2,
      detail: "oldest due item 76 min old (threshold 15 min)",
    });
  });

  it("gives the claim back when the email cannot be sent, so the next check sends it", async () => {
    const shop = await createShop(prisma());
    setClock(T0);
    await enqueueEmail(prisma(), shop.id, null, { nextAttemptAt: T0 });
    smtp.onData(() => ({ code: 451, message: "try again later" }));
    const failed = await errorLines(() => checkAt(20));
    expect(failed.result).toMatchObject({ fired: 0, emailed: 0 });
    expect(failed.lines.map((l) => l.msg)).toEqual(["alert", "alert email failed; retrying at the next check"]);

    smtp.onData(() => null);
    expect(await checkAt(21)).toMatchObject({ fired: 1, emailed: 1 });
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual(["[Flowmate] Delayed: outgoing messages (21 min)"]);
  });
});

describe("failing task alert", () => {
  it("emails ALERT_EMAIL when a task fails five passes in a row; without it, the error log line is the alert", async () => {
    const four = await errorLines(() => checkAt(0, [failing("webhooks", 4)]));
    expect(four.result.conditions).toBe(0);

    const logged = await errorLines(() => checkAt(0, [failing("webhooks", 5)]));
    expect(logged.result).toEqual({ conditions: 1, fired: 1, emailed: 0 });
    expect(logged.lines).toEqual([expect.objectContaining({ msg: "alert", alert: "failing:webhooks", detail: "5 failures in a row" })]);

    process.env.ALERT_EMAIL = "oncall@flowmate.example";
    expect(await checkAt(61, [failing("webhooks", 60)])).toMatchObject({ fired: 1, emailed: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.envelopeTo).toEqual(["oncall@flowmate.example"]);
    expect(smtp.received[0]!.parsed.subject).toBe("[Flowmate] Task failing: Shopify webhooks");
    expect(smtp.received[0]!.parsed.text).toContain("60 times in a row");
    expect(smtp.received[0]!.parsed.text).toContain("Last error: Error EENVELOPE: 550 <<address>>: mailbox unavailable");
  });

  it("is checked by the worker's own alert task every minute of the runner's clock, which also records its pass counts", async () => {
    const shop = await createShop(prisma());
    setClock(T0);
    const customer = await createCustomer(prisma(), shop.id);
    await enqueueEmail(prisma(), shop.id, customer, { nextAttemptAt: new Date(T0.getTime() - 5 * MIN) });
    let runnerNow = 1_000_000;
    const timer: Timer = { now: () => runnerNow, sleep: (ms, signal) => realTimer.sleep(Math.min(ms, 50), signal) };
    const worker = startWorker({ idleMs: 60_000, timer });
    try {
      await drainUntilQuiet(worker);
      expect(await prisma().alertState.count()).toBe(0); // five minutes is within the outbox's threshold
      expect(smtp.received.map((m) => m.envelopeTo)).toEqual([[customer.email]]);

      runnerNow += 61_000;
      await drainUntilQuiet(worker);
      // At least the minute's second pass (a loaded machine can fit in one more before the drain settles), none failed.
      const alerts = worker.stats().find((s) => s.name === "alerts")!;
      expect(alerts.runs).toBeGreaterThanOrEqual(2);
      expect(alerts.failures).toBe(0);
      // This worker's passes are on record for the admin's health page.
      const outbox = await prisma().taskMinute.findMany({ where: { task: "outbox" } });
      expect(outbox.reduce((n, r) => n + r.runs, 0)).toBeGreaterThanOrEqual(2);
      expect(outbox.every((r) => r.failures === 0)).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)("two workers meeting on one alert (PostgreSQL)", () => {
  it("announces it once: the second waits for the first's claim and then finds it taken", async () => {
    const shop = await createShop(prisma());
    setClock(T0);
    await enqueueEmail(prisma(), shop.id, null, { nextAttemptAt: T0 });
    const key = lagAlertKey("outbox", shop.id);
    const at = setClock(new Date(T0.getTime() + 30 * MIN));
    const [a, b] = await whileHolding(
      getDb(),
      // A third session inserts the same key and holds it: both workers block on it.
      (tx) => tx.$executeRaw`INSERT INTO "AlertState" (key, "lastFiredAt", detail) VALUES (${key}, ${at}, 'held')`,
      () => Promise.all([checkAlerts({ at, stats: [] }), checkAlerts({ at, stats: [] })]),
      2,
    );
    expect([a.fired, b.fired].sort()).toEqual([0, 1]);
    expect(smtp.received).toHaveLength(1);
    expect(await prisma().alertState.findUniqueOrThrow({ where: { key } })).toMatchObject({ fired: 1 });
  });
});
