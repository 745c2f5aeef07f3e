// Background worker: `npm run worker`. Run as many as you like, on as many machines
// as you like, against one PostgreSQL; they share work through row leases.
import { assertStartable, readEnv, REQUIRED_SHOPIFY_ENV, StartupError } from "./app/server/config.server";
import { initDatabase } from "./app/server/db/init.server";
import { log } from "./app/server/log.server";
import { startMetricsServer } from "./app/server/metrics/metrics-endpoint.server";
import { setMetricsProcess } from "./app/server/metrics/registry.server";
import { alertSettings } from "./app/server/operations/alerts.server";
import { startWorker } from "./app/server/worker/worker.server";

const env = readEnv();
// The worker signs links with the app's secret, builds them on the app's URL and mails
// through SMTP_URL: without them it would send broken or unsigned mail, or none.
try {
  assertStartable(env, "The worker", [...REQUIRED_SHOPIFY_ENV, "SMTP_URL"]);
} catch (error) {
  if (!(error instanceof StartupError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
alertSettings(env); // a malformed ALERT_LAG_MINUTES refuses the start, not every alert check
const database = await initDatabase(env);
setMetricsProcess("worker");
const worker = startWorker();
// The worker has no HTTP server of its own: /metrics on METRICS_PORT when it is set.
const metrics = env.METRICS_PORT ? await startMetricsServer(env.METRICS_PORT, env.METRICS_HOST) : null;
log.info("worker started", { worker: worker.id, db: database.describe, metrics: metrics ? `${env.METRICS_HOST}:${metrics.port}` : "off" });

// SIGTERM (a deploy, a scale-down) lets the batches in flight finish, so nothing is
// left half-sent. A repeated signal changes nothing: a terminal's Ctrl-C reaches
// this process both directly and relayed by tsx.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info("worker stopping", { signal });
  await worker.stop();
  await metrics?.close();
  await database.close();
  log.info("worker stopped", { worker: worker.id });
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
