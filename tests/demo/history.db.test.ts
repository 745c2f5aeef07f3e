import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { clockOffsetMs, now, setClock } from "~/server/clock.server";
import { shopDay } from "~/domain/measurement/shop-day";
import { parsePeriod } from "~/domain/measurement/report-period";
import { flowReport } from "~/server/admin/reports/flow-report.server";
import { seedDemoShop } from "../../demo/seed/seed-demo-shop.server";
import { parseFlowDefinition } from "~/domain/journey";
import { diffOfProportions, wilson } from "~/domain/stats";
import { EXPERIMENTS_ACTOR } from "~/server/experiments/evaluate-experiments.server";
import { DEMO_TEST_SETTINGS, GIFT_SUBJECT } from "../../demo/seed/history/ab-test.server";
import { expectedEffect, HISTORY_FLOW_KEYS, PLANTED_AB, PLANTED_EFFECTS, type HistoryFlowKey } from "../../demo/seed/history/effects";
import { planShoppers } from "../../demo/seed/history/plan";
import {
  DEMO_HISTORY,
  demoHistorySettings,
  demoHistoryStart,
  demoHistoryWanted,
  seedDemoHistory,
  type DemoHistorySettings,
} from "../../demo/seed/history/seed-history.server";
import type { HistoryResult } from "../../demo/seed/history/simulate.server";
import { useTestDatabase } from "../support/db";

// The demo's generated history (demo/seed/history), exactly as `npm run demo` makes it
// at a first start (DEMO_HISTORY): what is checked here is what a merchant opening the
// demo reads. It takes minutes (the real pipeline over hundreds of shoppers).

const DAY = 86_400_000;
const SETTINGS: DemoHistorySettings = DEMO_HISTORY;
/** When the checked history ends: a Monday morning in Warsaw, a DST change within the 90 days. */
const HISTORY_ENDS = new Date("2026-11-02T08:30:00Z");
/** The flows whose planted effect the demo's reports must find, not only cover. */
const MAIN_FLOWS: HistoryFlowKey[] = ["abandoned_checkout", "welcome", "browse_abandonment", "post_purchase"];

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;
let result: HistoryResult | null;
let offsetBefore: number;

// The demo runs on PGlite, its embedded default: the history is generated and read
// there. On PostgreSQL every path it takes is covered by the runner, outbox and
// measurement tests, so CI does not spend minutes generating it twice.
const onDemoDatabase = !process.env.DATABASE_URL;

beforeAll(async () => {
  if (!onDemoDatabase) return;
  // One calendar, so one history: the demo's ids are made from what they are
  // (demo/seed/demo-ids.ts), and the plan's draws are keyed on its times, so this is
  // the history a demo started at this instant shows (history-replay.db.test.ts).
  setClock(HISTORY_ENDS);
  shopId = (await seedDemoShop({ flowsSince: demoHistoryStart(SETTINGS) })).shopId;
  offsetBefore = clockOffsetMs();
  result = await seedDemoHistory(shopId, SETTINGS);
}, 3_600_000);

function perFlow<T>(rows: (T & { key: string })[]): Map<string, T> {
  return new Map(rows.map((r) => [r.key, r]));
}

describe("the plan", () => {
  it("is the same for the same seed, and another seed gives other shoppers", () => {
    const options = {
      seed: 11,
      shoppers: 50,
      startMs: Date.UTC(2026, 7, 1),
      days: 60,
      timeZone: "Europe/Warsaw",
      meanDaysBetweenVisits: 10,
    };
    expect(planShoppers(options)).toEqual(planShoppers(options));
    expect(planShoppers({ ...options, seed: 12 })).not.toEqual(planShoppers(options));
  });

  it("is skipped with --no-history or DEMO_HISTORY=off, and sized by DEMO_HISTORY_SHOPPERS", () => {
    expect(demoHistoryWanted(["server.ts", "--demo"], {})).toBe(true);
    expect(demoHistoryWanted(["server.ts", "--demo", "--no-history"], {})).toBe(false);
    expect(demoHistoryWanted(["server.ts", "--demo"], { DEMO_HISTORY: "off" })).toBe(false);
    expect(demoHistorySettings({ DEMO_HISTORY_SHOPPERS: "1500" }).shoppers).toBe(1500);
    expect(demoHistorySettings({ DEMO_HISTORY_SHOPPERS: "lots" })).toEqual(DEMO_HISTORY);
  });

  it("keeps the planted effects in one table, every lift a probability", () => {
    for (const key of HISTORY_FLOW_KEYS) {
      const e = PLANTED_EFFECTS[key];
      expect(e.baseline + e.lift).toBeLessThan(1);
      expect(e.lift).toBeGreaterThanOrEqual(0);
    }
    expect(HISTORY_FLOW_KEYS.some((k) => PLANTED_EFFECTS[k].lift === 0)).toBe(true);
  });
});

