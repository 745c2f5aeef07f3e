// The journey runner as a scheduler: due-step throughput and lateness with a large
// number of pending future enrollments in the table, side by side with pg-boss doing
// an equivalent one-write job on the same PostgreSQL, in the same run.
// Ours: a due enrollment wakes, the engine runs its next step (an exit), and the
// enrollment state plus a decision-log row are written (the runner's real code).
// pg-boss 12: a due job is fetched and its handler writes one row, configured as its
// docs recommend for throughput (batchSize 100, localConcurrency 4, burstWhenBatchFull).
// Run: npm run bench -- scheduler [--quick]
import { PgBoss } from "pg-boss";
import { openDatabase, setDatabase } from "../app/server/db/client.server";
import { migrate } from "../app/server/db/migrate.server";
import { parseFlowDefinition, step, type EngineContext } from "../app/domain/journey";
import { DEFAULT_FREQUENCY_CAPS } from "../app/domain/arbitration/caps";
import { runDueEnrollments } from "../app/server/journeys/runner.server";
import { startPostgres } from "./support/postgres";
import { isQuick, note, percentile, report } from "./support/report";

const BENCH = "scheduler";
const quick = isQuick();
const PENDING = quick ? 100_000 : 1_000_000;
const DUE = quick ? 10_000 : 50_000;
const LATENESS_JOBS = quick ? 3_000 : 20_000;
const LATENESS_SPREAD_MS = quick ? 6_000 : 20_000;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const CUSTOMERS = 1_000;
const POLL_MS = 100;

