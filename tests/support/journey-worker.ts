// A worker process for the multi-process tests: the real loop against DATABASE_URL.
//   tsx tests/support/journey-worker.ts steps|all [idleExitMs]
// "steps": route events and run due enrollments only; "all": also dispatch the outbox.
// Exits after idleExitMs without work and prints what it did as one JSON line.
import { enableDemoMode, readEnv } from "../../app/server/config.server";
import { openDatabase, setDatabase } from "../../app/server/db/client.server";
import { dispatchDueMessages } from "../../app/server/channels/dispatch.server";
import { routeEvents } from "../../app/server/journeys/router.server";
import { runDueEnrollments } from "../../app/server/journeys/runner.server";

// A test harness process: the demo's credentials sign its links.
enableDemoMode();
const mode = process.argv[2] ?? "steps";
const idleExitMs = Number(process.argv[3] ?? 1500);
const database = await openDatabase({ url: readEnv().DATABASE_URL!, poolSize: 4 });
setDatabase(database);
const id = `w${process.pid}`;
let steps = 0;
let routed = 0;
let dispatched = 0;
let idleSince = Date.now();
while (Date.now() - idleSince < idleExitMs) {
  const r = await routeEvents(50);
  const s = await runDueEnrollments(50);
  const d = mode === "all" ? await dispatchDueMessages(id, 20) : { claimed: 0, unknown: 0 };
  routed += r.claimed;
  steps += s.claimed;
  dispatched += d.claimed;
  if (r.claimed + s.claimed + d.claimed + d.unknown > 0) idleSince = Date.now();
  else await new Promise((res) => setTimeout(res, 50));
}
process.stdout.write(JSON.stringify({ worker: id, routed, steps, dispatched }) + "\n");
await database.close();