describe.skipIf(!onDemoDatabase)("the generated history", () => {
  it("ran once and gave the clock back", async () => {
    expect(result).not.toBeNull();
    expect(Math.abs(clockOffsetMs() - offsetBefore)).toBeLessThan(60_000);
    expect(await seedDemoHistory(shopId, SETTINGS)).toBeNull();
    const done = await prisma().auditLog.findFirstOrThrow({ where: { shopId, action: "demo.history" } });
    expect(done.details).toMatchObject({ shoppers: SETTINGS.shoppers });
  });

  it("has enrollments, held-out entries, sends and clicks in every flow", async () => {
    const entries = perFlow(
      await getDb().query<{ key: string; n: number; held: number }>(
        `SELECT f.key, count(*)::int n, count(*) FILTER (WHERE e.holdout)::int held
         FROM "Enrollment" e JOIN "Flow" f ON f.id = e."flowId" WHERE e."shopId" = $1 GROUP BY 1`,
        [shopId],
      ),
    );
    const sends = perFlow(
      await getDb().query<{ key: string; sent: number; clicked: number }>(
        `SELECT f.key, count(*) FILTER (WHERE m.status = 'sent')::int sent,
                count(DISTINCT m.id) FILTER (WHERE ev.id IS NOT NULL)::int clicked
         FROM "Message" m JOIN "Flow" f ON f.id = m."flowId"
         LEFT JOIN "MessageEvent" ev ON ev."messageId" = m.id AND ev.type = 'clicked' AND ev.reliable
         WHERE m."shopId" = $1 GROUP BY 1`,
        [shopId],
      ),
    );
    const heldOutSends = perFlow(
      await getDb().query<{ key: string; n: number }>(
        `SELECT f.key, count(*)::int n FROM "Decision" d JOIN "Flow" f ON f.id = d."flowId"
         WHERE d."shopId" = $1 AND d.outcome = 'holdout' GROUP BY 1`,
        [shopId],
      ),
    );
    for (const key of HISTORY_FLOW_KEYS) {
      expect(entries.get(key)?.n, key).toBeGreaterThan(20);
      expect(entries.get(key)?.held, key).toBeGreaterThan(0);
      expect(heldOutSends.get(key)?.n, key).toBeGreaterThan(0);
      expect(sends.get(key)?.sent, key).toBeGreaterThan(0);
      expect(sends.get(key)?.clicked, key).toBeGreaterThan(0);
    }
  });

  it("has orders after entries of every flow, refunds and cancellations", async () => {
    const converted = perFlow(await conversions(new Date(now().getTime() + DAY)));
    for (const key of HISTORY_FLOW_KEYS)
      expect((converted.get(key)?.treatedConverted ?? 0) + (converted.get(key)?.heldConverted ?? 0), key).toBeGreaterThan(0);
    expect(result!.orders).toBeGreaterThan(50);
    expect(result!.refunds).toBeGreaterThan(0);
    const refunded = await prisma().order.count({ where: { shopId, financialStatus: { in: ["refunded", "partially_refunded"] } } });
    expect(refunded).toBeGreaterThan(0);
    expect(await prisma().order.count({ where: { shopId, cancelledAt: { not: null } } })).toBe(result!.cancellations);
    // The demo shop's own setting (everything sent) is back.
    expect((await prisma().shop.findUniqueOrThrow({ where: { id: shopId } })).holdoutPercent).toBe(0);
  });

  // The intervals are checked at 99.9 %: a 95 % interval misses by design one time in
  // twenty, five flows a run would fail one run in four (the holdout depends on the
  // app's random ids). A 99.9 % interval that misses is a bias, not bad luck. The
  // coverage RATE of the 95 % interval is the stats module's simulation test.
  it("raw rows: treated minus held-out conversion, per flow, covers the planted effect", async () => {
    const stats = await statsModule();
    const closed = new Date(now().getTime() - 8 * DAY);
    for (const row of await conversions(closed)) {
      const key = row.key as HistoryFlowKey;
      const truth = expectedEffect(key, result!.ledger[key].reach);
      const ci = stats
        ? stats.diffOfProportions(row.treatedConverted, row.treated, row.heldConverted, row.held, 0.999)
        : wald(row.treatedConverted, row.treated, row.heldConverted, row.held, 3.29);
      console.info(key, { ...row, planted: PLANTED_EFFECTS[key].lift, truth, ci });
      expect(ci.low, key).toBeLessThanOrEqual(truth);
      expect(ci.high, key).toBeGreaterThanOrEqual(truth);
    }
  });

  // What the flow report shows over the last 90 days (a preset; the history is 90 days
  // long): the main flows have enough entries to be read and point the planted way,
  // abandoned checkout concludes, and the cart reminder, which has no effect, is not
  // "too few" and its 99.9 % interval holds zero (at 95 % it may, by design, claim
  // one in one run out of twenty).
  it("reports: the main flows' holdout results are read, abandoned checkout's conclusive; the flow without an effect holds zero", async () => {
    const shop = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
    const today = shopDay(now(), shop.timezone ?? "UTC");
    const period = parsePeriod(new URLSearchParams({ period: "90" }), today);
    const flows = await prisma().flow.findMany({ where: { shopId, key: { in: HISTORY_FLOW_KEYS } } });
    const stats = (await statsModule())!;
    for (const flow of flows) {
      const key = flow.key as HistoryFlowKey;
      const h = (await flowReport(shop, flow.id, period, today, "en"))!.holdout;
      const truth = expectedEffect(key, result!.ledger[key].reach);
      console.info(key, "90-day report", {
        treated: h.treated.n,
        holdout: h.holdout.n,
        truth,
        lift: h.conversionLift,
        conversion: h.conversionVerdict,
        revenue: h.verdict,
      });
      expect(h.through, key).not.toBeNull();
      if (MAIN_FLOWS.includes(key)) {
        // Measured power of the default history (scripts/demo-history-report.ts):
        // abandoned checkout's conversion line is conclusive in ~99.6 % of runs, the
        // others' in ~80-90 % each (their planted lift is ~3 standard errors); so only
        // the first is required to conclude, the others to be read and point up.
        expect(h.conversionVerdict, key).not.toBe("too_few");
        expect(h.conversionLift!.estimate, key).toBeGreaterThan(0);
        if (key === "abandoned_checkout") {
          expect(h.conversionVerdict, key).toBe("positive");
          expect(h.verdict, key).not.toBe("too_few");
        }
      }
      if (PLANTED_EFFECTS[key].lift === 0) {
        expect(h.conversionVerdict, key).not.toBe("too_few");
        const wide = stats.diffOfProportions(h.treated.conversions, h.treated.n, h.holdout.conversions, h.holdout.n, 0.999);
        expect(wide.low, key).toBeLessThanOrEqual(0);
        expect(wide.high, key).toBeGreaterThanOrEqual(0);
      }
    }
  });

  // The welcome series' subject-line test (effects.ts, PLANTED_AB), read as the report
  // page reads it (flowReport). Its figures are those of its last daily evaluation;
  // each variant's click rate is held against the rate planted for its recipients
  // (a 99.9 % interval, as above: a miss is a bias). The planted gap (~21 % against
  // ~47 %) is ~4 standard errors at 100 recipients a variant, so the report must say b
  // is likely better, and the winner rule, applied daily as the worker applies it, picks
  // b (it did in each of 400 simulated histories of these rates, after 41-50 days); the version it then makes is checked as the product makes it.
  it("A/B: the welcome test's report agrees with the planted click rates, and a winner is b, promoted by the product", async () => {
    const shop = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
    const today = shopDay(now(), shop.timezone ?? "UTC");
    const period = parsePeriod(new URLSearchParams({ period: "90" }), today);
    const flow = await prisma().flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key: PLANTED_AB.flow } } });
    const report = (await flowReport(shop, flow.id, period, today, "en"))!;
    expect(report.experiments).toHaveLength(1);
    const e = report.experiments[0]!;
    expect(e).toMatchObject({ stepId: PLANTED_AB.stepId, controlKey: PLANTED_AB.control, ...DEMO_TEST_SETTINGS });
    expect(e.evaluatedOn).not.toBeNull();
    const variant = (key: string) => e.variants.find((v) => v.key === key)!;
    const a = variant(PLANTED_AB.control);
    const b = variant(PLANTED_AB.challenger);
    const truth = (key: "a" | "b") => result!.ab[key].expectedClicks / result!.ab[key].recipients;
    console.info("A/B", { status: e.status, winner: e.winner, reason: e.reason, a, b, truthA: truth("a"), truthB: truth("b") });
    for (const [v, key] of [
      [a, "a"],
      [b, "b"],
    ] as const) {
      expect(v.recipients, key).toBeGreaterThan(50);
      expect(v.recipients, key).toBeLessThanOrEqual(result!.ab[key].recipients);
      const ci = wilson(v.clicks, v.recipients, 0.999);
      expect(ci.low, key).toBeLessThanOrEqual(truth(key));
      expect(ci.high, key).toBeGreaterThanOrEqual(truth(key));
    }
    const gap = diffOfProportions(b.clicks, b.recipients, a.clicks, a.recipients, 0.999);
    expect(gap.low).toBeLessThanOrEqual(truth("b") - truth("a"));
    expect(gap.high).toBeGreaterThanOrEqual(truth("b") - truth("a"));
    expect(b.probBeatControl).toBeGreaterThan(0.9);

    // Started as a merchant starts one: a version with the variants, its settings changed on the row.
    const versions = await prisma().flowVersion.findMany({ where: { flowId: flow.id }, orderBy: { version: "asc" } });
    const tested = versions.find((v) => v.createdBy === "demo" && v.changeNote?.startsWith("A/B test"));
    expect(tested).toBeDefined();
    expect(await prisma().auditLog.count({ where: { shopId, action: "experiment.settings_changed", subjectId: e.id } })).toBe(1);
    expect(e.winner).toBe(PLANTED_AB.challenger);
    // The winner's version, made by the daily evaluation: active, with the change note, the
    // tested step settled on b's subject, and the audit row.
    expect(e.status).toBe("concluded");
    const promoted = versions.at(-1)!;
    expect(promoted.id).toBe(flow.activeVersionId);
    expect(promoted.version).toBe(tested!.version + 1);
    expect(promoted.createdBy).toBe(EXPERIMENTS_ACTOR);
    expect(promoted.changeNote).toMatch(/^A\/B test on step send_1: variant b won, P\(beats control\)=/);
    const step = parseFlowDefinition(promoted.definition).steps.find((st) => st.id === PLANTED_AB.stepId);
    expect(step).toMatchObject({ type: "send", subject: GIFT_SUBJECT });
    expect(step && "variants" in step ? step.variants : undefined).toBeUndefined();
    expect(
      await prisma().auditLog.count({
        where: { shopId, action: "experiment.winner_promoted", subjectId: flow.id, actor: EXPERIMENTS_ACTOR },
      }),
    ).toBe(1);
    // Subscribers after the promotion get b's subject and no variant.
    const endedAt = (await prisma().experiment.findUniqueOrThrow({ where: { id: e.id } })).endedAt!;
    const after = await prisma().message.count({
      where: { shopId, flowId: flow.id, stepId: PLANTED_AB.stepId, variant: null, createdAt: { gt: endedAt } },
    });
    expect(after).toBeGreaterThan(0);
  });

  it("rollups: the holdout result of every flow covers its planted effect", async (ctx) => {
    const stats = await statsModule();
    const rollups = await prisma().flowDaily.count({ where: { shopId, cohort: "holdout" } });
    if (!stats || rollups === 0) {
      ctx.skip(
        !stats
          ? "app/domain/stats (branch i15/stats) is not on this branch"
          : "no FlowDaily entry figures: the holdout and attribution rollups (i15/holdout, i15/attribution) are not on this branch",
      );
      return;
    }
    const shop = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
    const today = shopDay(now(), shop.timezone ?? "UTC");
    const flows = await prisma().flow.findMany({ where: { shopId }, select: { id: true, key: true, measurementDays: true } });
    for (const flow of flows) {
      if (!HISTORY_FLOW_KEYS.includes(flow.key as HistoryFlowKey)) continue;
      const key = flow.key as HistoryFlowKey;
      // Entries whose window has closed: entry day + measurementDays < today.
      const before = new Date(today.getTime() - flow.measurementDays * DAY);
      const cohort = async (c: "treated" | "holdout") => {
        const s = await prisma().flowDaily.aggregate({
          where: { shopId, flowId: flow.id, cohort: c, stepId: "", day: { lt: before } },
          _sum: { entered: true, converted: true, outcomeRevenue: true, outcomeRevenueSq: true },
        });
        const n = Number(s._sum.entered ?? 0);
        return {
          n,
          conversions: Number(s._sum.converted ?? 0),
          revenue: { n, sum: Number(s._sum.outcomeRevenue ?? 0), sumSq: Number(s._sum.outcomeRevenueSq ?? 0) },
        };
      };
      const treated = await cohort("treated");
      const holdout = await cohort("holdout");
      const at95 = stats.holdoutResult(treated, holdout).incrementalConversion;
      const at999 = stats.holdoutResult(treated, holdout, 0.999).incrementalConversion;
      const truth = expectedEffect(key, result!.ledger[key].reach);
      console.info(key, { treated: treated.n, holdout: holdout.n, truth, at95, at999 });
      expect(at999.low, key).toBeLessThanOrEqual(truth);
      expect(at999.high, key).toBeGreaterThanOrEqual(truth);
    }
  });
});