const definition = parseFlowDefinition({
  schemaVersion: 1,
  key: "custom-bench",
  name: "Scheduler benchmark",
  trigger: { type: "event", events: ["bench"] },
  entry: { requiresConsent: "none", reentry: { mode: "always" } },
  startStepId: "wait",
  steps: [
    { id: "wait", type: "wait", duration: { days: 30 }, next: "done" },
    { id: "done", type: "exit", reason: "bench_done" },
  ],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pg = await startPostgres();
try {
  const target = await pg.createDatabase("sched");
  const database = await openDatabase({ url: target.url, poolSize: WORKERS + 4 });
  await migrate(database);
  setDatabase(database);
  const q = database.query;
  const shop = await database.prisma.shop.create({ data: { domain: "sched.myshopify.com", name: "Scheduler", holdoutPercent: 0 } });
  const flow = await database.prisma.flow.create({ data: { shopId: shop.id, key: "custom-bench", name: "bench", status: "on" } });
  const version = await database.prisma.flowVersion.create({
    data: { shopId: shop.id, flowId: flow.id, version: 1, definition: definition as never },
  });
  await q(
    `INSERT INTO "Customer" (id, "shopId", email, "emailConsentState", "createdAt", "updatedAt")
     SELECT 'c' || g, $1, 'c' || g || '@example.com', 'subscribed', now(), now() FROM generate_series(1, $2) g`,
    [shop.id, CUSTOMERS],
  );
  // One engine-made state (waiting at "wait"); each row gets its own wake time in it.
  const t0 = Date.now();
  const ctx = {
    customer: {
      id: "c1",
      email: { address: true, consent: "subscribed" },
      sms: { address: false, consent: "not_subscribed" },
      timezone: null,
      locale: null,
      ordersCount: 0,
      totalSpent: 0,
      firstOrderAt: null,
      lastOrderAt: null,
      tags: [],
      marketingPausedUntil: null,
      unsubscribedTopics: [],
    },
    shop: { id: shop.id, timezone: "UTC", locale: "en", quietHours: null, frequencyCaps: DEFAULT_FREQUENCY_CAPS, holdoutPercent: 0 },
    recentSends: [],
    otherEnrollments: [],
    holdout: false,
    enrollmentId: "template",
    flow: { id: flow.id, key: "custom-bench", priority: 50 },
  } satisfies EngineContext;
  const template = step(definition, null, { kind: "start", trigger: { type: "event", event: "bench", at: t0, data: {} } }, t0, ctx).state;

  async function insertEnrollments(prefix: string, count: number, wakeSql: string) {
    const chunk = 100_000;
    for (let from = 1; from <= count; from += chunk) {
      const to = Math.min(count, from + chunk - 1);
      await q(
        `WITH w AS (SELECT g, ${wakeSql} AS wake FROM generate_series($6::int, $7::int) g)
         INSERT INTO "Enrollment" (id, "shopId", "flowId", "flowVersionId", "customerId", status, state, "contextKey", "nextWakeAt", "enteredAt", "createdAt", "updatedAt")
         SELECT $1 || g, $2, $3, $4, 'c' || (1 + g % $8), 'active',
                jsonb_set($5::jsonb, '{wait,until}', to_jsonb((extract(epoch FROM wake) * 1000)::bigint)), $1 || g, wake, now(), now(), now()
         FROM w`,
        [prefix, shop.id, flow.id, version.id, JSON.stringify(template), from, to, CUSTOMERS],
      );
    }
  }

  note(`seeding ${PENDING.toLocaleString()} pending future enrollments and ${DUE.toLocaleString()} due ones...`);
  await insertEnrollments("p", PENDING, `now() + interval '30 days' + g * interval '1 second'`);
  await insertEnrollments("d", DUE, `now() - interval '1 second'`);
  await q(`ANALYZE "Enrollment"`);

  // --- ours: drain the due backlog with WORKERS concurrent runners --------------------------
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      for (;;) {
        const r = await runDueEnrollments(BATCH);
        done += r.claimed;
        if (r.claimed === 0) return;
      }
    }),
  );
  const ourSeconds = (performance.now() - started) / 1000;
  const completed = Number(
    (await q<{ n: string }>(`SELECT count(*) AS n FROM "Enrollment" WHERE id LIKE 'd%' AND status <> 'active'`))[0]!.n,
  );
  if (completed !== DUE || done !== DUE) throw new Error(`ran ${done}, completed ${completed}, expected ${DUE}`);

  // --- pg-boss: same number of due jobs, the same count of pending future jobs -------------
  const boss = new PgBoss({ connectionString: target.url, max: WORKERS + 4, schema: "pgboss" });
  boss.on("error", (e: unknown) => note(`pg-boss error: ${String(e)}`));
  await boss.start();
  await q(`CREATE TABLE bench_effect (id text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`);
  await boss.createQueue("due");
  note(`seeding pg-boss: ${PENDING.toLocaleString()} future jobs, ${DUE.toLocaleString()} due jobs...`);
  const future = new Date(Date.now() + 30 * 86_400_000);
  for (let i = 0; i < PENDING; i += 10_000) {
    await boss.insert(
      "due",
      Array.from({ length: Math.min(10_000, PENDING - i) }, (_, k) => ({ data: { n: i + k }, startAfter: future })),
    );
  }
  for (let i = 0; i < DUE; i += 10_000) {
    await boss.insert(
      "due",
      Array.from({ length: Math.min(10_000, DUE - i) }, (_, k) => ({ data: { n: i + k } })),
    );
  }
  let bossDone = 0;
  const lateBoss: number[] = [];
  let measuringLateness = false;
  const bossStart = performance.now();
  let bossEnd = 0;
  await boss.work<{ n: number; due?: number }>(
    "due",
    { batchSize: 100, localConcurrency: WORKERS, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true },
    async (jobs) => {
      const fired = Date.now();
      await q(`INSERT INTO bench_effect (id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [jobs.map((j) => j.id)]);
      for (const j of jobs) if (measuringLateness && j.data.due) lateBoss.push(fired - j.data.due);
      bossDone += jobs.length;
      if (bossDone >= DUE && !bossEnd) bossEnd = performance.now();
    },
  );
  while (!bossEnd) await sleep(50);
  const bossSeconds = (bossEnd - bossStart) / 1000;
  report({
    bench: BENCH,
    metric: "due_steps_per_s",
    value: DUE / ourSeconds,
    unit: "steps/s",
    baseline: "pg-boss 12 one-write jobs",
    baseline_value: DUE / bossSeconds,
    higherIsBetter: true,
  });

  // --- lateness: work arriving over time, both systems running continuously -------------------
  note(`lateness: ${LATENESS_JOBS.toLocaleString()} steps due over ${LATENESS_SPREAD_MS / 1000} s`);
  const base = Date.now() + 1500;
  const lateOurs: number[] = [];
  let running = true;
  const loops = Array.from({ length: WORKERS }, async () => {
    while (running) {
      const r = await runDueEnrollments(BATCH);
      lateOurs.push(...r.lateness);
      if (r.claimed === 0) await sleep(POLL_MS);
    }
  });
  measuringLateness = true;
  await insertEnrollmentsAt("l", LATENESS_JOBS, base);
  for (let i = 0; i < LATENESS_JOBS; i += 5_000) {
    await boss.insert(
      "due",
      Array.from({ length: Math.min(5_000, LATENESS_JOBS - i) }, (_, k) => {
        const due = base + Math.floor(((i + k) * LATENESS_SPREAD_MS) / LATENESS_JOBS);
        return { data: { n: i + k, due }, startAfter: new Date(due) };
      }),
    );
  }
  const deadline = base + LATENESS_SPREAD_MS + 30_000;
  while ((lateOurs.length < LATENESS_JOBS || lateBoss.length < LATENESS_JOBS) && Date.now() < deadline) await sleep(200);
  running = false;
  await Promise.all(loops);
  await boss.stop({ graceful: false }).catch(() => undefined);
  if (lateOurs.length < LATENESS_JOBS) throw new Error(`only ${lateOurs.length} of ${LATENESS_JOBS} steps ran`);
  report({
    bench: BENCH,
    metric: "lateness_p50_ms",
    value: percentile(lateOurs, 50),
    unit: "ms",
    baseline: "pg-boss 12 startAfter",
    baseline_value: percentile(lateBoss, 50),
    higherIsBetter: false,
  });
  report({
    bench: BENCH,
    metric: "lateness_p99_ms",
    value: percentile(lateOurs, 99),
    unit: "ms",
    baseline: "pg-boss 12 startAfter",
    baseline_value: percentile(lateBoss, 99),
    higherIsBetter: false,
  });

  async function insertEnrollmentsAt(prefix: string, count: number, startMs: number) {
    await insertEnrollments(
      prefix,
      count,
      `to_timestamp((${startMs} + floor((g - 1) * ${LATENESS_SPREAD_MS}::float8 / ${count}))::float8 / 1000)`,
    );
  }

  await database.close();
  await target.drop().catch(() => undefined);
} finally {
  await pg.stop();
}
