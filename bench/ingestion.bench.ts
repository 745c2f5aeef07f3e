// Ingestion under load: the app's POST /api/pixel/events (validation, dedupe, durable
// write on PostgreSQL, 202 after commit) against a plain node:http endpoint that only
// parses and answers, both driven by the same autocannon settings in the same run.
// Then webhook acknowledgement p99 under a burst of 10x the steady rate.
// Run: npm run bench -- ingestion [--quick]
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import autocannon from "autocannon";
import { setDatabase, type Database } from "../app/server/db/client.server";
import { expandPixelInbox, inboxEntries, type InboxRow } from "../app/server/ingestion/pixel-inbox.server";
import { benchAppEnv, databaseWithShop, pixelBodies } from "./support/pixel-load";
import { startPostgres } from "./support/postgres";
import { isQuick, median, note, report, roundRatios } from "./support/report";

const BENCH = "ingestion";
const quick = isQuick();
const SHOP = "bench-shop.myshopify.com";
const SECRET = "bench-secret";
const EVENTS_PER_REQUEST = 10;
// Throughput is compared at each side's best concurrency, as web framework benchmarks
// do (TechEmpower's run every test at 16 to 512 connections and rank the peak). One
// fixed level would be unfair to one side: the plain endpoint peaks where autocannon's
// one thread is busiest (about 64 connections here), while an endpoint that answers
// only after a commit needs more requests in flight to keep the CPUs busy while the
// database flushes (Little's law); at 32 connections a fifth of the two cores sat idle
// on our side. The 32-connection figures are still reported, for continuity with
// earlier runs.
const LEVELS = [16, 32, 64, 128, 256, 512];
const CONTINUITY_LEVEL = 32;
// Many short paired rounds rather than a few long ones: this VM's speed drifts by a
// third within minutes, and the median of paired ratios cancels drift best when each
// pair is close together in time.
const DURATION_S = quick ? 2 : 4;
const ROUNDS = quick ? 4 : 7;
const STEADY_RPS = 50;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${log()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server did not start: ${log()}`);
}

function startProcess(args: string[], env: Record<string, string>): { child: ChildProcess; log: () => string } {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return { child, log: () => out.slice(-4000) };
}

let seq = 0;
const runId = crypto.randomBytes(4).toString("hex");
const pixelBody = pixelBodies(SHOP, EVENTS_PER_REQUEST);

function webhookRequest(): { body: string; headers: Record<string, string> } {
  const n = seq++;
  const body = JSON.stringify({
    id: 5_000_000 + n,
    title: `Product ${n}`,
    handle: `p-${n}`,
    status: "active",
    updated_at: new Date().toISOString(),
    variants: [],
  });
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "products/update",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-hmac-sha256": crypto.createHmac("sha256", SECRET).update(body).digest("base64"),
      "x-shopify-webhook-id": `wh-${runId}-${n}`,
      "x-shopify-event-id": `ev-${runId}-${n}`,
      "x-shopify-api-version": "2026-10",
    },
  };
}

async function pixelLoad(url: string, connections: number) {
  return autocannon({
    url: `${url}/api/pixel/events`,
    connections,
    duration: DURATION_S,
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", origin: `https://${SHOP}` },
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: pixelBody() }) }],
  });
}

async function webhookLoad(url: string, rate: number, seconds: number) {
  return autocannon({
    url: `${url}/webhooks/products/update`,
    connections: Math.min(100, rate),
    duration: seconds,
    overallRate: rate,
    method: "POST",
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          const w = webhookRequest();
          return { ...req, body: w.body, headers: { ...req.headers, ...w.headers } };
        },
      },
    ],
  });
}

interface Side {
  label: string;
  url: string;
  /** [level index][round] */
  rates: number[][];
  p99s: number[][];
  accepted: number;
}

/**
 * ROUNDS rounds; each runs every concurrency level, both sides back to back at each
 * level, alternating which side goes first.
 */
async function measurePixel(appUrl: string, plainUrl: string): Promise<{ ours: Side; base: Side }> {
  const side = (label: string, url: string): Side => ({ label, url, rates: LEVELS.map(() => []), p99s: LEVELS.map(() => []), accepted: 0 });
  const sides = [side("app", appUrl), side("node:http", plainUrl)];
  let turn = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const line: string[] = [];
    for (const [level, connections] of LEVELS.entries()) {
      for (const s of turn++ % 2 === 0 ? sides : [...sides].reverse()) {
        const r = await pixelLoad(s.url, connections);
        if (r.non2xx > 0 || r.errors > 0)
          throw new Error(`${s.label} at ${connections} connections answered ${r.non2xx} non-2xx and ${r.errors} errors`);
        s.rates[level]!.push((r["2xx"] * EVENTS_PER_REQUEST) / DURATION_S);
        s.p99s[level]!.push(r.latency.p99);
        s.accepted += r["2xx"];
      }
      line.push(
        `${connections}: ${sides.map((s) => `${Math.round(s.rates[level]!.at(-1)! / 1000)}k/${s.p99s[level]!.at(-1)}ms`).join(" vs ")}`,
      );
    }
    note(`round ${round + 1} (app vs node:http, events/s / p99): ${line.join("; ")}`);
  }
  return { ours: sides[0]!, base: sides[1]! };
}

