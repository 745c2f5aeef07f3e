import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFlowDefinition } from "~/domain/journey";
import { SEND_LANES } from "~/server/channels/dispatch.server";
import { openDatabase, type Database } from "~/server/db/client.server";
import { migrate } from "~/server/db/migrate.server";
import { freePort } from "../support/ports";

// Several worker processes on one PostgreSQL (PGlite is one process's database, so
// these run in CI's PostgreSQL pass).
const pgUrl = process.env.DATABASE_URL;
const SHOP = "workers.myshopify.com";

function flow(key: string) {
  return parseFlowDefinition({
    schemaVersion: 1,
    key,
    name: key,
    trigger: { type: "event", events: [`${key}_start`] },
    entry: { requiresConsent: "email", reentry: { mode: "always" } },
    startStepId: "first",
    steps: [
      { id: "first", type: "send", channel: "email", templateKey: "test_email", next: "pause" },
      { id: "pause", type: "wait", duration: { minutes: 1 }, next: "second" },
      { id: "second", type: "send", channel: "email", templateKey: "test_email", next: "end" },
      { id: "end", type: "exit", reason: "done" },
    ],
  });
}

async function freshDatabase(): Promise<{ db: Database; url: string; drop: () => Promise<void> }> {
  const name = `w_${crypto.randomBytes(5).toString("hex")}`;
  const admin = await openDatabase({ url: pgUrl!, poolSize: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(pgUrl!);
  u.pathname = `/${name}`;
  const db = await openDatabase({ url: u.toString(), poolSize: 4 });
  await migrate(db);
  return {
    db,
    url: u.toString(),
    drop: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/** A shop, N subscribed customers, the flow switched on, and one trigger event per customer. */
async function seed(db: Database, key: string, customers: number): Promise<string> {
  const shop = await db.prisma.shop.create({
    data: {
      domain: `${key}-${SHOP}`,
      name: key,
      holdoutPercent: 0,
      quietHoursStart: 0,
      quietHoursEnd: 0,
      frequencyCaps: { email: [{ count: 100, windowHours: 1 }], sms: [] },
      senderEmail: "shop@example.com",
      postalAddress: { address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850", countryCodeV2: "PL" },
    },
  });
  const f = await db.prisma.flow.create({ data: { shopId: shop.id, key: `custom-${key}`, name: key, status: "on" } });
  const v = await db.prisma.flowVersion.create({
    data: { shopId: shop.id, flowId: f.id, version: 1, definition: flow(`custom-${key}`) as never },
  });
  await db.prisma.flow.update({ where: { id: f.id }, data: { activeVersionId: v.id } });
  await db.query(
    `INSERT INTO "Customer" (id, "shopId", email, "emailConsentState", "emailConsentUpdatedAt", "createdAt", "updatedAt")
     SELECT $1 || g, $2, $1 || g || '@example.com', 'subscribed', now(), now(), now() FROM generate_series(1, $3) g`,
    [key, shop.id, customers],
  );
  await db.query(
    `INSERT INTO "Event" ("shopId", "customerId", name, source, "sourceId", "occurredAt", data)
     SELECT $2, $1 || g, $4, 'test', $1 || g, now(), '{}'::jsonb FROM generate_series(1, $3) g`,
    [key, shop.id, customers, `custom-${key}_start`],
  );
  return shop.id;
}

function runWorker(url: string, mode: "steps" | "all", env: Record<string, string> = {}, idleExitMs = 1500) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/journey-worker.ts", mode, String(idleExitMs)], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "error", VITEST: undefined, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, out })),
  );
  return { child, done };
}

describe.skipIf(!pgUrl)("worker processes on one PostgreSQL", () => {
  let ctx: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    ctx = await freshDatabase();
  }, 60_000);
  afterAll(async () => {
    await ctx?.drop();
  });

  it.each([2, 4])("%i workers: every due step runs exactly once", { timeout: 180_000 }, async (workers) => {
    const key = `x${workers}`;
    const shopId = await seed(ctx.db, key, 300);
    const runs = await Promise.all(Array.from({ length: workers }, () => runWorker(ctx.url, "steps").done));
    for (const r of runs) expect(r.code, r.out).toBe(0);
    const stats = runs.map((r) => JSON.parse(r.out.trim().split("\n").at(-1)!) as { steps: number; routed: number });
    expect(stats.filter((s) => s.routed + s.steps > 0).length).toBeGreaterThan(1); // the work really was shared
    // The first send ran at entry; the wait has not passed, so each enrollment ran its entry exactly once.
    const perEnrollment = await ctx.db.query<{ n: number; enters: number }>(
      `SELECT count(*) FILTER (WHERE outcome = 'send')::int AS n, count(*) FILTER (WHERE outcome = 'enter')::int AS enters
       FROM "Decision" WHERE "shopId" = $1 GROUP BY "enrollmentId"`,
      [shopId],
    );
    expect(perEnrollment).toHaveLength(300);
    expect(perEnrollment.every((r) => r.n === 1 && r.enters === 1)).toBe(true);
    // Now the wait is due for all of them: make it so, and run the workers again.
    await ctx.db.query(
      `UPDATE "Enrollment" SET "nextWakeAt" = now() - interval '1 second', state = jsonb_set(state, '{wait,until}', to_jsonb((extract(epoch from now()) * 1000)::bigint - 1000)) WHERE "shopId" = $1`,
      [shopId],
    );
    const again = await Promise.all(Array.from({ length: workers }, () => runWorker(ctx.url, "steps").done));
    for (const r of again) expect(r.code, r.out).toBe(0);
    const sends = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Decision" WHERE "shopId" = $1 AND outcome = 'send' GROUP BY "enrollmentId"`,
      [shopId],
    );
    expect(sends.every((r) => r.n === 2)).toBe(true);
    const messages = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" WHERE "shopId" = $1`, [shopId]);
    expect(messages[0]!.n).toBe(600);
    const active = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Enrollment" WHERE "shopId" = $1 AND status = 'active'`,
      [shopId],
    );
    expect(active[0]!.n).toBe(0);
  });

  it("a worker killed with SIGKILL at random moments, 20+ times: zero duplicate emails, no step lost", { timeout: 300_000 }, async () => {
    const received = new Map<string, number>();
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, _session, cb) {
        simpleParser(stream)
          .then((mail) => {
            const id = mail.messageId ?? "missing";
            received.set(id, (received.get(id) ?? 0) + 1);
            cb();
          })
          .catch(cb);
      },
    });
    const port = await freePort();
    await new Promise<void>((r) => smtp.listen(port, "127.0.0.1", r));
    try {
      const shopId = await seed(ctx.db, "crash", 120);
      const env = { SMTP_URL: `smtp://127.0.0.1:${port}`, NODE_ENV: "test" };
      let kills = 0;
      for (let round = 0; round < 40 && kills < 22; round++) {
        const w = runWorker(ctx.url, "all", env, 400);
        await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 900)));
        if (w.child.exitCode === null) {
          w.child.kill("SIGKILL");
          kills++;
        }
        await w.done;
        if (round % 5 === 4) {
          // Let the one-minute waits come due while the killing goes on.
          await ctx.db.query(
            `UPDATE "Enrollment" SET "nextWakeAt" = now() - interval '1 second', state = jsonb_set(state, '{wait,until}', to_jsonb((extract(epoch from now()) * 1000)::bigint - 1000))
             WHERE "shopId" = $1 AND status = 'active' AND state->'wait'->>'kind' = 'timer'`,
            [shopId],
          );
        }
      }
      expect(kills).toBeGreaterThanOrEqual(20);
      // Finish: expire every lease, bring every wait due, and let a worker run to the end
      // (as many rounds as a loaded machine needs, until nothing is left to do).
      for (let i = 0; i < 12; i++) {
        const left = await ctx.db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM "Enrollment" WHERE "shopId" = $1 AND status = 'active')
                + (SELECT count(*) FROM "Message" WHERE "shopId" = $1 AND status IN ('pending', 'sending'))::int AS n`,
          [shopId],
        );
        if (i >= 3 && Number(left[0]!.n) === 0) break;
        await ctx.db.query(
          `UPDATE "Message" SET "leaseExpiresAt" = now() - interval '1 second' WHERE "shopId" = $1 AND status IN ('pending', 'sending')`,
          [shopId],
        );
        await ctx.db.query(
          `UPDATE "Enrollment" SET "nextWakeAt" = now() - interval '1 second', state = jsonb_set(state, '{wait,until}', to_jsonb((extract(epoch from now()) * 1000)::bigint - 1000))
           WHERE "shopId" = $1 AND status = 'active' AND state->'wait'->>'kind' = 'timer'`,
          [shopId],
        );
        const last = await runWorker(ctx.url, "all", env, 1500).done;
        expect(last.code, last.out).toBe(0);
      }
      const duplicates = [...received.entries()].filter(([, n]) => n > 1);
      expect(duplicates).toEqual([]);
      const enrollments = await ctx.db.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM "Enrollment" WHERE "shopId" = $1 GROUP BY status`,
        [shopId],
      );
      expect(enrollments).toEqual([{ status: "exited", n: 120 }]);
      const messages = await ctx.db.query<{ status: string; messageIdHeader: string | null; error: string | null }>(
        `SELECT status, "messageIdHeader", error FROM "Message" WHERE "shopId" = $1`,
        [shopId],
      );
      expect(messages).toHaveLength(240); // both steps of every enrollment: none lost, none doubled
      for (const m of messages) {
        expect(["sent", "unknown"], `${m.status}: ${m.error}`).toContain(m.status);
        if (m.status === "sent") expect(received.get(m.messageIdHeader!)).toBe(1);
      }
      // A kill can strand what it was sending as "unknown" (never sent twice, by design),
      // but only the messages on the wire, one per SMTP connection (SEND_LANES), not its
      // whole claimed batch (95 of 240 when a batch of 50 was marked at once). The crash
      // test (tests/worker/send-crash.db.test.ts) counts this per kill.
      expect(messages.filter((m) => m.status === "unknown").length).toBeLessThanOrEqual(kills * SEND_LANES);
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
