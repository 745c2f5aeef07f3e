// The send crash test: worker processes SIGKILLed while they send, against a real SMTP
// server in this process. Per message it compares what the server received (by
// Message-ID) with the row's status, and prints the table CI shows.
//
// Goal (issue 14, item 3): 0 duplicates; 0 lost (never received and not marked in
// doubt); in doubt at most the pool's parallelism (SEND_LANES) per kill. Nothing here
// expires a lease or moves the clock: a dead worker's unstarted claims must go back at
// once, or the queue would not drain within the test's time.
//
// Several processes share one database, so this runs on PostgreSQL only, and only when
// asked for (FLOWMATE_SEND_CRASH_TEST=1): .ci/run gives it a step of its own, so the
// table is easy to find and the PostgreSQL pass of `npm test` does not run it twice.
//   FLOWMATE_SEND_CRASH_TEST=1 DATABASE_URL=postgres://... npx vitest run tests/worker/send-crash.db.test.ts
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEND_LANES } from "~/server/channels/dispatch.server";
import { openDatabase, type Database } from "~/server/db/client.server";
import { migrate } from "~/server/db/migrate.server";
import { createShop, SAMPLE_ITEMS } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";

const pgUrl = process.env.DATABASE_URL;
const asked = process.env.FLOWMATE_SEND_CRASH_TEST === "1";
const MESSAGES = 600;
const WORKERS = 4;
const KILLS = 12;
const KILL_EVERY_MS = 200;
/** The provider answers each message this long after its data: sending spans the kills. */
const SMTP_DELAY_MS = 100;

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isReady: () => boolean;
  out: () => string;
}

function startWorkerProcess(url: string, smtpPort: number): WorkerProcess {
  // Node itself, not the tsx CLI, so that SIGKILL hits the worker and not a wrapper.
  const child = spawn(process.execPath, ["--import", "tsx", "worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      // Not the demo: a worker starts only with the app's credentials.
      SHOPIFY_API_KEY: "crash-test-key",
      SHOPIFY_API_SECRET: "crash-test-secret",
      SHOPIFY_APP_URL: "https://flowmate.example",
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      VITEST: undefined,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let ready = false;
  let onReady: () => void = () => undefined;
  let onEarlyExit: (e: Error) => void = () => undefined;
  const readyP = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onEarlyExit = reject;
  });
  const collect = (d: Buffer) => {
    out += d.toString();
    if (!ready && out.includes('"msg":"worker started"')) {
      ready = true;
      onReady();
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      // A worker that refuses to start fails the test at once, with its reason, not at the timeout.
      if (!ready) onEarlyExit(new Error(`worker exited (${code ?? signal}) before it started:\n${out.slice(-2000)}`));
      resolve({ code, signal });
    }),
  );
  return { child, ready: readyP, exited, isReady: () => ready && child.exitCode === null && child.signalCode === null, out: () => out };
}