/** Per round, the best rate over all levels. */
const peaks = (s: Side) => Array.from({ length: ROUNDS }, (_, round) => Math.max(...s.rates.map((level) => level[round]!)));

function reportPixel({ ours, base }: { ours: Side; base: Side }): void {
  for (const [level, connections] of LEVELS.entries()) {
    note(
      `${connections} connections: app ${Math.round(median(ours.rates[level]!))} events/s, p99 ${median(ours.p99s[level]!)} ms; ` +
        `node:http ${Math.round(median(base.rates[level]!))} events/s, p99 ${median(base.p99s[level]!)} ms; ` +
        `ratio ${median(roundRatios(ours.rates[level]!, base.rates[level]!, true)).toFixed(3)}`,
    );
  }
  // Each round measured both sides at every level within a minute: the ratio is the
  // median of the rounds' peak-to-peak ratios.
  const ourPeaks = peaks(ours);
  const basePeaks = peaks(base);
  const peakRatios = roundRatios(ourPeaks, basePeaks, true);
  note(`per-round peak ratios: ${peakRatios.map((r) => r.toFixed(3)).join(", ")}`);
  report({
    bench: BENCH,
    metric: `pixel_events_per_s`,
    value: median(ourPeaks),
    unit: "events/s",
    baseline: `node:http parse-and-answer, each at its best of ${LEVELS.join("/")} connections`,
    baseline_value: median(basePeaks),
    higherIsBetter: true,
    pairedRatios: peakRatios,
  });
  // Latency is compared at one concurrency for both: the level where our rate peaked most often.
  const ourBest = ourPeaks.map((peak, round) => ours.rates.findIndex((level) => level[round] === peak));
  const level = mode(ourBest);
  const at = `${LEVELS[level]} connections`;
  report({
    bench: BENCH,
    metric: `pixel_p99_ms`,
    value: median(ours.p99s[level]!),
    unit: "ms",
    baseline: `node:http parse-and-answer at ${at}, where our rate peaked`,
    baseline_value: median(base.p99s[level]!),
    higherIsBetter: false,
    pairedRatios: roundRatios(ours.p99s[level]!, base.p99s[level]!, false),
  });
  const c = LEVELS.indexOf(CONTINUITY_LEVEL);
  const fixed = `node:http parse-and-answer, both at ${CONTINUITY_LEVEL} connections`;
  report({
    bench: BENCH,
    metric: `pixel_events_per_s_at_${CONTINUITY_LEVEL}_connections`,
    value: median(ours.rates[c]!),
    unit: "events/s",
    baseline: fixed,
    baseline_value: median(base.rates[c]!),
    higherIsBetter: true,
    pairedRatios: roundRatios(ours.rates[c]!, base.rates[c]!, true),
  });
}

function mode(xs: number[]): number {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
}

/**
 * Batches in the inbox rows left, counted by decoding them as the worker does: expanding
 * millions of events through the worker would take minutes, and its rate is measured on a sample.
 */
async function batchesLeftInInbox(database: Database): Promise<number> {
  let batches = 0;
  for (let after = "0"; ;) {
    const rows = await database.query<{ id: string } & Pick<InboxRow, "receivedAt" | "bodyZstd" | "body">>(
      `SELECT id, "receivedAt", "bodyZstd", body FROM "PixelInbox" WHERE id > $1 ORDER BY id LIMIT 500`,
      [after],
    );
    if (rows.length === 0) return batches;
    for (const row of rows) batches += inboxEntries(row).length;
    after = rows.at(-1)!.id;
  }
}

