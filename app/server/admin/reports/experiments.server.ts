// A/B results: each experiment of a flow with its variants' figures since it started
// (FlowDaily of its step, by variant) and the last daily evaluation's probabilities
// (Experiment.result, written by the experiments job).
import type { Experiment } from "@prisma/client";
import { z } from "zod";
import { isoDay } from "~/domain/measurement/report-period";
import { shopDay } from "~/domain/measurement/shop-day";
import { db } from "../../db/client.server";
import { cents, figuresOf, rate, SUM_ALL } from "./figures.server";

export interface VariantResult {
  key: string;
  isControl: boolean;
  isWinner: boolean;
  recipients: number;
  clicks: number;
  clickRate: number | null;
  conversions: number;
  conversionRate: number | null;
  revenue: number;
  revenuePerRecipient: number | null;
  /** From the last evaluation; null before the first one (or for the control). */
  probBeatControl: number | null;
  expectedLoss: number | null;
}

export interface ExperimentView {
  id: string;
  stepId: string;
  metric: "click_rate" | "conversion_rate" | "revenue_per_recipient";
  status: "running" | "concluded";
  winner: string | null;
  controlKey: string;
  startedOn: string;
  endedOn: string | null;
  evaluatedOn: string | null;
  minSample: number;
  minProbability: number;
  minDays: number;
  maxDays: number;
  /** Why the last evaluation did (not) conclude, as the job wrote it. */
  reason: string | null;
  variants: VariantResult[];
}

// Experiment.result is written by another module: read it tolerantly (a per-variant
// array or a record by key), and ignore what is not understood rather than fail the page.
const Num = z.number().finite().nullable().optional();
const VariantEval = z.object({ key: z.string().optional(), probBeatControl: Num, expectedLoss: Num }).loose();
const ResultSchema = z
  .object({
    perVariant: z.union([z.array(VariantEval), z.record(z.string(), VariantEval)]).optional(),
    reason: z.string().optional(),
  })
  .loose();

function evaluations(result: unknown): { byKey: Map<string, z.infer<typeof VariantEval>>; reason: string | null } {
  const parsed = ResultSchema.safeParse(result);
  const byKey = new Map<string, z.infer<typeof VariantEval>>();
  if (!parsed.success) return { byKey, reason: null };
  const per = parsed.data.perVariant;
  if (Array.isArray(per)) for (const v of per) if (v.key) byKey.set(v.key, v);
  if (per && !Array.isArray(per)) for (const [k, v] of Object.entries(per)) byKey.set(k, v);
  return { byKey, reason: parsed.data.reason ?? null };
}

const METRICS = ["click_rate", "conversion_rate", "revenue_per_recipient"] as const;

export async function loadExperiments(shopId: string, flowId: string, timeZone: string, today: Date): Promise<ExperimentView[]> {
  const experiments = await db().experiment.findMany({ where: { shopId, flowId }, orderBy: { startedAt: "desc" }, take: 10 });
  return Promise.all(experiments.map((e) => experimentView(e, timeZone, today)));
}

async function experimentView(e: Experiment, timeZone: string, today: Date): Promise<ExperimentView> {
  const from = shopDay(e.startedAt, timeZone);
  const to = e.endedAt ? shopDay(e.endedAt, timeZone) : today;
  const rows = await db().flowDaily.groupBy({
    by: ["variant"],
    where: { shopId: e.shopId, flowId: e.flowId, stepId: e.stepId, variant: { not: "" }, day: { gte: from, lte: to } },
    _sum: SUM_ALL,
  });
  const declared = z
    .array(z.object({ key: z.string() }).loose())
    .catch([])
    .parse(e.variants)
    .map((v) => v.key);
  const keys = [...new Set([...declared, ...rows.map((r) => r.variant)])];
  const { byKey, reason } = evaluations(e.result);
  const variants = keys.map((key): VariantResult => {
    const f = figuresOf(rows.find((r) => r.variant === key)?._sum);
    const ev = byKey.get(key);
    return {
      key,
      isControl: key === e.controlKey,
      isWinner: key === e.winner,
      recipients: f.sent,
      clicks: f.clicked,
      clickRate: rate(f.clicked, f.sent),
      conversions: f.attributedOrders,
      conversionRate: rate(f.attributedOrders, f.sent),
      revenue: cents(f.attributedRevenue),
      revenuePerRecipient: f.sent > 0 ? f.attributedRevenue / f.sent : null,
      probBeatControl: key === e.controlKey ? null : (ev?.probBeatControl ?? null),
      expectedLoss: ev?.expectedLoss ?? null,
    };
  });
  // The control first, then the others in their declared order.
  variants.sort((a, b) => Number(b.isControl) - Number(a.isControl));
  return {
    id: e.id,
    stepId: e.stepId,
    metric: (METRICS as readonly string[]).includes(e.metric) ? (e.metric as ExperimentView["metric"]) : "conversion_rate",
    status: e.status === "concluded" ? "concluded" : "running",
    winner: e.winner,
    controlKey: e.controlKey,
    startedOn: isoDay(from),
    endedOn: e.endedAt ? isoDay(to) : null,
    evaluatedOn: e.evaluatedOn ? isoDay(e.evaluatedOn) : null,
    minSample: e.minSample,
    minProbability: e.minProbability,
    minDays: e.minDays,
    maxDays: e.maxDays,
    reason,
    variants,
  };
}
