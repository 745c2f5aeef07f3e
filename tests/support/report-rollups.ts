// Report rollups for the demo shop's flows, for the report pages' browser tests and
// screenshots: 90 days of FlowDaily and FlowReasonDaily rows, written through the
// rollup writer, from a seeded random walk (the same figures every run for a given
// today). Not the demo's story (the demo-data generator runs the real engine): just
// enough believable rows to read the pages.
import type { PrismaClient } from "@prisma/client";
import { addDays } from "~/domain/measurement/report-period";
import { bumpFlowDaily, bumpFlowReasons, type FlowReasonKey } from "~/server/measurement/rollup.server";

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FlowPlan {
  key: string;
  entriesPerDay: number;
  /** Share of entries that order within the window, with messages and without. */
  pTreated: number;
  pHoldout: number;
  steps: { stepId: string; channel: "email" | "sms"; variants?: string[]; reach: number; clickRate: number }[];
}

const PLANS: FlowPlan[] = [
  {
    key: "abandoned_checkout",
    entriesPerDay: 40,
    pTreated: 0.16,
    pHoldout: 0.09,
    steps: [
      { stepId: "send_1", channel: "email", reach: 0.85, clickRate: 0.14 },
      { stepId: "send_sms", channel: "sms", reach: 0.3, clickRate: 0.11 },
      { stepId: "send_2", channel: "email", reach: 0.7, clickRate: 0.09 },
    ],
  },
  {
    key: "welcome",
    entriesPerDay: 25,
    pTreated: 0.08,
    pHoldout: 0.07,
    steps: [
      { stepId: "send_1", channel: "email", reach: 0.95, clickRate: 0.2 },
      { stepId: "send_2", channel: "email", variants: ["a", "b"], reach: 0.9, clickRate: 0.08 },
      { stepId: "send_3", channel: "email", reach: 0.8, clickRate: 0.05 },
    ],
  },
  {
    key: "browse_abandonment",
    entriesPerDay: 15,
    pTreated: 0.05,
    pHoldout: 0.05,
    steps: [{ stepId: "send_1", channel: "email", reach: 0.8, clickRate: 0.07 }],
  },
];

const binomial = (n: number, p: number, r: () => number) => {
  let k = 0;
  for (let i = 0; i < n; i++) if (r() < p) k++;
  return k;
};
const orderValue = (r: () => number) => Math.round((60 + 200 * r() * r()) * 100) / 100;

