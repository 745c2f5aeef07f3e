// A transaction's rollup deltas, gathered while it works and written at its end, in
// one order every writer shares: FlowDaily rows by their key, then FlowReasonDaily
// rows by theirs. The rollup rows are the hottest rows there are (every entry of a flow
// on a day moves the same row), so
//  - they are locked last and held only until the commit, and
//  - two transactions that move the same rows take them in the same order: two
//    runner batches whose customers met flows a and b in opposite orders would
//    otherwise wait for each other (a deadlock).
// Every caller keeps the rule "rollup rows after every other row it locks".
import type { RawQuery } from "../db/client.server";
import { bumpFlowDaily, bumpFlowReasons, type FlowDailyDelta, type FlowDailyKey, type FlowReasonKey } from "./rollup.server";

type RollupTx = Parameters<typeof bumpFlowDaily>[0];

const sep = "\u0000";
const dayText = (d: Date) => d.toISOString().slice(0, 10);

function dailyKeyText(k: FlowDailyKey): string {
  return [k.shopId, k.flowId, dayText(k.day), k.stepId ?? "", k.variant ?? "", k.channel ?? "", k.cohort ?? ""].join(sep);
}

function reasonKeyText(k: FlowReasonKey): string {
  return [k.shopId, k.flowId, dayText(k.day), k.stepId ?? "", k.outcome, k.reason].join(sep);
}

const byText = <T extends { text: string }>(a: T, b: T) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

export class RollupBuffer {
  private daily = new Map<string, { key: FlowDailyKey; delta: Record<string, number> }>();
  private reasons = new Map<string, FlowReasonKey & { count: number }>();

  /** Adds a delta to a FlowDaily row (merged with what this transaction already added to it). */
  addDaily(key: FlowDailyKey, delta: FlowDailyDelta): void {
    const text = dailyKeyText(key);
    const have = this.daily.get(text);
    const sum = have?.delta ?? {};
    for (const [f, v] of Object.entries(delta) as [string, number | undefined][]) if (v) sum[f] = roundFigure((sum[f] ?? 0) + v);
    if (!have) this.daily.set(text, { key, delta: sum });
  }

  /** Counts one decision (or `count`) into FlowReasonDaily. */
  addReason(key: FlowReasonKey, count = 1): void {
    const text = reasonKeyText(key);
    const have = this.reasons.get(text);
    if (have) have.count += count;
    else this.reasons.set(text, { ...key, count });
  }

  /** Writes everything gathered, in the shared order, and starts empty again. */
  async flush(tx: RollupTx): Promise<void> {
    const daily = [...this.daily.entries()].map(([text, v]) => ({ text, ...v })).sort(byText);
    const reasons = [...this.reasons.entries()].map(([text, r]) => ({ text, r })).sort(byText);
    this.daily.clear();
    this.reasons.clear();
    for (const d of daily) await bumpFlowDaily(tx, d.key, d.delta);
    const counts = reasons.map((x) => x.r);
    if (counts.length) await bumpFlowReasons(tx, counts);
  }
}

/** Money and squared money are summed in floating point: keep them at the columns' scale (4 places). */
function roundFigure(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}

/**
 * The rollup writer's transaction shape over the raw driver's transaction (the
 * journeys' set-based paths run there). Dates go as ISO text: the driver would
 * otherwise send a JavaScript Date in the process's own time zone, and a UTC midnight
 * read as a DATE in a zone west of Greenwich is the day before.
 */
export function rollupTxOf(q: RawQuery): RollupTx {
  const tx = {
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) =>
      (
        await q(
          sql,
          values.map((v) => (v instanceof Date ? v.toISOString() : v)),
        )
      ).length,
  };
  return tx as unknown as RollupTx;
}
