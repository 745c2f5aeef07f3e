import { performance } from "node:perf_hooks";

/** One benchmark figure, compared with a baseline measured in the same run. */
export interface Measurement {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  /** What the figure is compared with, e.g. "pg multi-row INSERT". */
  baseline: string;
  baseline_value: number;
  /** true for throughputs (rows/s), false for latencies (ms). */
  higherIsBetter: boolean;
  /**
   * Per-round ratios (> 1: we are better) when each round measured both sides back to
   * back: the reported ratio is then their median, so the machine's speed drifting
   * between rounds cancels out instead of landing on one side.
   */
  pairedRatios?: readonly number[];
}

/** The JSON line printed for each measurement; `ratio` > 1 always means "we are better". */
export interface ResultLine {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline: string;
  baseline_value: number;
  ratio: number;
}

/** Each round's ratio (> 1: we are better), for rounds that measured both sides back to back. */
export function roundRatios(ours: readonly number[], baseline: readonly number[], higherIsBetter: boolean): number[] {
  return ours.map((value, i) => (higherIsBetter ? value / baseline[i]! : baseline[i]! / value));
}

/** Prints exactly one JSON line to stdout and returns it. */
export function report(m: Measurement): ResultLine {
  const ratio = m.pairedRatios?.length
    ? median(m.pairedRatios)
    : m.higherIsBetter
      ? m.value / m.baseline_value
      : m.baseline_value / m.value;
  const line: ResultLine = {
    bench: m.bench,
    metric: m.metric,
    value: roundFigure(m.value),
    unit: m.unit,
    baseline: m.baseline,
    baseline_value: roundFigure(m.baseline_value),
    ratio: Number.isFinite(ratio) ? Number(ratio.toFixed(3)) : 0,
  };
  process.stdout.write(JSON.stringify(line) + "\n");
  return line;
}

/** Whole numbers from 100 up, three significant digits below (0.0123, 4.56, 78.9). */
export function roundFigure(x: number): number {
  if (!Number.isFinite(x)) return 0;
  if (Math.abs(x) >= 100) return Math.round(x);
  return Number(x.toPrecision(3));
}

/** Nearest-rank percentile, p in [0, 100]. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** The middle sample; for an even count, the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("median of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs fn once and returns its result with the wall-clock time it took in ms. */
export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

/** CI-sized run: `--quick` on the command line or BENCH_QUICK=1. */
export function isQuick(): boolean {
  return process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";
}

/** Progress for humans goes to stderr; stdout carries only result lines. */
export function note(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
