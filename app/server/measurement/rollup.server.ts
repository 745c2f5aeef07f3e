// The report rollups (FlowDaily, FlowReasonDaily) move only by deltas, in the same
// transaction as the row change that causes them, so they always equal a recomputation
// from the raw rows (tests/measurement/rollup-equality.db.test.ts). One statement per
// call: INSERT ... ON CONFLICT DO UPDATE adds to whatever is there.
import type { Prisma } from "@prisma/client";

type Tx = Pick<Prisma.TransactionClient, "$executeRawUnsafe">;

export interface FlowDailyKey {
  shopId: string;
  flowId: string;
  /** Shop-local day (see shopDay). */
  day: Date;
  stepId?: string;
  variant?: string;
  channel?: string;
  cohort?: "treated" | "holdout" | "";
}

/** The additive figures of FlowDaily; money as numbers of the shop's currency. */
export interface FlowDailyDelta {
  entered?: number;
  sent?: number;
  delivered?: number;
  clicked?: number;
  heldOut?: number;
  attributedOrders?: number;
  attributedRevenue?: number;
  attributedRevenueSq?: number;
  influencedOrders?: number;
  influencedRevenue?: number;
  converted?: number;
  outcomeRevenue?: number;
  outcomeRevenueSq?: number;
}

const FIGURES = [
  "entered",
  "sent",
  "delivered",
  "clicked",
  "heldOut",
  "attributedOrders",
  "attributedRevenue",
  "attributedRevenueSq",
  "influencedOrders",
  "influencedRevenue",
  "converted",
  "outcomeRevenue",
  "outcomeRevenueSq",
] as const satisfies readonly (keyof FlowDailyDelta)[];

/** Adds a delta to one FlowDaily row (created at zero when missing). A zero delta writes nothing. */
export async function bumpFlowDaily(tx: Tx, key: FlowDailyKey, delta: FlowDailyDelta): Promise<void> {
  const cols = FIGURES.filter((f) => delta[f] !== undefined && delta[f] !== 0);
  if (cols.length === 0) return;
  const params: unknown[] = [
    key.shopId,
    key.flowId,
    key.day,
    key.stepId ?? "",
    key.variant ?? "",
    key.channel ?? "",
    key.cohort ?? "",
    ...cols.map((c) => delta[c]),
  ];
  const values = cols.map((c, i) => `$${8 + i}`);
  await tx.$executeRawUnsafe(
    `INSERT INTO "FlowDaily" ("shopId","flowId","day","stepId","variant","channel","cohort",${cols.map((c) => `"${c}"`).join(",")})
     VALUES ($1,$2,$3::date,$4,$5,$6,$7,${values.join(",")})
     ON CONFLICT ("shopId","flowId","day","stepId","variant","channel","cohort")
     DO UPDATE SET ${cols.map((c) => `"${c}" = "FlowDaily"."${c}" + EXCLUDED."${c}"`).join(", ")}`,
    ...params,
  );
}

export interface FlowReasonKey {
  shopId: string;
  flowId: string;
  day: Date;
  stepId?: string | null;
  outcome: string;
  reason: string;
}

/** Counts decisions into FlowReasonDaily, one statement for a whole batch. */
export async function bumpFlowReasons(tx: Tx, rows: readonly (FlowReasonKey & { count?: number })[]): Promise<void> {
  if (rows.length === 0) return;
  const merged = new Map<string, FlowReasonKey & { count: number }>();
  for (const r of rows) {
    const k = [r.shopId, r.flowId, r.day.toISOString().slice(0, 10), r.stepId ?? "", r.outcome, r.reason].join("\u0000");
    const m = merged.get(k);
    if (m) m.count += r.count ?? 1;
    else merged.set(k, { ...r, count: r.count ?? 1 });
  }
  const list = [...merged.values()];
  await tx.$executeRawUnsafe(
    `INSERT INTO "FlowReasonDaily" ("shopId","flowId","day","stepId","outcome","reason","count")
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::int[])
     ON CONFLICT ("shopId","flowId","day","stepId","outcome","reason")
     DO UPDATE SET "count" = "FlowReasonDaily"."count" + EXCLUDED."count"`,
    list.map((r) => r.shopId),
    list.map((r) => r.flowId),
    list.map((r) => r.day.toISOString().slice(0, 10)),
    list.map((r) => r.stepId ?? ""),
    list.map((r) => r.outcome),
    list.map((r) => r.reason),
    list.map((r) => r.count),
  );
}
