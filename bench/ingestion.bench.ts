// Ingestion under load: the app's POST /api/pixel/events (validation, dedupe, durable
// write on PostgreSQL, 202 after commit) against a plain node:http endpoint that only
// parses and answers, both driven by the same autocannon settings in the same run.
// Then webhook acknowledgement p99 under a burst of 10x the steady rate.
// Run: npm run bench -- ingestion [--quick]
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { setDatabase } from "../app/server/db/client.server";
import { drainPixelInbox } from "../app/server/ingestion/pixel-inbox.server";
import { benchAppEnv, databaseWithShop, pixelBodies } from "./support/pixel-load";
import { descendants, startPostgres, type PostgresServer } from "./support/postgres";
import { isQuick, median, note, report, roundRatios } from "./support/report";

const BENCH = "ingestion";
const quick = isQuick();
const SHOP = "bench-shop.myshopify.com";
const SECRET = "bench-secret";
const EVENTS_PER_REQUEST = 10;
const CONNECTIONS = 32;
// Many short paired rounds rather than a few long ones: this VM's speed drifts by a
// third within minutes, and the median of paired ratios cancels drift best when each
// pair is close together in time.
const DURATION_S = quick ? 2 : 5;
const ROUNDS = quick ? 5 : 9;
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
  const body = JSON.stringify({ id: 5_000_000 + n, title: `Product ${n}`, handle: `p-${n}`, status: "active", updated_at: new Date().toISOString(), variants: [] });
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

