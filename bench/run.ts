// Benchmark runner: `npm run bench [-- NAME...] [--quick]`.
// Runs each bench/NAME.bench.ts in its own Node process, one after another, forwards
// their JSON result lines to stdout, saves them to bench/results/latest.jsonl and
// prints a summary table to stderr. Exits non-zero if any benchmark fails.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import type { ResultLine } from "./support/report";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(BENCH_DIR, "..");
const RESULTS_FILE = path.join(BENCH_DIR, "results", "latest.jsonl");
const SUFFIX = ".bench.ts";
const DEFAULT_TIMEOUT_S = 1800;

/**
 * Per-benchmark time limit: BENCH_TIMEOUT_S, else a `// bench-timeout-s: N` line in the
 * bench file (for one whose full size takes longer than the default), else 30 minutes.
 */
function timeoutMs(file: string): number {
  if (process.env.BENCH_TIMEOUT_S) return Number(process.env.BENCH_TIMEOUT_S) * 1000;
  const own = /^\/\/ bench-timeout-s: (\d+)$/m.exec(fs.readFileSync(file, "utf8"));
  return Number(own?.[1] ?? DEFAULT_TIMEOUT_S) * 1000;
}

interface Outcome {
  name: string;
  ok: boolean;
  why?: string;
  seconds: number;
  results: ResultLine[];
}

const USAGE = `usage: npm run bench [-- NAME... ] [--quick]
  NAME     a file bench/NAME${SUFFIX} (default: all of them)
  --quick  CI-sized run
env: BENCH_DATABASE_URL (use this PostgreSQL server instead of a private throwaway one),
     BENCH_TIMEOUT_S (per benchmark; default: the file's "// bench-timeout-s: N" line, else 1800)`;

function availableBenches(): string[] {
  return fs
    .readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

function parseArgs(argv: string[]): { names: string[]; quick: boolean } {
  const names: string[] = [];
  let quick = false;
  for (const arg of argv) {
    if (arg === "--quick") quick = true;
    else if (arg === "--help" || arg === "-h") exit(0, USAGE);
    else if (arg.startsWith("-")) exit(2, `Unknown option ${arg}\n${USAGE}`);
    else names.push(arg.endsWith(SUFFIX) ? path.basename(arg, SUFFIX) : arg);
  }
  return { names, quick };
}

function exit(code: number, message: string): never {
  process.stderr.write(message + "\n");
  process.exit(code);
}

function isResultLine(value: unknown): value is ResultLine {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.bench === "string" &&
    typeof v.metric === "string" &&
    typeof v.value === "number" &&
    typeof v.unit === "string" &&
    typeof v.baseline === "string" &&
    typeof v.baseline_value === "number" &&
    typeof v.ratio === "number"
  );
}

function parseResult(line: string): ResultLine | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return isResultLine(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Runs one benchmark file in a child Node process with tsx's loader. */
function runBench(name: string, quick: boolean): Promise<Outcome> {
  const file = path.join(BENCH_DIR, name + SUFFIX);
  const limitMs = timeoutMs(file);
  const started = Date.now();
  process.stderr.write(`\n▶ ${name}${quick ? " (quick)" : ""}\n`);
  const child = spawn(process.execPath, ["--import", "tsx", file, ...(quick ? ["--quick"] : [])], {
    cwd: REPO_ROOT,
    // The app's info logs go to stdout; keep stdout for result lines.
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...(quick ? { BENCH_QUICK: "1" } : {}) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const results: ResultLine[] = [];
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const result = parseResult(line);
    if (!result) {
      process.stderr.write(`  [${name} stdout] ${line}\n`);
      return;
    }
    results.push(result);
    const json = JSON.stringify(result);
    process.stdout.write(json + "\n");
    fs.appendFileSync(RESULTS_FILE, json + "\n");
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGTERM"); // lets the bench stop its PostgreSQL cluster
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  }, limitMs);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      let why: string | undefined;
      if (timedOut) why = `timed out after ${limitMs / 1000} s`;
      else if (code !== 0) why = signal ? `killed by ${signal}` : `exit code ${code}`;
      else if (results.length === 0) why = "printed no result line";
      resolve({ name, ok: !why, why, seconds, results });
    });
  });
}

function printSummary(outcomes: Outcome[]): void {
  const rows = [["bench", "metric", "ours", "baseline", "baseline value", "ratio"]];
  for (const o of outcomes) {
    for (const r of o.results) {
      rows.push([r.bench, r.metric, `${r.value} ${r.unit}`, r.baseline, `${r.baseline_value} ${r.unit}`, `${r.ratio}`]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  process.stderr.write(`\nSummary (ratio > 1: we are better than the baseline)\n${lines.join("\n")}\n\n`);
  for (const o of outcomes) {
    process.stderr.write(`${o.ok ? "ok  " : "FAIL"} ${o.name} (${o.seconds.toFixed(1)} s)${o.why ? `: ${o.why}` : ""}\n`);
  }
  process.stderr.write(`results: ${path.relative(REPO_ROOT, RESULTS_FILE)}\n`);
}

async function main(): Promise<void> {
  const { names, quick } = parseArgs(process.argv.slice(2));
  const available = availableBenches();
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    exit(2, `Unknown benchmark ${unknown.map((n) => `"${n}"`).join(", ")}. Available: ${available.join(", ") || "(none)"}`);
  }
  const selected = names.length > 0 ? [...new Set(names)] : available;
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, "");

  // Figures from a busy machine are noisy: say how busy it was.
  const [load1] = os.loadavg();
  process.stderr.write(`machine: ${os.cpus().length} cores, load average ${load1?.toFixed(2)}, Node ${process.version}\n`);

  let interrupted = false;
  // Ctrl-C reaches the child too; wait for it to clean up, then stop.
  process.on("SIGINT", () => (interrupted = true));
  const outcomes: Outcome[] = [];
  for (const name of selected) {
    if (interrupted) break;
    outcomes.push(await runBench(name, quick));
  }
  printSummary(outcomes);
  const failed = outcomes.filter((o) => !o.ok).length;
  if (interrupted) process.exit(130);
  if (failed > 0) exit(1, `${failed} benchmark(s) failed`);
}

await main();
