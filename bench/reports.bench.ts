// Measurement at scale: a shop with 1,000,000 customers, 5,000,000 orders and 20,000,000
// messages (quick: 1/100 of that, same shape) on PostgreSQL.
// (a) Attributing every order: the product's set-based reattributeShop against one
//     hand-written SQL query computing the same last-click attribution over the same
//     rows; equal results required (order, message, kind, net revenue). Goal: ours <= 2x.
// (b) A flow report: the product's loader reading the rollups against one SQL aggregate
//     computing the same figures from the raw rows; equal figures required. Goal: >= 10x.
// Run: npm run bench -- reports [--quick]; BENCH_SCALE=0.1 (or --scale 0.1 when running
// this file directly) picks another size. See docs/benchmarks.md.
import pg from "pg";
import type { Shop } from "@prisma/client";
import { openDatabase, setDatabase, type Database } from "../app/server/db/client.server";
import { migrate } from "../app/server/db/migrate.server";
import { shopDay } from "../app/domain/measurement/shop-day";
import { startPostgres } from "./support/postgres";
import { isQuick, median, note, report, timeIt } from "./support/report";
import { DAY_MS, generateShop, NOW, scaled, SHOP_TIMEZONE, type GeneratedShop } from "./support/reports-data";
import {
  attributionDifferenceSql,
  buildRollupsSql,
  conversionsFromHandSql,
  HAND_TABLE,
  handAttributionSql,
  rawFlowReportSql,
} from "./support/reports-sql";
import { compareFlowReport, readRawReport } from "./support/reports-compare";

const BENCH = "reports";
const quick = isQuick();

function scaleFactor(): number {
  const i = process.argv.indexOf("--scale");
  const text = i >= 0 ? process.argv[i + 1] : process.env.BENCH_SCALE;
  if (text === undefined || text === "") return quick ? 0.01 : 1;
  const n = Number(text);
  if (!(n > 0 && n <= 1)) throw new Error(`scale must be a number in (0, 1], got ${text}`);
  return n;
}

const SCALE = scaleFactor();
const ATTRIBUTION_ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SCALE >= 0.5 ? 2 : 3));
const REPORT_ROUNDS = 5;
const REPORT_RUNS_PER_ROUND = 10; // ours is fast: the round's figure is the median of these
const REPORT_FLOW_KEY = "abandoned_checkout"; // two channels and an A/B test
const REPORT_DAYS = 90;
const POOL_SIZE = 4;

// The product's functions this bench measures, by the names of the design (issue 15).
// Imported at run time so the bench still runs (and says what is missing) while a
// branch that provides them has not landed.
const PRODUCT = {
  reattributeShop: { file: "../app/server/measurement/attribution.server.ts", name: "reattributeShop", branch: "i15/attribution" },
  flowReport: { file: "../app/server/admin/reports/flow-report.server.ts", name: "flowReport", branch: "i15/reports" },
};

type ProductFn = (...args: never[]) => Promise<unknown>;

async function productFunction(p: (typeof PRODUCT)[keyof typeof PRODUCT]): Promise<{ fn?: ProductFn; missing?: string }> {
  try {
    const mod = (await import(new URL(p.file, import.meta.url).href)) as Record<string, unknown>;
    const fn = mod[p.name];
    if (typeof fn === "function") return { fn: fn as ProductFn };
    return { missing: `${p.name} is not exported by ${p.file.slice(3)} on this branch (it comes with ${p.branch})` };
  } catch (err) {
    return { missing: `${p.file.slice(3)} cannot be loaded on this branch (it comes with ${p.branch}): ${String(err).split("\n")[0]}` };
  }
}

const seconds = (ms: number) => ms / 1000;
const failures: string[] = [];

async function checkpoint(database: Database): Promise<void> {
  await database.query("CHECKPOINT");
}

// --- (a) attribution ---------------------------------------------------------------

async function runHand(database: Database, shopId: string): Promise<number> {
  await database.query(`DROP TABLE IF EXISTS ${HAND_TABLE}`);
  await checkpoint(database);
  const { ms } = await timeIt(() => database.query(handAttributionSql(), [shopId]));
  return ms;
}

async function runOurs(database: Database, shopId: string, reattributeShop: ProductFn): Promise<number> {
  // From nothing: every order attributed anew, as after an install or a settings change.
  await database.query(`TRUNCATE "Conversion", "FlowDaily"`);
  await checkpoint(database);
  const { ms } = await timeIt(() => (reattributeShop as unknown as (shopId: string) => Promise<unknown>)(shopId));
  return ms;
}

