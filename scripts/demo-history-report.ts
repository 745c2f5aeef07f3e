// Measures the demo's generated history as `npm run demo` makes it at a first start
// (PGlite on disk, demo mode, the default settings or DEMO_HISTORY_SHOPPERS), then
// prints what a merchant reads: per flow, the 90-day and 30-day holdout results
// against the planted effect x reach, and the A/B results.
//   npx tsx scripts/demo-history-report.ts [--memory] [--ends=2026-11-02T08:30:00Z]
// --ends: the history ends then (the dev clock is set there first): one seed and one
// end give one history, e.g. the one tests/demo/history.db.test.ts checks.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { enableDemoMode } from "../app/server/config.server";
import { openDatabase, setDatabase } from "../app/server/db/client.server";
import { migrate } from "../app/server/db/migrate.server";

enableDemoMode();
process.env.LOG_LEVEL ??= "warn";
const memory = process.argv.includes("--memory");
const dir = memory ? "memory://" : fs.mkdtempSync(path.join(os.tmpdir(), "flowmate-history-"));
const database = await openDatabase({ pgliteDir: memory ? "memory://" : path.join(dir, "pglite") });
await migrate(database);
setDatabase(database);

const { seedDemoShop } = await import("../demo/seed/seed-demo-shop.server");
const { demoHistorySettings, demoHistoryStart, seedDemoHistory } = await import("../demo/seed/history/seed-history.server");
const { expectedEffect, HISTORY_FLOW_KEYS } = await import("../demo/seed/history/effects");
const { flowReport } = await import("../app/server/admin/reports/flow-report.server");
const { parsePeriod } = await import("../app/domain/measurement/report-period");
const { shopDay } = await import("../app/domain/measurement/shop-day");
const { now } = await import("../app/server/clock.server");
const { db } = await import("../app/server/db/client.server");

const ends = process.argv.find((a) => a.startsWith("--ends="))?.slice("--ends=".length);
if (ends) {
  const { setClock } = await import("../app/server/clock.server");
  if (Number.isNaN(Date.parse(ends))) throw new Error(`--ends: not an instant: ${ends}`);
  setClock(new Date(ends));
}
const settings = demoHistorySettings(process.env);
const { shopId } = await seedDemoShop({ flowsSince: demoHistoryStart(settings) });
const t = Date.now();
const cpu0 = process.cpuUsage();
const result = await seedDemoHistory(shopId, settings);
const seconds = (Date.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = Math.round((cpu.user + cpu.system) / 1e5) / 10;
if (!result) throw new Error("no history made");
const { ledger, timings, ...counts } = result;
console.log(JSON.stringify({ settings, seconds, cpuSeconds, ...counts }));
console.log("per flow:", JSON.stringify(ledger));
console.log(
  "sent per flow:",
  JSON.stringify(
    await database.query(
      `SELECT f.key, count(*)::int AS sent FROM "Message" m JOIN "Flow" f ON f.id = m."flowId" WHERE m.status = 'sent' GROUP BY 1 ORDER BY 1`,
    ),
  ),
);
console.log("timings (ms):", JSON.stringify(Object.entries(timings).sort((a, b) => b[1] - a[1])));

const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
const today = shopDay(now(), shop.timezone);
const pct = (x: number | null | undefined) => (x == null ? "-" : `${(x * 100).toFixed(1)}`);
for (const days of ["90", "30"]) {
  const period = parsePeriod(new URLSearchParams({ period: days }), today);
  console.log(
    `\n${days}-day report: flow | entries treated/held | conv% treated/held | lift pts [95%] | truth pts | conv verdict | revenue verdict`,
  );
  for (const flow of await db().flow.findMany({ where: { shopId }, orderBy: { key: "asc" } })) {
    const r = await flowReport(shop, flow.id, period, today, "en");
    if (!r) continue;
    const h = r.holdout;
    const key = flow.key as (typeof HISTORY_FLOW_KEYS)[number];
    const truth = HISTORY_FLOW_KEYS.includes(key) ? expectedEffect(key, ledger[key].reach) : null;
    const l = h.conversionLift;
    const covers = l && truth !== null ? (l.low <= truth && truth <= l.high ? "covers" : "MISSES") : "";
    console.log(
      [
        flow.key.padEnd(20),
        `${h.treated.n}/${h.holdout.n}`.padEnd(10),
        `${pct(h.treated.conversionRate)}/${pct(h.holdout.conversionRate)}`.padEnd(12),
        l ? `${pct(l.estimate)} [${pct(l.low)}, ${pct(l.high)}]`.padEnd(22) : "-".padEnd(22),
        `${pct(truth)} ${covers}`.padEnd(14),
        h.conversionVerdict.padEnd(13),
        h.verdict,
      ].join(" | "),
    );
    for (const e of r.experiments ?? []) console.log("   A/B:", JSON.stringify(e).slice(0, 400));
  }
}
await database.close();
if (!memory) fs.rmSync(dir, { recursive: true, force: true });
