// Durable batched Event writes: the app's Prisma client (createMany, skipDuplicates)
// against the plain driver underneath it, on PostgreSQL and on PGlite.
// Run: npm run bench -- db-writes [--quick]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../app/server/db/client.server";
import { migrate } from "../app/server/db/migrate.server";
import { startPostgres } from "./support/postgres";
import { isQuick, median, note, percentile, report, timeIt } from "./support/report";

const BENCH = "db-writes";
const BATCH_SIZE = 100;
const POSTGRES_CONNECTIONS = 4; // pool size and concurrent writers, for ours and the baseline alike
const PGLITE_CONNECTIONS = 1; // PGlite is a single in-process connection
const quick = isQuick();
const ROWS = quick ? 5_000 : 100_000;
const WARMUP_ROWS = quick ? 1_000 : 5_000;
const ROUNDS = quick ? 1 : 3;

interface EventRow {
  shopId: string;
  clientId: string;
  name: string;
  source: string;
  sourceId: string;
  occurredAt: Date;
  data: { url: string; productId: number; price: string };
}

/** Writes one batch of rows; duplicates (shopId, source, sourceId) are skipped. */
interface Writer {
  label: string;
  writeBatch(rows: EventRow[]): Promise<void>;
}

interface RunResult {
  rowsPerSecond: number;
  batchMs: number[];
}

/** Per writer: median rows/s over the rounds, p95 batch latency over all batches. */
type Summary = (writer: Writer) => { rowsPerSecond: number; p95BatchMs: number };

const COLUMNS = ["shopId", "clientId", "name", "source", "sourceId", "occurredAt", "data"] as const;
const EVENT_NAMES = ["page_viewed", "product_viewed", "product_added_to_cart", "checkout_started"];

function makeRows(shopId: string, count: number, tag: string): EventRow[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    shopId,
    clientId: `client-${i % 5_000}`,
    name: EVENT_NAMES[i % EVENT_NAMES.length] as string,
    source: "pixel",
    sourceId: `${tag}-${i}`,
    occurredAt: new Date(start + i * 1_000),
    data: { url: `https://shop.example/products/p-${i % 500}`, productId: 1_000 + (i % 500), price: "19.99" },
  }));
}

function inBatches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// --- ours -------------------------------------------------------------------

function prismaWriter(database: Database): Writer {
  return {
    label: "Prisma createMany (app)",
    writeBatch: async (rows) => {
      await database.prisma.event.createMany({ data: rows, skipDuplicates: true });
    },
  };
}

// --- baselines: one parameterised statement per batch through the raw driver -----

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

const quotedColumns = COLUMNS.map((c) => `"${c}"`).join(", ");

function multiRowInsertSql(rowCount: number): string {
  const tuples = Array.from({ length: rowCount }, (_, r) => {
    const base = r * COLUMNS.length;
    return `(${COLUMNS.map((_, c) => `$${base + c + 1}`).join(", ")})`;
  });
  return `INSERT INTO "Event" (${quotedColumns}) VALUES ${tuples.join(", ")} ON CONFLICT DO NOTHING`;
}

function rowParams(row: EventRow): unknown[] {
  return [row.shopId, row.clientId, row.name, row.source, row.sourceId, row.occurredAt, JSON.stringify(row.data)];
}

/** The driver docs' bulk insert: a multi-row VALUES list with one parameter per cell. */
function multiRowWriter(label: string, query: Query): Writer {
  const sqlBySize = new Map<number, string>();
  return {
    label,
    writeBatch: async (rows) => {
      let sql = sqlBySize.get(rows.length);
      if (!sql) sqlBySize.set(rows.length, (sql = multiRowInsertSql(rows.length)));
      await query(sql, rows.flatMap(rowParams));
    },
  };
}

// --- measurement --------------------------------------------------------------

async function writeAll(writer: Writer, batches: EventRow[][], connections: number): Promise<RunResult> {
  const batchMs: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] as EventRow[];
      batchMs.push((await timeIt(() => writer.writeBatch(batch))).ms);
    }
  };
  const { ms } = await timeIt(() => Promise.all(Array.from({ length: connections }, worker)));
  const rows = batches.reduce((n, b) => n + b.length, 0);
  return { rowsPerSecond: rows / (ms / 1000), batchMs };
}

async function emptyEventTable(database: Database): Promise<void> {
  await database.query(`TRUNCATE "Event"`);
  // Flush dirty pages so one run's checkpoint does not land in the next run.
  if (database.kind === "postgres") await database.query("CHECKPOINT").catch(() => undefined);
}