async function benchAttribution(database: Database, gen: GeneratedShop): Promise<void> {
  const { shopId } = gen;
  const product = await productFunction(PRODUCT.reattributeShop);
  const [orders] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Order" WHERE "shopId" = $1`, [shopId]);
  note(`(a) attributing all ${orders!.n.toLocaleString("en-US")} orders: ${ATTRIBUTION_ROUNDS} round(s) after a warm-up of each side`);
  if (!product.fn) {
    failures.push(`(a) ${product.missing}`);
    note(`(a) ours is MISSING: ${product.missing}. Timing the hand-written query alone; no result line.`);
    const ms = await runHand(database, shopId);
    note(`(a) hand-written query: ${seconds(ms).toFixed(1)} s`);
    await database.query(conversionsFromHandSql(), [shopId]);
    note(`(a) Conversion rows for (b) copied from the hand-written query's result (the product's attribution is missing)`);
    return;
  }
  const ours = product.fn;
  await runOurs(database, shopId, ours);
  await runHand(database, shopId);
  const oursMs: number[] = [];
  const handMs: number[] = [];
  for (let round = 0; round < ATTRIBUTION_ROUNDS; round++) {
    const sides = round % 2 === 0 ? ["ours", "hand"] : ["hand", "ours"];
    for (const side of sides) {
      if (side === "ours") oursMs.push(await runOurs(database, shopId, ours));
      else handMs.push(await runHand(database, shopId));
    }
    note(`(a) round ${round + 1}: reattributeShop ${seconds(oursMs.at(-1)!).toFixed(1)} s, hand-written query ${seconds(handMs.at(-1)!).toFixed(1)} s`);
  }
  const diff = await database.query<{ side: string; n: number; sample: string[] }>(attributionDifferenceSql(), [shopId]);
  const [counts] = await database.query<{ ours: number; hand: number; clicks: number; influenced: number }>(
    `SELECT (SELECT count(*)::int FROM "Conversion" WHERE "shopId" = $1) AS ours, (SELECT count(*)::int FROM ${HAND_TABLE}) AS hand,
            (SELECT count(*)::int FROM ${HAND_TABLE} WHERE kind = 'click') AS clicks,
            (SELECT count(*)::int FROM ${HAND_TABLE} WHERE kind = 'influenced') AS influenced`,
    [shopId],
  );
  note(`(a) conversions: ours ${counts!.ours}, hand ${counts!.hand} (${counts!.clicks} clicks, ${counts!.influenced} influenced)`);
  const unequal = diff.filter((d) => d.n > 0);
  if (unequal.length > 0) {
    const what = unequal.map((d) => `${d.n} rows ${d.side.replace("_", " ")} (e.g. orders ${d.sample.join(", ")})`).join("; ");
    failures.push(`(a) results differ: ${what}`);
    note(`(a) RESULTS DIFFER: ${what}. No result line.`);
    return;
  }
  note(`(a) equal results: the same (order, message, kind, revenue) rows`);
  const ratios = oursMs.map((o, i) => handMs[i]! / o);
  report({
    bench: BENCH,
    metric: "attribute_all_orders_s",
    value: seconds(median(oursMs)),
    unit: "s",
    baseline: "one hand-written SQL query",
    baseline_value: seconds(median(handMs)),
    higherIsBetter: false,
    pairedRatios: ratios,
  });
  const met = median(ratios) >= 0.5;
  note(`(a) goal ours <= 2x the hand-written query (ratio >= 0.5): ${met ? "met" : "NOT met"} (ratio ${median(ratios).toFixed(3)})`);
}

// --- (b) flow report ------------------------------------------------------------------

/** Fills the rollups of the generated shop from its raw rows (one INSERT ... SELECT each). */
async function buildRollups(database: Database, shopId: string): Promise<void> {
  await database.query(`TRUNCATE "FlowDaily", "FlowReasonDaily"`);
  for (const statement of buildRollupsSql()) await database.query(statement, [shopId, SHOP_TIMEZONE]);
  await database.query(`VACUUM (ANALYZE) "FlowDaily", "FlowReasonDaily"`);
}

