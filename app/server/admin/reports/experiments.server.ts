// A/B results: each experiment of a flow with the figures and probabilities of its last
// daily evaluation (Experiment.result, written by the experiments task), or, before
// the first one, its step's FlowDaily figures by variant since it started.
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
  /** Why the last evaluation did (not) conclude: the stats module's ExperimentReason, or how the task ended it. */
  reason: string | null;
  variants: VariantResult[];
}

// Experiment.result is the daily evaluation's record (app/server/experiments):
// { evaluatedOn, daysRunning, figures: VariantFigures[], evaluation: ExperimentEvaluation },
// or { reason } when it ended otherwise. Read tolerantly: what is not understood is left
// out rather than failing the page.
const Num = z.number().finite().nullable().optional();
const ResultSchema = z
  .object({
    reason: z.string().optional(),
    figures: z
      .array(
        z
          .object({
            key: z.string(),
            recipients: z.number(),
            clicks: z.number(),
            conversions: z.number(),
            revenue: z.object({ sum: z.number() }).loose(),
          })
          .loose(),
      )
      .optional()
      .catch(undefined),
    evaluation: z
      .object({
        reason: z.string().optional(),
        perVariant: z.array(z.object({ key: z.string(), probBeatControl: Num, expectedLoss: Num }).loose()).catch([]),
      })
      .loose()
      .optional()
      .catch(undefined),
  })
  .loose();

type Evaluated = z.infer<typeof ResultSchema>;

const parseResult = (result: unknown): Evaluated => {
  const parsed = ResultSchema.safeParse(result);
  return parsed.success ? parsed.data : {};
};

const METRICS = ["click_rate", "conversion_rate", "revenue_per_recipient"] as const;

export async function loadExperiments(shopId: string, flowId: string, timeZone: string, today: Date): Promise<ExperimentView[]> {
  const experiments = await db().experiment.findMany({ where: { shopId, flowId }, orderBy: { startedAt: "desc" }, take: 10 });
  return Promise.all(experiments.map((e) => experimentView(e, timeZone, today)));
}

async function experimentView(e: Experiment, timeZone: string, today: Date): Promise<ExperimentView> {
  const from = shopDay(e.startedAt, timeZone);
  const to = e.endedAt ? shopDay(e.endedAt, timeZone) : today;
  const result = parseResult(e.result);
  // The figures the last evaluation decided on (summed over every step the test measures);
  // before the first one, the tested step's rollups since the start.
  const rows = result.figures
    ? []
    : await db().flowDaily.groupBy({
        by: ["variant"],
        where: { shopId: e.shopId, flowId: e.flowId, stepId: e.stepId, variant: { not: "" }, day: { gte: from, lte: to } },
        _sum: SUM_ALL,
      });
  const declared = z
    .array(z.object({ key: z.string() }).loose())
    .catch([])
    .parse(e.variants)
    .map((v) => v.key);
  const keys = [...new Set([...declared, ...(result.figures ?? rows.map((r) => ({ key: r.variant }))).map((r) => r.key)])];
  const variants = keys.map((key): VariantResult => {
    const evaluated = result.figures?.find((v) => v.key === key);
    const f = figuresOf(rows.find((r) => r.variant === key)?._sum);
    const recipients = evaluated ? evaluated.recipients : f.sent;
    const clicks = evaluated ? evaluated.clicks : f.clicked;
    const conversions = evaluated ? evaluated.conversions : f.attributedOrders;
    const revenue = evaluated ? evaluated.revenue.sum : f.attributedRevenue;
    const ev = result.evaluation?.perVariant.find((v) => v.key === key);
    return {
      key,
      isControl: key === e.controlKey,
      isWinner: key === e.winner,
      recipients,
      clicks,
      clickRate: rate(clicks, recipients),
      conversions,
      conversionRate: rate(conversions, recipients),
      revenue: cents(revenue),
      revenuePerRecipient: recipients > 0 ? revenue / recipients : null,
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
    reason: result.reason ?? result.evaluation?.reason ?? null,
    variants,
  };
}