interface FlowConversions {
  key: string;
  treated: number;
  held: number;
  treatedConverted: number;
  heldConverted: number;
}

/** Per flow and cohort: entries before `enteredBefore`, and those followed by an order of the customer within the flow's window. */
function conversions(enteredBefore: Date): Promise<FlowConversions[]> {
  return getDb().query<FlowConversions>(
    `SELECT f.key,
            count(*) FILTER (WHERE NOT e.holdout)::int treated,
            count(*) FILTER (WHERE e.holdout)::int held,
            count(*) FILTER (WHERE NOT e.holdout AND o.hit)::int "treatedConverted",
            count(*) FILTER (WHERE e.holdout AND o.hit)::int "heldConverted"
     FROM "Enrollment" e JOIN "Flow" f ON f.id = e."flowId"
     CROSS JOIN LATERAL (
       SELECT EXISTS (SELECT 1 FROM "Order" x WHERE x."shopId" = e."shopId" AND x."customerId" = e."customerId"
                        AND x."processedAt" >= e."enteredAt" AND x."processedAt" < e."enteredAt" + make_interval(days => f."measurementDays")) AS hit
     ) o
     WHERE e."shopId" = $1 AND e."enteredAt" < $2
     GROUP BY 1`,
    [shopId, enteredBefore.toISOString()],
  );
}

function wald(x1: number, n1: number, x2: number, n2: number, z: number) {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return { estimate: p1 - p2, low: p1 - p2 - z * se, high: p1 - p2 + z * se };
}

interface Stats {
  diffOfProportions(x1: number, n1: number, x2: number, n2: number, confidence?: number): { estimate: number; low: number; high: number };
  holdoutResult(
    treated: { n: number; conversions: number; revenue: { n: number; sum: number; sumSq: number } },
    holdout: { n: number; conversions: number; revenue: { n: number; sum: number; sumSq: number } },
    confidence?: number,
  ): { incrementalConversion: { estimate: number; low: number; high: number } };
}

/** The stats module (branch i15/stats), when it is on this branch. */
async function statsModule(): Promise<Stats | null> {
  const file = path.resolve("app/domain/stats/index.ts");
  if (!fs.existsSync(file)) return null;
  return (await import(/* @vite-ignore */ file)) as Stats;
}