/** Writes 90 days (ending today) of rollups for the shop's plan flows, and an A/B test on welcome's send_2. */
export async function seedReportRollups(prisma: PrismaClient, shopId: string, today: Date): Promise<void> {
  const r = random(20261207);
  const flows = await prisma.flow.findMany({ where: { shopId, key: { in: PLANS.map((p) => p.key) } } });
  for (const plan of PLANS) {
    const flow = flows.find((f) => f.key === plan.key);
    if (!flow) continue;
    // These figures hold 10% out; the flow says so (the demo itself holds nobody out).
    await prisma.flow.update({ where: { id: flow.id }, data: { holdoutPercent: 10 } });
    const reasons: (FlowReasonKey & { count: number })[] = [];
    for (let back = 89; back >= 0; back--) {
      const day = addDays(today, -back);
      const key = { shopId, flowId: flow.id, day };
      const entries = Math.round(plan.entriesPerDay * (0.7 + 0.6 * r()));
      const held = binomial(entries, 0.1, r);
      for (const [cohort, n, p] of [
        ["treated", entries - held, plan.pTreated],
        ["holdout", held, plan.pHoldout],
      ] as const) {
        const converted = binomial(n, p, r);
        let sum = 0;
        let sumSq = 0;
        for (let i = 0; i < converted; i++) {
          const v = orderValue(r);
          sum += v;
          sumSq += v * v;
        }
        await bumpFlowDaily(prisma, { ...key, cohort }, { entered: n, converted, outcomeRevenue: sum, outcomeRevenueSq: sumSq });
      }
      for (const step of plan.steps) {
        const reached = Math.round((entries - held) * step.reach);
        const heldOut = Math.round(held * step.reach);
        const variants = step.variants ?? [""];
        for (const [i, variant] of variants.entries()) {
          const sent = variants.length > 1 ? Math.round(reached / variants.length) : reached;
          const clickRate = step.clickRate * (1 + 0.6 * i); // variant b clicks better
          const delivered = step.channel === "email" ? sent - binomial(sent, 0.02, r) : binomial(sent, 0.97, r);
          const clicked = binomial(delivered, clickRate, r);
          const attributedOrders = binomial(clicked, 0.3, r);
          const influencedOrders = binomial(delivered - clicked, 0.02, r);
          let revenue = 0;
          let revenueSq = 0;
          for (let o = 0; o < attributedOrders; o++) {
            const v = orderValue(r);
            revenue += v;
            revenueSq += v * v;
          }
          let influenced = 0;
          for (let o = 0; o < influencedOrders; o++) influenced += orderValue(r);
          await bumpFlowDaily(
            prisma,
            { ...key, stepId: step.stepId, variant, channel: step.channel },
            {
              sent,
              delivered,
              clicked,
              // Split so the parts add up to the held-out decisions counted below.
              heldOut: Math.floor(heldOut / variants.length) + (i === 0 ? heldOut % variants.length : 0),
              attributedOrders,
              attributedRevenue: Math.round(revenue * 100) / 100,
              attributedRevenueSq: revenueSq,
              influencedOrders,
              influencedRevenue: Math.round(influenced * 100) / 100,
            },
          );
        }
        const stepReasons: [string, string, number][] = [
          ["skip", "no_consent", binomial(entries, 0.04, r)],
          ["defer", step.channel === "sms" ? "sms_window" : "quiet_hours", binomial(entries, 0.12, r)],
          ["defer", "frequency_cap", binomial(entries, 0.03, r)],
          ["skip", "lost_priority", binomial(entries, 0.02, r)],
          ["holdout", "holdout", heldOut],
        ];
        for (const [outcome, reason, count] of stepReasons)
          if (count > 0) reasons.push({ shopId, flowId: flow.id, day, stepId: step.stepId, outcome, reason, count });
      }
      reasons.push({
        shopId,
        flowId: flow.id,
        day,
        stepId: "",
        outcome: "exit",
        reason: "goal_reached",
        count: binomial(entries, 0.12, r),
      });
    }
    await bumpFlowReasons(
      prisma,
      reasons.filter((x) => x.count > 0),
    );
  }
  const welcome = flows.find((f) => f.key === "welcome");
  if (welcome)
    await prisma.experiment.create({
      data: {
        shopId,
        flowId: welcome.id,
        stepId: "send_2",
        variants: [
          { key: "a", weight: 1 },
          { key: "b", weight: 1 },
        ],
        controlKey: "a",
        metric: "click_rate",
        startedAt: addDays(today, -40),
        evaluatedOn: addDays(today, -1),
        // The daily evaluation's record (app/server/experiments): the figures it decided on and its evaluation.
        result: {
          evaluatedOn: addDays(today, -1).toISOString().slice(0, 10),
          daysRunning: 39,
          figures: [
            { key: "a", recipients: 402, clicks: 31, conversions: 9, revenue: { n: 402, sum: 899.55, sumSq: 101000 } },
            { key: "b", recipients: 405, clicks: 52, conversions: 12, revenue: { n: 405, sum: 1181.2, sumSq: 132000 } },
          ],
          evaluation: {
            perVariant: [
              { key: "a", isControl: true, probBeatControl: 0.5, expectedLoss: 0.0517, probBest: 0.013 },
              { key: "b", isControl: false, probBeatControl: 0.987, expectedLoss: 0.0002, probBest: 0.987 },
            ],
            winner: null,
            concluded: false,
            reason: "below_min_sample",
          },
        },
      },
    });
}