async function pixelLoad(url: string) {
  return autocannon({
    url: `${url}/api/pixel/events`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8" },
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
  rates: number[];
  p99s: number[];
  accepted: number;
}

/** ROUNDS rounds, each running both sides back to back, alternating which goes first. */
async function measurePixel(appUrl: string, plainUrl: string): Promise<{ ours: Side; base: Side }> {
  const sides: Side[] = [
    { label: "app", url: appUrl, rates: [], p99s: [], accepted: 0 },
    { label: "node:http", url: plainUrl, rates: [], p99s: [], accepted: 0 },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const r = await pixelLoad(side.url);
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${side.label} answered ${r.non2xx} non-2xx and ${r.errors} errors`);
      side.rates.push((r["2xx"] * EVENTS_PER_REQUEST) / DURATION_S);
      side.p99s.push(r.latency.p99);
      side.accepted += r["2xx"];
      note(`round ${round + 1}: ${side.label}: ${Math.round(side.rates.at(-1)!)} events/s, p99 ${r.latency.p99} ms`);
    }
  }
  return { ours: sides[0]!, base: sides[1]! };
}

function reportPixel({ ours, base }: { ours: Side; base: Side }, suffix: string): void {
  // Each round ran both sides back to back: the ratio is the median of the rounds' ratios.
  const rateRatios = roundRatios(ours.rates, base.rates, true);
  const p99Ratios = roundRatios(ours.p99s, base.p99s, false);
  note(`per-round ratios${suffix}: events/s ${rateRatios.map((r) => r.toFixed(3)).join(", ")}; p99 ${p99Ratios.map((r) => r.toFixed(3)).join(", ")}`);
  const baseline = `node:http parse-and-answer${suffix ? "; PostgreSQL on its own core" : ""}`;
  report({ bench: BENCH, metric: `pixel_events_per_s${suffix}`, value: median(ours.rates), unit: "events/s", baseline, baseline_value: median(base.rates), higherIsBetter: true, pairedRatios: rateRatios });
  report({ bench: BENCH, metric: `pixel_p99_ms${suffix}`, value: median(ours.p99s), unit: "ms", baseline, baseline_value: median(base.p99s), higherIsBetter: false, pairedRatios: p99Ratios });
}

/**
 * Pins the private PostgreSQL cluster to the last core and the given processes (with
 * their children and threads) to the others; null where that cannot be done.
 */
function cpuPinning(server: PostgresServer, pids: number[]): { pin: () => void; unpin: () => void } | null {
  const cpus = os.availableParallelism();
  if (!server.pids || cpus < 2) return null;
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
  } catch {
    return null;
  }
  const set = (cpuList: string, targets: number[]) => {
    for (const pid of targets) {
      try {
        execFileSync("taskset", ["-a", "-p", "-c", cpuList, String(pid)], { stdio: "ignore" });
      } catch {
        // the process ended meanwhile
      }
    }
  };
  const ours = () => pids.flatMap((pid) => [pid, ...descendants(pid)]);
  return {
    pin: () => {
      set(String(cpus - 1), server.pids!());
      set(cpus === 2 ? "0" : `0-${cpus - 2}`, ours());
    },
    unpin: () => set(`0-${cpus - 1}`, [...server.pids!(), ...ours()]),
  };
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

  // Warm both at the measured concurrency (JIT tiers, connection pools, caches) before measuring.
  note("warming up...");
  for (const url of [appUrl, plainUrl]) await autocannon({ url: `${url}/api/pixel/events`, connections: CONNECTIONS, duration: 3, method: "POST", requests: [{ setupRequest: (r: autocannon.Request) => ({ ...r, body: pixelBody() }) }] });

  note(`pixel load: ${CONNECTIONS} connections, ${DURATION_S} s, ${EVENTS_PER_REQUEST} events per request, ${ROUNDS} rounds alternating which side goes first`);
  const shared = await measurePixel(appUrl, plainUrl);
  // The same rounds with PostgreSQL on a core of its own, as a database server would be,
  // and the load generator and both endpoints sharing the others: on the shared cores the
  // database's CPU is charged to ours only, since the baseline has no database.
  const pinning = cpuPinning(pgServer, [process.pid, app.child.pid!, plain.child.pid!]);
  let ownCore: Awaited<ReturnType<typeof measurePixel>> | null = null;
  if (pinning) {
    pinning.pin();
    note("again with PostgreSQL on its own core (taskset)");
    try {
      ownCore = await measurePixel(appUrl, plainUrl);
    } finally {
      pinning.unpin();
    }
  } else note("not measured with PostgreSQL on its own core: needs taskset, 2+ cores and the private cluster");
  const accepted = shared.ours.accepted + (ownCore?.ours.accepted ?? 0);
  // A 202 means the batch is committed in the inbox; the worker's expansion into Event
  // rows is measured too, so a backlog that could never drain would show.
  const inboxRows = Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM "PixelInbox"`))[0]!.n);
  setDatabase(database);
  const drainStart = performance.now();
  // Two workers, as production may run several (they take disjoint rows: SKIP LOCKED).
  const drained = (await Promise.all([drainPixelInbox(), drainPixelInbox()])).reduce((a, b) => ({ claimed: a.claimed + b.claimed, inserted: a.inserted + b.inserted, duplicates: a.duplicates + b.duplicates }));
  const drainS = (performance.now() - drainStart) / 1000;
  if (drained.claimed < accepted) throw new Error(`only ${drained.claimed} batches stored for ${accepted} accepted requests`);
  note(`the inbox held ${drained.claimed} batches in ${inboxRows} rows (${(drained.claimed / inboxRows).toFixed(1)} per group commit)`);
  const stored = Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM "Event"`))[0]!.n);
  if (stored < accepted * EVENTS_PER_REQUEST) throw new Error(`only ${stored} events stored for ${accepted} accepted requests`);
  note(`stored ${accepted} batches durably; two workers expanded them into ${drained.inserted} events in ${drainS.toFixed(1)} s (${Math.round(drained.inserted / drainS)} events/s, two workers)`);
  reportPixel(shared, "");
  if (ownCore) reportPixel(ownCore, "_db_on_own_core");
  // The expansion wrote a lot of WAL and left dead inbox rows: flush and vacuum now, as
  // autovacuum and the checkpointer would otherwise do in the middle of the webhook burst.
  await database.query(`VACUUM (ANALYZE) "PixelInbox", "Event"`);
  await database.query("CHECKPOINT");

  // One burst's p99 is the slowest 1% of a few seconds: a single stall moves it by
  // hundreds of milliseconds, so the burst is measured three times on each side
  // (alternating which goes first) and the medians are reported.
  const burstSeconds = quick ? 3 : 5;
  const BURSTS = 3;
  note(`webhooks: steady ${STEADY_RPS}/s for ${burstSeconds} s, then a burst of ${STEADY_RPS * 10}/s for ${burstSeconds} s, ${BURSTS} times on each side`);
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
  report({ bench: BENCH, metric: "webhook_ack_p99_ms_at_10x_burst", value: median(bursts.app.p99), unit: "ms", baseline: webhookBaseline, baseline_value: median(bursts.plain.p99), higherIsBetter: false });
  report({ bench: BENCH, metric: "webhook_acks_per_s_at_10x_burst", value: median(bursts.app.acks), unit: "req/s", baseline: webhookBaseline, baseline_value: median(bursts.plain.acks), higherIsBetter: true });
  await database.close();
  await target.drop().catch(() => undefined);
} finally {
  for (const c of children) c.kill("SIGTERM");
  await pgServer.stop();
}
