// Measurement at scale: a shop with 1,000,000 customers, 5,000,000 orders and 20,000,000
// messages (quick: 1/100 of that, same shape) on PostgreSQL.
// (a) Attributing every order: the product's set-based reattributeShop against one
//     hand-written SQL query computing the same last-click attribution over the same
//     rows; equal results required (order, message, kind, net revenue). Goal: ours <= 2x.
// (b) A flow report: the product's loader reading the rollups against one SQL aggregate
//     computing the same figures from the raw rows; equal figures required. Goal: >= 10x.
// Run: npm run bench -- reports [--quick]; BENCH_SCALE=0.1 (or --scale 0.1 when running
// this file directly) picks another size. See docs/benchmarks.md.
// bench-timeout-s: 14400
import pg from "pg";
import { openDatabase, setDatabase, type Database } from "../app/server/db/client.server";
import { migrate } from "../app/server/db/migrate.server";
import { shopDay } from "../app/domain/measurement/shop-day";
import type { ReportPeriod } from "../app/domain/measurement/report-period";
import { reattributeShop } from "../app/server/measurement/attribution.server";
import { flowReport } from "../app/server/admin/reports/flow-report.server";
import { startPostgres } from "./support/postgres";
import { isQuick, median, note, report, timeIt } from "./support/report";
import { DAY_MS, generateShop, NOW, scaled, SHOP_TIMEZONE, type GeneratedShop } from "./support/reports-data";
import {
  attributionDifferenceSql,
  attributionRollupDifferenceSql,
  buildRollupsSql,
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
const REPORT_DAYS = 90; // the report's "last 90 days" preset
const POOL_SIZE = 4;

const seconds = (ms: number) => ms / 1000;
const failures: string[] = [];

async function checkpoint(database: Database): Promise<void> {
  await database.query("CHECKPOINT");
}

// --- (a) attribution ---------------------------------------------------------------

type HandVariant = "lateral" | "timeline";
const HAND_LABEL: Record<HandVariant, string> = {
  lateral: "one hand-written SQL query (index reads per order)",
  timeline: "one hand-written SQL query (one sort per customer timeline)",
};

async function runHand(database: Database, shopId: string, variant: HandVariant): Promise<number> {
  await database.query(`DROP TABLE IF EXISTS ${HAND_TABLE}`);
  await checkpoint(database);
  const { ms } = await timeIt(() => database.query(handAttributionSql(variant), [shopId]));
  return ms;
}

async function runOurs(database: Database, shopId: string): Promise<number> {
  // From nothing: every order attributed anew, as after an install or a settings change.
  await database.query(`TRUNCATE "Conversion", "FlowDaily"`);
  await checkpoint(database);
  const { ms } = await timeIt(() => reattributeShop(shopId));
  return ms;
}

async function benchAttribution(database: Database, gen: GeneratedShop): Promise<void> {
  const { shopId } = gen;
  const [orders] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Order" WHERE "shopId" = $1`, [shopId]);
  note(`(a) attributing all ${orders!.n.toLocaleString("en-US")} orders: ${ATTRIBUTION_ROUNDS} round(s) after a warm-up of each side`);
  // Warm-up: ours, and both ways of writing the hand query; the faster one is the baseline.
  note(`(a) warm-up: reattributeShop ${seconds(await runOurs(database, shopId)).toFixed(1)} s`);
  const warm: Record<HandVariant, number> = { lateral: 0, timeline: 0 };
  for (const v of ["lateral", "timeline"] as const) {
    warm[v] = await runHand(database, shopId, v);
    note(`(a) warm-up: ${HAND_LABEL[v]} ${seconds(warm[v]).toFixed(1)} s`);
  }
  const variant: HandVariant = warm.timeline < warm.lateral ? "timeline" : "lateral";
  note(`(a) baseline: ${HAND_LABEL[variant]}`);
  const oursMs: number[] = [];
  const handMs: number[] = [];
  for (let round = 0; round < ATTRIBUTION_ROUNDS; round++) {
    const sides = round % 2 === 0 ? ["ours", "hand"] : ["hand", "ours"];
    for (const side of sides) {
      if (side === "ours") oursMs.push(await runOurs(database, shopId));
      else handMs.push(await runHand(database, shopId, variant));
    }
    note(
      `(a) round ${round + 1}: reattributeShop ${seconds(oursMs.at(-1)!).toFixed(1)} s, hand-written query ${seconds(handMs.at(-1)!).toFixed(1)} s`,
    );
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
  // The rollups reattributeShop moved must equal the sums of the Conversion rows it wrote.
  const [rollup] = await database.query<{ n: number; sample: string[] | null }>(attributionRollupDifferenceSql(), [shopId, SHOP_TIMEZONE]);
  if (rollup!.n > 0) {
    failures.push(`(a) FlowDaily attribution figures differ from the Conversion rows in ${rollup!.n} rows: ${rollup!.sample?.join("; ")}`);
  } else note(`(a) FlowDaily attribution figures equal the sums of the Conversion rows`);
  const ratios = oursMs.map((o, i) => handMs[i]! / o);
  report({
    bench: BENCH,
    metric: "attribute_all_orders_s",
    value: seconds(median(oursMs)),
    unit: "s",
    baseline: HAND_LABEL[variant],
    baseline_value: seconds(median(handMs)),
    higherIsBetter: false,
    pairedRatios: ratios,
  });
  const met = median(ratios) >= 0.5;
  note(`(a) goal ours <= 2x the hand-written query (ratio >= 0.5): ${met ? "met" : "NOT met"} (ratio ${median(ratios).toFixed(3)})`);
}

// --- (b) flow report ------------------------------------------------------------------

/**
 * Fills the rollups of the generated shop from its raw rows (one INSERT ... SELECT each),
 * on top of the attribution figures reattributeShop wrote (the product's own path).
 */
async function buildRollups(database: Database, shopId: string): Promise<void> {
  await database.query(`TRUNCATE "FlowReasonDaily"`);
  for (const statement of buildRollupsSql()) await database.query(statement, [shopId, SHOP_TIMEZONE]);
  await database.query(`VACUUM (ANALYZE) "FlowDaily", "FlowReasonDaily"`);
}

async function benchFlowReport(database: Database, gen: GeneratedShop): Promise<void> {
  const { shopId } = gen;
  const flow = gen.flows.find((f) => f.key === REPORT_FLOW_KEY)!;
  const { ms: rollupMs } = await timeIt(() => buildRollups(database, shopId));
  const [rollupRows] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "FlowDaily" WHERE "shopId" = $1`, [shopId]);
  note(
    `(b) rollups: the product has no rebuild of its own, so FlowDaily (${rollupRows!.n} rows) and FlowReasonDaily were ` +
      `filled from the raw rows with one INSERT ... SELECT each (${seconds(rollupMs).toFixed(1)} s), added to the attribution ` +
      `figures reattributeShop wrote`,
  );

  const today = shopDay(NOW, SHOP_TIMEZONE);
  const from = new Date(today.getTime() - (REPORT_DAYS - 1) * DAY_MS);
  const period: ReportPeriod = { kind: "90", from, to: today };
  // The report's holdout compares entry days whose measurement window has closed.
  const closedThrough = new Date(today.getTime() - (flow.measurementDays + 1) * DAY_MS);
  const isoDay = (d: Date) => d.toISOString().slice(0, 10);
  const [bounds] = await database.query<{ from: string; to: string }>(
    `SELECT to_char(($1::date::timestamp AT TIME ZONE $3) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS "from",
            to_char((($2::date + 1)::timestamp AT TIME ZONE $3) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS "to"`,
    [isoDay(from), isoDay(today), SHOP_TIMEZONE],
  );
  const rawParams = [shopId, flow.id, bounds!.from, bounds!.to, SHOP_TIMEZONE, isoDay(closedThrough)];
  const runRaw = () => database.query(rawFlowReportSql(), rawParams);
  note(`(b) flow report: ${REPORT_FLOW_KEY}, ${REPORT_DAYS} days ${isoDay(from)}..${isoDay(today)} (${SHOP_TIMEZONE})`);

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
    note(
      `(b) round ${round + 1}: flowReport ${oursMs.at(-1)!.toFixed(1)} ms (median of ${REPORT_RUNS_PER_ROUND}), raw aggregate ${rawMs.at(-1)!.toFixed(0)} ms`,
    );
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

// BENCH_REPORTS_KEEP=<name> (with BENCH_DATABASE_URL): the shop is generated into that
// database once and kept, so a later run at the same scale measures again without the
// generation (40 minutes at full size). The rows are a function of the scale alone.
const KEEP = process.env.BENCH_REPORTS_KEEP;
if (KEEP !== undefined && (!/^[a-z_][a-z0-9_]*$/.test(KEEP) || !process.env.BENCH_DATABASE_URL)) {
  throw new Error("BENCH_REPORTS_KEEP needs a lower-case database name and BENCH_DATABASE_URL");
}
const KEPT_SHOP_TABLE = "bench_kept_shop";

/** A kept database is reused only when its shop was generated in full at this scale. */
async function holdsKeptShop(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>(`SELECT to_regclass('${KEPT_SHOP_TABLE}') IS NOT NULL AS present`);
    if (!rows[0]?.present) return false;
    const found = await client.query(`SELECT 1 FROM ${KEPT_SHOP_TABLE} WHERE scale = $1`, [SCALE]);
    return found.rowCount === 1;
  } finally {
    await client.end();
  }
}

const server = await startPostgres();
const target = KEEP ? await server.keptDatabase(KEEP, holdsKeptShop) : await server.createDatabase("bench_reports");
const database = await openDatabase({ url: target.url, poolSize: POOL_SIZE });
const loader = new pg.Client({ connectionString: target.url });

async function keptShop(): Promise<GeneratedShop | undefined> {
  if (!KEEP) return undefined;
  await database.query(`CREATE TABLE IF NOT EXISTS ${KEPT_SHOP_TABLE} (scale float8 PRIMARY KEY, shop jsonb NOT NULL)`);
  const [row] = await database.query<{ shop: GeneratedShop }>(`SELECT shop FROM ${KEPT_SHOP_TABLE} WHERE scale = $1`, [SCALE]);
  return row?.shop;
}

try {
  await migrate(database);
  setDatabase(database);
  const [settings] = await database.query<{ v: string; wm: string; sb: string }>(
    `SELECT version() AS v, current_setting('work_mem') AS wm, current_setting('shared_buffers') AS sb`,
  );
  note(`${server.describe}; work_mem ${settings!.wm}, shared_buffers ${settings!.sb}; scale ${SCALE}`);
  let gen = await keptShop();
  if (gen) note(`the shop kept in ${KEEP} at scale ${SCALE}: not generated again`);
  else {
    await loader.connect();
    const generated = await timeIt(() => generateShop((text, params) => loader.query(text, params), scaled(SCALE)));
    gen = generated.result;
    if (KEEP) await database.query(`INSERT INTO ${KEPT_SHOP_TABLE} (scale, shop) VALUES ($1, $2)`, [SCALE, JSON.stringify(gen)]);
    const [size] = await database.query<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
    note(
      `generated in ${seconds(generated.ms).toFixed(0)} s (${size!.size}): ` +
        Object.entries(gen.counts)
          .map(([table, n]) => `${table} ${n.toLocaleString("en-US")}`)
          .join(", "),
    );
  }
  await loader.end().catch(() => undefined);
  await benchAttribution(database, gen);
  await benchFlowReport(database, gen);
} finally {
  await loader.end().catch(() => undefined);
  setDatabase(undefined);
  await database.close();
  await target.drop?.();
  await server.stop();
}
if (failures.length > 0) {
  process.stderr.write(`\nreports: not measured or not equal:\n  ${failures.join("\n  ")}\n`);
  process.exit(1);
}
