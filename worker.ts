// Background worker: `npm run worker`. Run as many as you like, on as many machines
// as you like, against one PostgreSQL; they share work through row leases.
import { assertStartable, readEnv, REQUIRED_SHOPIFY_ENV, StartupError } from "./app/server/config.server";
import { initDatabase } from "./app/server/db/init.server";
import { log } from "./app/server/log.server";
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
const database = await initDatabase(env);
const worker = startWorker();
log.info("worker started", { worker: worker.id, db: database.describe });

// SIGTERM (a deploy, a scale-down) lets the batches in flight finish, so nothing is
// left half-sent. A repeated signal changes nothing: a terminal's Ctrl-C reaches
// this process both directly and relayed by tsx.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info("worker stopping", { signal });
  await worker.stop();
  await database.close();
  log.info("worker stopped", { worker: worker.id });
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