async function eventCount(database: Database): Promise<number> {
  const [row] = await database.query<{ n: string | number }>(`SELECT count(*) AS n FROM "Event"`);
  return Number(row?.n ?? 0);
}

/**
 * Warms every writer up, then measures them round by round in alternating order,
 * each run on an emptied table with the same rows.
 */
async function compare(database: Database, shopId: string, writers: Writer[], connections: number): Promise<Summary> {
  const rows = makeRows(shopId, ROWS, "evt");
  const batches = inBatches(rows, BATCH_SIZE);
  for (const writer of writers) {
    await emptyEventTable(database);
    await writeAll(writer, inBatches(makeRows(shopId, WARMUP_ROWS, "warmup"), BATCH_SIZE), connections);
  }
  const results = new Map<Writer, RunResult[]>(writers.map((w) => [w, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? writers : [...writers].reverse();
    for (const writer of order) {
      await emptyEventTable(database);
      const result = await writeAll(writer, batches, connections);
      const written = await eventCount(database);
      if (written !== ROWS) throw new Error(`${writer.label} wrote ${written} rows, expected ${ROWS}`);
      note(`${database.kind} round ${round + 1}: ${writer.label}: ${Math.round(result.rowsPerSecond)} rows/s`);
      results.get(writer)?.push(result);
    }
  }
  return (writer: Writer) => {
    const runs = results.get(writer) ?? [];
    return {
      rowsPerSecond: median(runs.map((r) => r.rowsPerSecond)),
      p95BatchMs: percentile(
        runs.flatMap((r) => r.batchMs),
        95,
      ),
    };
  };
}

async function createShop(database: Database): Promise<string> {
  const shop = await database.prisma.shop.create({ data: { domain: "bench.myshopify.com", name: "Bench shop" } });
  return shop.id;
}

function reportPair(target: string, ours: Writer, baseline: Writer, summary: Summary): void {
  const a = summary(ours);
  const b = summary(baseline);
  report({
    bench: BENCH,
    metric: `rows_per_s_${target}`,
    value: a.rowsPerSecond,
    unit: "rows/s",
    baseline: baseline.label,
    baseline_value: b.rowsPerSecond,
    higherIsBetter: true,
  });
  report({
    bench: BENCH,
    metric: `batch_p95_ms_${target}`,
    value: a.p95BatchMs,
    unit: "ms",
    baseline: baseline.label,
    baseline_value: b.p95BatchMs,
    higherIsBetter: false,
  });
}

async function benchPostgres(): Promise<void> {
  const server = await startPostgres();
  note(`${server.describe}: ${ROWS} rows in batches of ${BATCH_SIZE}, ${POSTGRES_CONNECTIONS} connections, ${ROUNDS} round(s)`);
  const target = await server.createDatabase("bench_db_writes");
  const database = await openDatabase({ url: target.url, poolSize: POSTGRES_CONNECTIONS });
  // The baseline's own pool, configured like the app's: same server, same size.
  const pool = new pg.Pool({ connectionString: target.url, max: POSTGRES_CONNECTIONS });
  // As in the app: a connection the server drops while idle (DROP DATABASE at the end) is not fatal.
  pool.on("error", () => undefined);
  try {
    await migrate(database);
    const [settings] = await database.query<{ fsync: string; synchronous_commit: string }>(
      "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit",
    );
    note(`durability: fsync=${settings?.fsync}, synchronous_commit=${settings?.synchronous_commit}`);
    const shopId = await createShop(database);
    const query: Query = (sql, params) => pool.query(sql, params);
    const ours = prismaWriter(database);
    const baseline = multiRowWriter("pg multi-row INSERT", query);
    const summary = await compare(database, shopId, [ours, baseline], POSTGRES_CONNECTIONS);
    reportPair("postgres", ours, baseline, summary);
  } finally {
    await pool.end();
    await database.close();
    await target.drop();
    await server.stop();
  }
}

async function benchPglite(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowmate-bench-pglite-"));
  note(`PGlite (${dir}): ${ROWS} rows in batches of ${BATCH_SIZE}, ${ROUNDS} round(s)`);
  const database = await openDatabase({ pgliteDir: dir });
  try {
    await migrate(database);
    const shopId = await createShop(database);
    const query: Query = (sql, params) => database.query(sql, params);
    const ours = prismaWriter(database);
    const baseline = multiRowWriter("PGlite query multi-row INSERT", query);
    const summary = await compare(database, shopId, [ours, baseline], PGLITE_CONNECTIONS);
    reportPair("pglite", ours, baseline, summary);
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await benchPostgres();
await benchPglite();
