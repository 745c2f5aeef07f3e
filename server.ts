// The HTTP entry point: `npm run demo` (embedded PGlite, demo shop, SMTP sink),
// `npm run dev`, and `npm start` (production build). Web only: background work runs
// in worker.ts, which may run on any number of machines.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import http from "node:http";
import { assertStartable, enableDemoMode, readEnv, StartupError } from "./app/server/config.server";
import { initDatabase } from "./app/server/db/init.server";
import { log } from "./app/server/log.server";

// Demo mode only when asked for by name: a missing variable never turns it on.
const demo = process.argv.includes("--demo");
if (demo) enableDemoMode();
// `npm run demo` serves the production build (fast first paint, no dev websocket);
// `npm run dev` compiles on demand with hot reload.
const serveBuild = process.env.NODE_ENV === "production" || process.argv.includes("--built");
let demoSms = false;
if (demo) {
  process.env.SHOPIFY_ADMIN_API_ORIGIN ??= `http://127.0.0.1:${process.env.PORT ?? 3000}/dev/shopify`;
  // SMS through the Twilio stand-in at /dev/twilio, unless real credentials are set.
  const { pointSmsAtDemoStandin } = await import("./demo/sms-account");
  demoSms = pointSmsAtDemoStandin(process.env, process.env.PORT ?? 3000);
}
const env = readEnv();
const production = env.NODE_ENV === "production";
if (production && demo) throw new Error("--demo cannot run with NODE_ENV=production");
try {
  assertStartable(env, "The web server");
} catch (error) {
  if (!(error instanceof StartupError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const database = await initDatabase(env);
let stopWorker: (() => Promise<void>) | undefined;

if (demo) {
  const { seedDemoShop } = await import("./demo/seed/seed-demo-shop.server");
  const { demoHistorySettings, demoHistoryStart, demoHistoryWanted, seedDemoHistory } =
    await import("./demo/seed/history/seed-history.server");
  // Months of flow history made by the engine, once, at the first seed: `--no-history` or DEMO_HISTORY=off skips it.
  const history = demoHistoryWanted(process.argv, process.env);
  const settings = demoHistorySettings(process.env);
  const { seeded, shopId } = await seedDemoShop(history ? { flowsSince: demoHistoryStart(settings) } : {});
  // A failed history leaves the demo usable with what was made (and says so); it is not made again.
  if (seeded && history)
    await seedDemoHistory(shopId, settings).catch((err: unknown) =>
      log.error("demo history failed; the demo starts without the rest of it", { err: String(err) }),
    );
  if (!env.SMTP_URL) {
    const { startSmtpSink } = await import("./demo/standins/smtp-sink.server");
    await startSmtpSink(env.SMTP_SINK_PORT);
  }
  log.info(seeded ? "demo shop created" : "demo shop already present");
  // One process does it all in the demo; production runs worker.ts separately.
  const { startWorker } = await import("./app/server/worker/worker.server");
  stopWorker = startWorker().stop;
}

const app = express();
app.disable("x-powered-by");

const { handleIngestionFastPath } = await import("./app/server/http/fast-ingest.server");
// GET /metrics (Prometheus) answers only a METRICS_TOKEN bearer; 404 when no token is set.
const { handleMetricsRequest } = await import("./app/server/metrics/metrics-endpoint.server");
const { setMetricsProcess } = await import("./app/server/metrics/registry.server");
setMetricsProcess("web");
const httpServer = http.createServer((req, res) => {
  if (!handleIngestionFastPath(req, res) && !handleMetricsRequest(req, res)) app(req, res);
});
let build: ServerBuild | (() => Promise<ServerBuild>);
if (serveBuild) {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
  // @ts-expect-error the server build exists only after `npm run build`
  build = (await import("./build/server/index.js")) as ServerBuild;
} else {
  const vite = await import("vite");
  const viteServer = await vite.createServer({ server: { middlewareMode: true, hmr: { server: httpServer } }, appType: "custom" });
  app.use(viteServer.middlewares);
  build = () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
}

// Remix's handler never rejects: it passes its errors to Express's next().
// The socket's peer address, for the public endpoints' per-client limits (http/public-limits.server.ts).
const remix = createRequestHandler({ build, getLoadContext: (req) => ({ remoteAddress: req.socket.remoteAddress }) });
app.all("*", (req, res, next) => void remix(req, res, next));

const server = httpServer.listen(env.PORT, () => {
  const base = `http://localhost:${env.PORT}`;
  log.info("listening", { url: base, db: database.describe, mode: production ? "production" : demo ? "demo" : "development" });
  if (demo) {
    process.stdout.write(
      `\n  Flowmate demo is running on ${database.describe}\n` +
        `    Admin:                ${base}/app   (Polish: ${base}/app?lang=pl)\n` +
        `    Storefront simulator: ${base}/dev/storefront\n` +
        `    Mail outbox:          ${base}/dev/mail\n` +
        `    SMS outbox:           ${base}/dev/sms${demoSms ? "" : "   (SMS go to the gateway in SMS_API_BASE_URL)"}\n` +
        `    Health:               ${base}/healthz\n` +
        `    Advance the clock:    curl -X POST ${base}/dev/clock/advance -H 'content-type: application/json' -d '{"ms":3600000}'\n\n`,
    );
  }
});

async function shutdown(signal: string) {
  log.info("shutting down", { signal });
  server.close();
  await stopWorker?.();
  await database.close().catch(() => undefined);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