async function benchFlowReport(database: Database, gen: GeneratedShop): Promise<void> {
  const { shopId } = gen;
  const flow = gen.flows.find((f) => f.key === REPORT_FLOW_KEY)!;
  const product = await productFunction(PRODUCT.flowReport);
  const { ms: rollupMs } = await timeIt(() => buildRollups(database, shopId));
  const [rollupRows] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "FlowDaily" WHERE "shopId" = $1`, [shopId]);
  note(
    `(b) rollups: the product has no rebuild of its own yet, so FlowDaily (${rollupRows!.n} rows) and FlowReasonDaily were ` +
      `filled from the raw rows with one INSERT ... SELECT each (${seconds(rollupMs).toFixed(1)} s)`,
  );

  const today = shopDay(NOW, SHOP_TIMEZONE);
  const from = new Date(today.getTime() - (REPORT_DAYS - 1) * DAY_MS);
  const period = { kind: String(REPORT_DAYS), from, to: today };
  const closedThrough = new Date(Math.min(today.getTime() - (flow.measurementDays + 1) * DAY_MS, today.getTime()));
  const isoDay = (d: Date) => d.toISOString().slice(0, 10);
  const [bounds] = await database.query<{ from: string; to: string }>(
    `SELECT to_char(($1::date::timestamp AT TIME ZONE $3) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS "from",
            to_char((($2::date + 1)::timestamp AT TIME ZONE $3) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS "to"`,
    [isoDay(from), isoDay(today), SHOP_TIMEZONE],
  );
  const rawParams = [shopId, flow.id, bounds!.from, bounds!.to, SHOP_TIMEZONE, isoDay(closedThrough)];
  const runRaw = () => database.query(rawFlowReportSql(), rawParams);
  note(`(b) flow report: ${REPORT_FLOW_KEY}, ${REPORT_DAYS} days ${isoDay(from)}..${isoDay(today)} (${SHOP_TIMEZONE})`);

  if (!product.fn) {
    failures.push(`(b) ${product.missing}`);
    const { ms } = await timeIt(runRaw);
    note(`(b) ours is MISSING: ${product.missing}. The raw aggregate alone took ${ms.toFixed(0)} ms; no result line.`);
    return;
  }
  const flowReport = product.fn as unknown as (shop: Shop, flowId: string, p: typeof period, today: Date, locale: "en") => Promise<unknown>;
  const shop = await database.prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  const runOurs = () => flowReport(shop, flow.id, period, today, "en");

  // Warm-up, then rounds alternating which side goes first.
  await runOurs();
  await runRaw();
  const oursMs: number[] = [];
  const rawMs: number[] = [];
  let lastReport: unknown;
  let lastRaw: Record<string, unknown>[] = [];
  for (let round = 0; round < REPORT_ROUNDS; round++) {
    const measureOurs = async () => {
      const runs: number[] = [];
      for (let i = 0; i < REPORT_RUNS_PER_ROUND; i++) {
        const { ms, result } = await timeIt(runOurs);
        runs.push(ms);
        lastReport = result;
      }
      oursMs.push(median(runs));
    };
    const measureRaw = async () => {
      const { ms, result } = await timeIt(runRaw);
      rawMs.push(ms);
      lastRaw = result;
    };
    if (round % 2 === 0) {
      await measureOurs();
      await measureRaw();
    } else {
      await measureRaw();
      await measureOurs();
    }
    note(`(b) round ${round + 1}: flowReport ${oursMs.at(-1)!.toFixed(1)} ms (median of ${REPORT_RUNS_PER_ROUND}), raw aggregate ${rawMs.at(-1)!.toFixed(0)} ms`);
  }
  if (lastReport === null || lastReport === undefined) {
    failures.push(`(b) flowReport returned nothing for flow ${flow.id}`);
    return;
  }
  const differences = compareFlowReport(lastReport, readRawReport(lastRaw));
  if (differences.length > 0) {
    failures.push(`(b) figures differ (${differences.length}): ${differences.slice(0, 10).join("; ")}`);
    note(`(b) FIGURES DIFFER (${differences.length}):\n    ${differences.slice(0, 20).join("\n    ")}\n  No result line.`);
    return;
  }
  note(`(b) equal figures: funnel, totals, every day, steps, variants, channels, holdout groups and reasons`);
  const ratios = oursMs.map((o, i) => rawMs[i]! / o);
  report({
    bench: BENCH,
    metric: "flow_report_ms",
    value: median(oursMs),
    unit: "ms",
    baseline: "one SQL aggregate over the raw rows",
    baseline_value: median(rawMs),
    higherIsBetter: false,
    pairedRatios: ratios,
  });
  const met = median(ratios) >= 10;
  note(`(b) goal ours >= 10x faster: ${met ? "met" : "NOT met"} (ratio ${median(ratios).toFixed(1)})`);
}

// --- main -----------------------------------------------------------------------------

const server = await startPostgres();
const target = await server.createDatabase("bench_reports");
const database = await openDatabase({ url: target.url, poolSize: POOL_SIZE });
const loader = new pg.Client({ connectionString: target.url });
try {
  await migrate(database);
  setDatabase(database);
  const [settings] = await database.query<{ v: string; wm: string; sb: string }>(
    `SELECT version() AS v, current_setting('work_mem') AS wm, current_setting('shared_buffers') AS sb`,
  );
  note(`${server.describe}; work_mem ${settings!.wm}, shared_buffers ${settings!.sb}; scale ${SCALE}`);
  await loader.connect();
  const { ms, result: gen } = await timeIt(() => generateShop((text, params) => loader.query(text, params), scaled(SCALE)));
  await loader.end();
  const [size] = await database.query<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
  note(
    `generated in ${seconds(ms).toFixed(0)} s (${size!.size}): ` +
      Object.entries(gen.counts)
        .map(([table, n]) => `${table} ${n.toLocaleString("en-US")}`)
        .join(", "),
  );
  await benchAttribution(database, gen);
  await benchFlowReport(database, gen);
} finally {
  await loader.end().catch(() => undefined);
  setDatabase(undefined);
  await database.close();
  await target.drop();
  await server.stop();
}
if (failures.length > 0) {
  process.stderr.write(`\nreports: not measured or not equal:\n  ${failures.join("\n  ")}\n`);
  process.exit(1);
}