const pgServer = await startPostgres();
const children: ChildProcess[] = [];
try {
  const { target, database } = await databaseWithShop(pgServer, "ingest", SHOP, 4);

  if (!fs.existsSync("build/server/index.js")) {
    note("building the app (remix vite:build)...");
    execFileSync(path.resolve("node_modules/.bin/remix"), ["vite:build"], { stdio: "ignore" });
  }
  const appPort = await freePort();
  const plainPort = await freePort();
  const app = startProcess(["server.ts"], benchAppEnv(appPort, target.url, SECRET));
  const plain = startProcess(["bench/support/plain-endpoint.ts"], { PORT: String(plainPort), SHOPIFY_API_SECRET: SECRET });
  children.push(app.child, plain.child);
  const appUrl = `http://127.0.0.1:${appPort}`;
  const plainUrl = `http://127.0.0.1:${plainPort}`;
  await waitUp(`${appUrl}/healthz`, app.child, app.log);
  await waitUp(plainUrl, plain.child, plain.log);

  // Warm both (JIT tiers, connection pools, caches) before measuring.
  note("warming up...");
  for (const url of [appUrl, plainUrl]) for (const connections of [CONTINUITY_LEVEL, LEVELS.at(-1)!]) await pixelLoad(url, connections);

  note(
    `pixel load: ${LEVELS.join(", ")} connections, ${DURATION_S} s each, ${EVENTS_PER_REQUEST} events per request, ${ROUNDS} rounds alternating which side goes first`,
  );
  const pixel = await measurePixel(appUrl, plainUrl);
  // A 202 means the batch is committed in the inbox: every accepted batch must be there.
  // The worker's expansion into Event rows is measured too, on the oldest rows for a
  // while, so a backlog that could never drain would show.
  const inboxRows = Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM "PixelInbox"`))[0]!.n);
  setDatabase(database);
  const drainStart = performance.now();
  const drainUntil = drainStart + (quick ? 10_000 : 30_000);
  // Two workers, as production may run several (they take disjoint rows: SKIP LOCKED).
  const expandFor = async () => {
    const total = { claimed: 0, inserted: 0 };
    while (performance.now() < drainUntil) {
      const r = await expandPixelInbox();
      if (r.claimed === 0) break;
      total.claimed += r.claimed;
      total.inserted += r.inserted;
    }
    return total;
  };
  const expanded = (await Promise.all([expandFor(), expandFor()])).reduce((a, b) => ({
    claimed: a.claimed + b.claimed,
    inserted: a.inserted + b.inserted,
  }));
  const drainS = (performance.now() - drainStart) / 1000;
  const stored = Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM "Event"`))[0]!.n);
  if (stored !== expanded.claimed * EVENTS_PER_REQUEST)
    throw new Error(`the worker took ${expanded.claimed} batches but stored ${stored} events`);
  const held = expanded.claimed + (await batchesLeftInInbox(database));
  if (held < pixel.ours.accepted) throw new Error(`only ${held} batches stored for ${pixel.ours.accepted} accepted requests`);
  note(
    `the inbox held ${held} batches (${pixel.ours.accepted} accepted while measured, the rest while warming up) in ${inboxRows} rows: ${(held / inboxRows).toFixed(1)} per group commit`,
  );
  note(
    `two workers expanded ${expanded.claimed} of them into ${expanded.inserted} events in ${drainS.toFixed(1)} s (${Math.round(expanded.inserted / drainS)} events/s)`,
  );
  reportPixel(pixel);
  // The rest is left unexpanded; the expansion wrote a lot of WAL and dead rows: clear,
  // vacuum and checkpoint now, as autovacuum and the checkpointer would otherwise do it
  // in the middle of the webhook burst.
  await database.query(`TRUNCATE "PixelInbox"`);
  await database.query(`VACUUM (ANALYZE) "PixelInbox", "Event"`);
  await database.query("CHECKPOINT");

  // One burst's p99 is the slowest 1% of a few seconds: a single stall moves it by
  // hundreds of milliseconds, so the burst is measured three times on each side
  // (alternating which goes first) and the medians are reported.
  const burstSeconds = quick ? 3 : 5;
  const BURSTS = 3;
  note(
    `webhooks: steady ${STEADY_RPS}/s for ${burstSeconds} s, then a burst of ${STEADY_RPS * 10}/s for ${burstSeconds} s, ${BURSTS} times on each side`,
  );
  const bursts = { app: { p99: [] as number[], acks: [] as number[] }, plain: { p99: [] as number[], acks: [] as number[] } };
  for (let i = 0; i < BURSTS; i++) {
    for (const side of i % 2 === 0 ? (["app", "plain"] as const) : (["plain", "app"] as const)) {
      const url = side === "app" ? appUrl : plainUrl;
      await webhookLoad(url, STEADY_RPS, burstSeconds);
      const burst = await webhookLoad(url, STEADY_RPS * 10, burstSeconds);
      if (burst.non2xx > 0 || burst.errors > 0) throw new Error(`webhooks (${side}): ${burst.non2xx} non-2xx, ${burst.errors} errors`);
      bursts[side].p99.push(burst.latency.p99);
      bursts[side].acks.push(burst["2xx"] / burstSeconds);
    }
  }
  note(`webhook ack p99 per burst: app ${bursts.app.p99.join(", ")} ms; node:http ${bursts.plain.p99.join(", ")} ms`);
  const webhookBaseline = "node:http HMAC-check-and-answer";
  report({
    bench: BENCH,
    metric: "webhook_ack_p99_ms_at_10x_burst",
    value: median(bursts.app.p99),
    unit: "ms",
    baseline: webhookBaseline,
    baseline_value: median(bursts.plain.p99),
    higherIsBetter: false,
  });
  report({
    bench: BENCH,
    metric: "webhook_acks_per_s_at_10x_burst",
    value: median(bursts.app.acks),
    unit: "req/s",
    baseline: webhookBaseline,
    baseline_value: median(bursts.plain.acks),
    higherIsBetter: true,
  });
  await database.close();
  await target.drop().catch(() => undefined);
} finally {
  for (const c of children) c.kill("SIGTERM");
  await pgServer.stop();
}
