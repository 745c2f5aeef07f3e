import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { now } from "../clock.server";
import { database } from "../db/client.server";
import { queueBacklog, QUEUE_TASKS, type QueueBacklog } from "../db/sql/queue-health.server";
import { log } from "../log.server";
import type { TaskStats } from "../worker/task-runner.server";
import { ingestCounts } from "./ingest-counters.server";

// The process's Prometheus registry (prom-client). Labels are task names, channels,
// outcomes and reasons: small fixed sets. Never a shop, a customer or an address.
//
// Three kinds of figures:
//  - counted as things happen: worker passes, sends, webhook and pixel requests;
//  - read from the worker runners in this process when scraped: failure streaks, backoff;
//  - read from the database when scraped: each queue's backlog and oldest due item,
//    the same from every process (use max() across instances), quarantined items.

export type QuarantineSource = () => Promise<{ task: string; count: number }[]>;

interface MetricsState {
  registry: Registry;
  runners: Set<() => TaskStats[]>;
  quarantine: QuarantineSource | null;
  passes: { runs: Counter<"task">; errors: Counter<"task">; items: Counter<"task">; duration: Histogram<"task"> };
  sends: Counter<"channel" | "outcome">;
}

const g = globalThis as unknown as { __flowmateMetrics?: MetricsState };

export function metricsState(): MetricsState {
  return (g.__flowmateMetrics ??= createState());
}

function createState(): MetricsState {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const runners = new Set<() => TaskStats[]>();
  const state: MetricsState = {
    registry,
    runners,
    quarantine: null,
    passes: {
      runs: new Counter({
        name: "flowmate_worker_task_runs_total",
        help: "Worker task passes started",
        labelNames: ["task"],
        registers: [registry],
      }),
      errors: new Counter({
        name: "flowmate_worker_task_errors_total",
        help: "Worker task passes that threw",
        labelNames: ["task"],
        registers: [registry],
      }),
      items: new Counter({
        name: "flowmate_worker_task_items_total",
        help: "Units of work worker task passes did (deliveries, events, messages...)",
        labelNames: ["task"],
        registers: [registry],
      }),
      duration: new Histogram({
        name: "flowmate_worker_task_duration_seconds",
        help: "Run time of one worker task pass",
        labelNames: ["task"],
        buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30, 120],
        registers: [registry],
      }),
    },
    sends: new Counter({
      name: "flowmate_sends_total",
      help: "Outbox messages settled, by channel and outcome (sent, retry, failed, suppressed, unknown)",
      labelNames: ["channel", "outcome"],
      registers: [registry],
    }),
  };

  const runnerGauge = (name: string, help: string, pick: (s: TaskStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["task"],
      registers: [registry],
      collect() {
        this.reset();
        const byTask = new Map<string, number>();
        for (const stats of runners) for (const s of stats()) byTask.set(s.name, Math.max(byTask.get(s.name) ?? 0, pick(s)));
        for (const [task, value] of byTask) this.set({ task }, value);
      },
    });
  runnerGauge(
    "flowmate_worker_task_consecutive_failures",
    "Passes in a row that threw (the worst of this process's workers)",
    (s) => s.consecutiveFailures,
  );
  runnerGauge(
    "flowmate_worker_task_next_delay_seconds",
    "Wait before the task's next pass: its cadence, or its backoff while failing",
    (s) => s.nextDelayMs / 1000,
  );

  const ingestCounter = (name: string, help: string, pick: () => ReadonlyMap<string, number>) =>
    new Counter({
      name,
      help,
      labelNames: ["outcome"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [outcome, n] of pick()) this.inc({ outcome }, n);
      },
    });
  ingestCounter(
    "flowmate_pixel_requests_total",
    "Pixel endpoint requests by outcome: accepted, preflight, or the reason refused",
    () => ingestCounts().pixel,
  );
  ingestCounter(
    "flowmate_webhook_requests_total",
    "Webhook requests by outcome: accepted, duplicate, or the reason refused",
    () => ingestCounts().webhook,
  );

  // Both queue gauges come from one read of the database per scrape: the registry
  // collects all metrics at once, so the second gauge joins the read in flight.
  let queueRead: Promise<QueueBacklog[] | null> | null = null;
  const readQueues = () =>
    (queueRead ??= readQueueBacklogs().finally(() => {
      queueRead = null;
    }));
  const queueGauge = (name: string, help: string, pick: (b: QueueBacklog) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["task"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const b of (await readQueues()) ?? []) this.set({ task: b.task }, pick(b));
      },
    });
  queueGauge("flowmate_queue_backlog", "Due items waiting in a worker task's queue (counted up to 10000)", (b) => b.backlog);
  queueGauge(
    "flowmate_queue_oldest_due_age_seconds",
    "How long the oldest due item of a worker task's queue has waited",
    (b) => b.oldestAgeSeconds,
  );

  new Gauge({
    name: "flowmate_quarantined_items",
    help: "Items set aside after failing the same way twice, by worker task",
    labelNames: ["task"],
    registers: [registry],
    async collect() {
      this.reset();
      if (!state.quarantine) return;
      try {
        for (const q of await state.quarantine()) this.set({ task: q.task }, q.count);
      } catch (err) {
        log.warn("metrics: reading quarantined items failed", { err: String(err) });
      }
    },
  });
  return state;
}

async function readQueueBacklogs(): Promise<QueueBacklog[] | null> {
  try {
    const at = now();
    const out: QueueBacklog[] = [];
    // One after another: PGlite has one connection, and a scrape should not take a pool.
    for (const task of QUEUE_TASKS) out.push(await queueBacklog(database().query, task, at));
    return out;
  } catch (err) {
    log.warn("metrics: reading queue backlogs failed", { err: String(err) });
    return null;
  }
}

/** "web" or "worker": a label on every series, so one dashboard tells the processes apart. */
export function setMetricsProcess(kind: "web" | "worker"): void {
  metricsState().registry.setDefaultLabels({ process: kind });
}

/** The Prometheus text exposition of everything above. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  const { registry } = metricsState();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** Wired by the quarantine (another part of the app): counts of items set aside, per task. */
export function setQuarantineSource(source: QuarantineSource | null): void {
  metricsState().quarantine = source;
}

/** A worker runner in this process: its stats feed the streak and backoff gauges until it stops. */
export function registerRunnerStats(stats: () => TaskStats[]): () => void {
  const { runners } = metricsState();
  runners.add(stats);
  return () => runners.delete(stats);
}

/** One worker task pass, as the runner saw it. */
export function observeTaskPass(task: string, durationMs: number, done: number, failed: boolean): void {
  const { passes } = metricsState();
  passes.runs.inc({ task });
  if (failed) passes.errors.inc({ task });
  else if (done > 0) passes.items.inc({ task }, done);
  passes.duration.observe({ task }, durationMs / 1000);
}

/** An outbox message settled: "pending" again is counted as a "retry". */
export function countSend(channel: string, status: string): void {
  metricsState().sends.inc({
    channel: channel === "email" || channel === "sms" ? channel : "other",
    outcome: status === "pending" ? "retry" : status,
  });
}
