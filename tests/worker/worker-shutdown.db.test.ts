// Stopping the worker during a batch loses and duplicates nothing: the sends on the wire
// finish, the rest of the claim goes back to the queue at once (not sent by a worker
// that is going away, not waiting out a lease), and the next worker sends it, each
// message exactly once (counted at a real SMTP server by Message-ID).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "~/server/db/client.server";
import { migrate } from "~/server/db/migrate.server";
import { SEND_LANES } from "~/server/channels/dispatch.server";
import { startWorker } from "~/server/worker/worker.server";
import { useTestDatabase } from "../support/db";
import { createCustomer, createShop, enqueueEmail } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";

const getDb = useTestDatabase();
const pgUrl = process.env.DATABASE_URL;
/** More than one outbox claim (50), so a second worker has work left. */
const MESSAGES = 80;
const CLAIM = 50;
let smtp: SmtpTestServer;

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  smtp = await startSmtpTestServer();
  // A slow provider: each message is answered 100 ms after its data, so a batch takes a while.
  smtp.onData(() => new Promise((r) => setTimeout(() => r(null), 100)));
});
afterAll(async () => {
  await smtp?.close();
  delete process.env.LOG_LEVEL;
});

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function queueMessages(prisma: PrismaClient): Promise<string[]> {
  const shop = await createShop(prisma);
  const ids: string[] = [];
  for (let i = 0; i < MESSAGES; i++) ids.push((await enqueueEmail(prisma, shop.id, await createCustomer(prisma, shop.id))).id);
  return ids.map((id) => `<${id}@flowmate.${shop.domain}>`);
}

/** How often each of these Message-IDs reached the SMTP server. */
function deliveries(messageIds: string[]): number[] {
  const wanted = new Set(messageIds);
  const counts = new Map(messageIds.map((id) => [id, 0]));
  for (const m of smtp.received)
    if (m.parsed.messageId && wanted.has(m.parsed.messageId)) counts.set(m.parsed.messageId, counts.get(m.parsed.messageId)! + 1);
  return messageIds.map((id) => counts.get(id)!);
}
const arrived = (ids: string[]) => deliveries(ids).filter((n) => n > 0).length;

/** After a stop: sent what was on the wire, the rest pending, unclaimed, its attempt not counted. */
async function expectReleased(prisma: PrismaClient, ids: string[], atStop: number): Promise<void> {
  const counts = deliveries(ids);
  expect(counts.every((n) => n <= 1)).toBe(true);
  const sent = counts.filter((n) => n === 1).length;
  expect(sent).toBeGreaterThanOrEqual(atStop);
  expect(sent).toBeLessThanOrEqual(atStop + SEND_LANES);
  expect(await statuses(prisma)).toEqual({ sent, pending: MESSAGES - sent });
  const pending = await prisma.message.findMany({ where: { status: "pending" }, select: { leaseOwner: true, attempts: true } });
  expect(pending.every((m) => m.leaseOwner === null && m.attempts === 0)).toBe(true);
}

/** Messages by status, over the whole (per-test) database. */
async function statuses(prisma: PrismaClient): Promise<Record<string, number>> {
  const rows = await prisma.message.groupBy({ by: ["status"], _count: true });
  return Object.fromEntries(rows.map((r) => [r.status, r._count]));
}

describe("worker shutdown during a batch", () => {
  it(
    "in process: stop() finishes the sends on the wire and releases the rest of the claim; the next worker sends it, each once",
    { timeout: 120_000 },
    async () => {
      const prisma = getDb().prisma;
      const ids = await queueMessages(prisma);
      const first = startWorker({ id: "first" });
      await until("the first messages of the batch to arrive", () => arrived(ids) >= 3);
      const atStop = arrived(ids);
      await first.stop();

      expect(atStop).toBeLessThan(CLAIM);
      await expectReleased(prisma, ids, atStop);
      expect(first.stats().every((s) => !s.running)).toBe(true);

      const second = startWorker({ id: "second" });
      await until("every message to be sent", async () => (await prisma.message.count({ where: { status: "sent" } })) === MESSAGES);
      await second.stop();
      expect(deliveries(ids)).toEqual(ids.map(() => 1));
      expect(await statuses(prisma)).toEqual({ sent: MESSAGES });
    },
  );

  // worker.ts in its own process needs a database two processes can open: PGlite is
  // one process's database, so this runs in the PostgreSQL pass only.
  describe.skipIf(!pgUrl)("worker.ts as a process (PostgreSQL only: PGlite cannot be shared with a second process)", () => {
    let database: Database;
    let url: string;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const name = `shutdown_${crypto.randomBytes(5).toString("hex")}`;
      const admin = await openDatabase({ url: pgUrl!, poolSize: 1 });
      await admin.query(`CREATE DATABASE ${name}`);
      const u = new URL(pgUrl!);
      u.pathname = `/${name}`;
      url = u.toString();
      database = await openDatabase({ url, poolSize: 2 });
      await migrate(database);
      drop = async () => {
        await database.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      };
    }, 60_000);
    afterAll(async () => drop?.());

    // Node itself, not the tsx CLI: tsx relays a signal by waiting 30 ms for the child to
    // acknowledge it and otherwise SIGKILLs it (exit 143), which a loaded machine hits.
    function runWorkerProcess() {
      const child = spawn(process.execPath, ["--import", "tsx", "worker.ts"], {
        env: {
          ...process.env,
          DATABASE_URL: url,
          SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          // Not the demo: a worker starts only with the app's credentials.
          SHOPIFY_API_KEY: "worker-test-key",
          SHOPIFY_API_SECRET: "worker-test-secret",
          SHOPIFY_APP_URL: "https://flowmate.example",
          NODE_ENV: "test",
          LOG_LEVEL: "info",
          VITEST: undefined,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on("exit", (code, signal) => resolve({ code, signal })),
      );
      return { child, exited, out: () => out };
    }

    it(
      "SIGTERM mid-batch: the worker finishes the sends on the wire, releases the rest and exits 0; the next one sends it, each once",
      { timeout: 180_000 },
      async () => {
        const prisma = database.prisma;
        const ids = await queueMessages(prisma);
        const first = runWorkerProcess();
        await until("the first messages of the batch to arrive", () => arrived(ids) >= 3, 90_000);
        const atSignal = arrived(ids);
        first.child.kill("SIGTERM");
        const exit = await first.exited;
        expect(exit, first.out()).toEqual({ code: 0, signal: null });
        expect(first.out()).toContain('"msg":"worker stopped"');

        expect(atSignal).toBeLessThan(CLAIM);
        await expectReleased(prisma, ids, atSignal);

        const second = runWorkerProcess();
        await until(
          "every message to be sent",
          async () => (await prisma.message.count({ where: { status: "sent" } })) === MESSAGES,
          90_000,
        );
        second.child.kill("SIGTERM");
        expect(await second.exited, second.out()).toEqual({ code: 0, signal: null });
        expect(deliveries(ids)).toEqual(ids.map(() => 1));
        expect(await statuses(prisma)).toEqual({ sent: MESSAGES });
      },
    );
  });
});