/** worker.ts names itself host:pid:random; the pid tells which process holds a row. */
const pidOf = (workerId: string) => Number(workerId.split(":").at(-2));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!pgUrl || !asked)("send crash test: worker processes SIGKILLed mid-send (PostgreSQL)", () => {
  let database: Database;
  let url: string;
  let drop: () => Promise<void>;
  let smtp: SmtpTestServer;
  /** Per recipient (one message each here): how often the provider got the whole message. */
  const dataReceived = new Map<string, number>();

  beforeAll(async () => {
    const name = `crash_${crypto.randomBytes(5).toString("hex")}`;
    const admin = await openDatabase({ url: pgUrl!, poolSize: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(pgUrl!);
    u.pathname = `/${name}`;
    url = u.toString();
    database = await openDatabase({ url, poolSize: 4 });
    await migrate(database);
    drop = async () => {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    };
    smtp = await startSmtpTestServer();
    // Counted when the data has arrived, before the (delayed) answer: a message the
    // provider has, even if its sender is killed before the answer comes.
    smtp.onData((to) => {
      for (const address of to) dataReceived.set(address, (dataReceived.get(address) ?? 0) + 1);
      return new Promise((r) => setTimeout(() => r(null), SMTP_DELAY_MS));
    });
  }, 60_000);
  afterAll(async () => {
    await smtp?.close();
    await drop?.();
  });

  it(
    `${MESSAGES} emails, ${WORKERS} workers, ${KILLS} SIGKILLs: 0 duplicates, 0 lost, in doubt <= ${SEND_LANES} per kill`,
    { timeout: 300_000 },
    async () => {
      const prisma = database.prisma;
      const shop = await createShop(prisma);
      const ids = Array.from({ length: MESSAGES }, (_, i) => `crash${i}`);
      await prisma.customer.createMany({
        data: ids.map((id) => ({
          id: `c-${id}`,
          shopId: shop.id,
          email: `${id}@example.com`,
          firstName: "Anna",
          emailConsentState: "subscribed",
          emailOptInLevel: "single_opt_in",
        })),
      });
      await prisma.message.createMany({
        data: ids.map((id) => ({
          id,
          shopId: shop.id,
          customerId: `c-${id}`,
          channel: "email",
          purpose: "marketing",
          idempotencyKey: id,
          toAddress: `${id}@example.com`,
          templateKey: "abandoned_checkout_1",
          payload: { items: SAMPLE_ITEMS, recoveryUrl: "https://kawa.example.com/checkouts/c1/recover?key=abc" },
          nextAttemptAt: new Date(Date.now() - 1000),
        })),
      });
      const headerOf = (id: string) => `<${id}@flowmate.${shop.domain}>`;
      const left = async () => prisma.message.count({ where: { status: { in: ["pending", "sending"] } } });

      const workers = Array.from({ length: WORKERS }, () => startWorkerProcess(url, smtp.port));
      const killedPids: number[] = [];
      const killLog: string[] = [];
      const started = Date.now();
      try {
        await Promise.all(workers.map((w) => w.ready));
        // Kill only a worker with messages marked "sending" right now (on the wire): a
        // worker killed while starting up or idle would test nothing.
        while (killedPids.length < KILLS) {
          await sleep(KILL_EVERY_MS);
          if ((await left()) === 0) break;
          const sending = await prisma.message.groupBy({ by: ["leaseOwner"], where: { status: "sending" }, _count: true });
          const busyPids = new Set(sending.map((s) => pidOf(s.leaseOwner ?? "")));
          const up = workers.filter((w) => w.isReady());
          const busy = up.filter((w) => busyPids.has(w.child.pid!));
          if (busy.length === 0) continue;
          const victim = busy[Math.floor(Math.random() * busy.length)]!;
          victim.child.kill("SIGKILL");
          await victim.exited;
          killedPids.push(victim.child.pid!);
          killLog.push(`${((Date.now() - started) / 1000).toFixed(1)}s: ${await left()} left`);
          workers[workers.indexOf(victim)] = startWorkerProcess(url, smtp.port);
        }
        const killedAt = Date.now();
        expect(killedPids.length, "the queue drained before every kill happened: sending must outlast the kills").toBe(KILLS);

        // The survivors and the restarted workers drain the queue; no lease is expired by hand.
        const deadline = Date.now() + 150_000;
        while ((await left()) > 0) {
          if (Date.now() > deadline) throw new Error(`queue not drained: ${await left()} messages left`);
          await sleep(100);
        }
        const drainedMs = Date.now() - killedAt;
        for (const w of workers) w.child.kill("SIGTERM");
        const exits = await Promise.all(workers.map((w) => w.exited));
        expect(exits, workers.map((w) => w.out().slice(-2000)).join("\n")).toEqual(workers.map(() => ({ code: 0, signal: null })));

        // Per message: how often the provider got it, and what its row says.
        const answered = new Map<string, number>();
        for (const m of smtp.received)
          if (m.parsed.messageId) answered.set(m.parsed.messageId, (answered.get(m.parsed.messageId) ?? 0) + 1);
        const rows = await prisma.message.findMany({ select: { id: true, status: true, attempts: true } });
        const times = (id: string) => dataReceived.get(`${id}@example.com`) ?? 0;
        // The answered ones, by Message-ID: each once, and each one a message the provider got.
        expect([...answered.values()].filter((n) => n > 1)).toEqual([]);
        expect(rows.filter((r) => (answered.get(headerOf(r.id)) ?? 0) > times(r.id)).map((r) => r.id)).toEqual([]);
        const duplicates = rows.filter((r) => times(r.id) > 1);
        const lost = rows.filter((r) => times(r.id) === 0 && r.status !== "unknown");
        const inDoubt = rows.filter((r) => r.status === "unknown");
        const inDoubtReached = inDoubt.filter((r) => times(r.id) > 0);
        const sentNotReceived = rows.filter((r) => r.status === "sent" && (times(r.id) !== 1 || answered.get(headerOf(r.id)) !== 1));
        // Claimed by a worker that was then killed, and sent by another without waiting for a lease.
        const reclaimed = rows.filter((r) => r.status === "sent" && r.attempts > 1).length;
        // Each in-doubt row's Decision names the worker that was sending it: per kill.
        const decisions = await prisma.decision.findMany({ where: { reason: "outcome_unknown" }, select: { details: true } });
        const perWorker = new Map<string, number>();
        for (const d of decisions) {
          const worker = String((d.details as { worker?: unknown }).worker);
          perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
        }
        const killed = new Set(killedPids);
        const perKill = [...perWorker.entries()].filter(([w]) => killed.has(pidOf(w))).map(([, n]) => n);
        const maxPerKill = Math.max(0, ...perKill);

        const row = (label: string, value: string | number, goal = "") => `  ${label.padEnd(38)}${String(value).padStart(8)}   ${goal}`;
        const table = [
          "",
          `send crash test (PostgreSQL): ${MESSAGES} emails, ${WORKERS} worker processes, SIGKILL every ~${KILL_EVERY_MS} ms, SMTP answers after ${SMTP_DELAY_MS} ms, ${SEND_LANES} SMTP connections per worker`,
          row("", "measured", "goal"),
          row("kills (SIGKILL, worker restarted)", KILLS),
          row("duplicates (received twice)", duplicates.length, "0"),
          row("lost (never received, not in doubt)", lost.length, "0"),
          row("in doubt (status unknown)", inDoubt.length, `<= ${KILLS * SEND_LANES} (${SEND_LANES} per kill)`),
          row("  of which the provider had", inDoubtReached.length),
          row("in doubt per kill, mean", (inDoubt.length / KILLS).toFixed(2), `<= ${SEND_LANES}`),
          row("in doubt per kill, worst", maxPerKill, `<= ${SEND_LANES}`),
          row("claims of killed workers re-sent at once", reclaimed),
          row("sent", rows.filter((r) => r.status === "sent").length),
          row("queue drained after the last kill (s)", (drainedMs / 1000).toFixed(1), "no 5-minute lease wait"),
          row("whole run (s)", ((Date.now() - started) / 1000).toFixed(1)),
          `  kills at (since the workers started; messages pending or sending): ${killLog.join(", ")}`,
          "",
        ].join("\n");
        process.stdout.write(`${table}\n`);

        expect(duplicates.map((r) => r.id)).toEqual([]);
        expect(lost.map((r) => `${r.id}: ${r.status}`)).toEqual([]);
        expect(sentNotReceived.map((r) => r.id)).toEqual([]);
        expect(inDoubt.length).toBeLessThanOrEqual(KILLS * SEND_LANES);
        expect(maxPerKill).toBeLessThanOrEqual(SEND_LANES);
        // Every in-doubt row was left by a killed worker, never by one that stopped cleanly.
        expect(perWorker.size === 0 || [...perWorker.keys()].every((w) => killed.has(pidOf(w)))).toBe(true);
      } finally {
        for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
      }
    },
  );
});
