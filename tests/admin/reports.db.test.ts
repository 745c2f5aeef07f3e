// The reports read only the rollups: rows are inserted here through the rollup writer
// (bumpFlowDaily, bumpFlowReasons), and every expected figure is added up by hand in
// the comments. Another shop's rows, under the same flow id, must never count.
import type { Flow, Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "~/domain/measurement/csv";
import { parsePeriod } from "~/domain/measurement/report-period";
import { loader as flowExport } from "~/routes/app.flows_.$flowId.report.export";
import { loader as flowPage } from "~/routes/app.flows_.$flowId.report";
import { loader as shopExport } from "~/routes/app.reports.export";
import { loader as shopPage } from "~/routes/app.reports";
import { loadFlows } from "~/server/admin/flows.server";
import { flowReport } from "~/server/admin/reports/flow-report.server";
import { shopReport } from "~/server/admin/reports/shop-report.server";
import { resetClock, setClock } from "~/server/clock.server";
import { DEMO_SHOP_DOMAIN } from "~/server/config.server";
import { installCatalogue } from "~/server/journeys/flows.server";
import { bumpFlowDaily, bumpFlowReasons, type FlowDailyDelta, type FlowDailyKey } from "~/server/measurement/rollup.server";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shop: Shop;
let other: Shop;
let welcome: Flow;
let checkout: Flow;

const TODAY = new Date("2026-12-07T00:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const bump = (key: Omit<FlowDailyKey, "day" | "shopId"> & { day: string; shopId?: string }, delta: FlowDailyDelta) =>
  bumpFlowDaily(prisma(), { ...key, shopId: key.shopId ?? shop.id, day: day(key.day) }, delta);
const last30 = () => parsePeriod(new URLSearchParams("period=30"), TODAY); // 2026-11-08 .. 2026-12-07

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  // 11:00 in Warsaw on 7 December: the shop's today is 2026-12-07.
  setClock(new Date("2026-12-07T10:00:00Z"));
  shop = await prisma().shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Kawa", timezone: "Europe/Warsaw", currency: "PLN" } });
  other = await prisma().shop.create({ data: { domain: "other-reports.myshopify.com", name: "Other" } });
  await installCatalogue(shop.id);
  welcome = await prisma().flow.findFirstOrThrow({ where: { shopId: shop.id, key: "welcome" } });
  checkout = await prisma().flow.findFirstOrThrow({ where: { shopId: shop.id, key: "abandoned_checkout" } });
  const W = welcome.id;

  // Entries (step '', by entry day and cohort). measurementDays 7: windows closed for entry days <= 2026-11-29.
  await bump(
    { flowId: W, day: "2026-11-01", cohort: "treated" },
    { entered: 100, converted: 50, outcomeRevenue: 5000, outcomeRevenueSq: 500000 },
  ); // before the period
  await bump(
    { flowId: W, day: "2026-11-10", cohort: "treated" },
    { entered: 20, converted: 4, outcomeRevenue: 400, outcomeRevenueSq: 40000 },
  ); // 4 × 100
  await bump(
    { flowId: W, day: "2026-11-10", cohort: "holdout" },
    { entered: 20, converted: 2, outcomeRevenue: 100, outcomeRevenueSq: 5000 },
  ); // 2 × 50
  await bump(
    { flowId: W, day: "2026-11-20", cohort: "treated" },
    { entered: 30, converted: 12, outcomeRevenue: 1800, outcomeRevenueSq: 270000 },
  ); // 12 × 150
  await bump(
    { flowId: W, day: "2026-11-20", cohort: "holdout" },
    { entered: 15, converted: 3, outcomeRevenue: 150, outcomeRevenueSq: 7500 },
  ); // 3 × 50
  await bump(
    { flowId: W, day: "2026-12-01", cohort: "treated" },
    { entered: 10, converted: 5, outcomeRevenue: 500, outcomeRevenueSq: 50000 },
  ); // window open
  await bump({ flowId: W, day: "2026-12-01", cohort: "holdout" }, { entered: 2 });

  // Messages (by step, variant, channel; cohort '').
  await bump(
    { flowId: W, day: "2026-11-01", stepId: "send_1", channel: "email" },
    { sent: 100, attributedOrders: 9, attributedRevenue: 900 },
  ); // before
  await bump(
    { flowId: W, day: "2026-11-10", stepId: "send_1", channel: "email" },
    {
      sent: 18,
      delivered: 17,
      clicked: 5,
      heldOut: 2,
      attributedOrders: 2,
      attributedRevenue: 200,
      attributedRevenueSq: 20000,
      influencedOrders: 1,
      influencedRevenue: 30,
    },
  );
  await bump(
    { flowId: W, day: "2026-11-20", stepId: "send_1", channel: "email" },
    {
      sent: 27,
      delivered: 27,
      clicked: 9,
      heldOut: 3,
      attributedOrders: 3,
      attributedRevenue: 450.55,
      influencedOrders: 2,
      influencedRevenue: 80.1,
    },
  );
  await bump(
    { flowId: W, day: "2026-11-21", stepId: "send_2", variant: "a", channel: "email" },
    { sent: 10, clicked: 2, attributedOrders: 1, attributedRevenue: 50 },
  );
  await bump(
    { flowId: W, day: "2026-11-21", stepId: "send_2", variant: "b", channel: "email" },
    { sent: 12, clicked: 4, attributedOrders: 2, attributedRevenue: 120 },
  );
  await bump({ flowId: W, day: "2026-11-22", stepId: "send_9", channel: "sms" }, { sent: 5, clicked: 1 }); // a step the current version no longer has
  await bump({ flowId: W, day: "2026-11-21", stepId: "send_2", variant: "a" }, { heldOut: 1 }); // a held-out send whose channel was not recorded

  // Decisions by reason.
  await bumpFlowReasons(prisma(), [
    { shopId: shop.id, flowId: W, day: day("2026-11-01"), stepId: "send_1", outcome: "skip", reason: "no_consent", count: 100 }, // before
    { shopId: shop.id, flowId: W, day: day("2026-11-10"), stepId: "send_1", outcome: "skip", reason: "no_consent", count: 4 },
    { shopId: shop.id, flowId: W, day: day("2026-11-20"), stepId: "send_1", outcome: "skip", reason: "no_consent", count: 3 },
    { shopId: shop.id, flowId: W, day: day("2026-11-20"), stepId: "send_1", outcome: "defer", reason: "quiet_hours", count: 6 },
    { shopId: shop.id, flowId: W, day: day("2026-11-20"), stepId: "send_1", outcome: "holdout", reason: "holdout", count: 5 },
    { shopId: shop.id, flowId: W, day: day("2026-11-21"), stepId: "", outcome: "exit", reason: "goal_reached", count: 7 },
    { shopId: shop.id, flowId: W, day: day("2026-11-21"), stepId: "send_2", outcome: "send", reason: "allowed", count: 22 },
  ]);

  // The abandoned checkout flow, for the shop's totals.
  await bump({ flowId: checkout.id, day: "2026-12-05", cohort: "treated" }, { entered: 9 });
  await bump(
    { flowId: checkout.id, day: "2026-12-05", stepId: "send_sms", channel: "sms" },
    { sent: 8, delivered: 6, clicked: 2, attributedOrders: 1, attributedRevenue: 99.99 },
  );
  await bumpFlowReasons(prisma(), [
    { shopId: shop.id, flowId: checkout.id, day: day("2026-12-05"), stepId: "send_sms", outcome: "defer", reason: "sms_window", count: 2 },
  ]);

  // Another shop's rows under the same flow ids: never ours.
  for (const flowId of [W, checkout.id]) {
    await bump({ shopId: other.id, flowId, day: "2026-11-20", stepId: "send_1", channel: "email" }, { sent: 1000, attributedRevenue: 1e6 });
    await bump({ shopId: other.id, flowId, day: "2026-11-20", cohort: "treated" }, { entered: 1000, converted: 1000 });
    await bumpFlowReasons(prisma(), [
      { shopId: other.id, flowId, day: day("2026-11-20"), stepId: "send_1", outcome: "skip", reason: "no_consent", count: 1000 },
    ]);
  }

  // An A/B test on send_2, evaluated on 2026-12-06.
  await prisma().experiment.create({
    data: {
      shopId: shop.id,
      flowId: W,
      stepId: "send_2",
      variants: [
        { key: "a", weight: 1 },
        { key: "b", weight: 1 },
      ],
      controlKey: "a",
      metric: "click_rate",
      startedAt: new Date("2026-11-15T10:00:00Z"),
      evaluatedOn: day("2026-12-06"),
      // As the daily evaluation writes it: the figures it decided on and the stats module's evaluation.
      result: {
        evaluatedOn: "2026-12-06",
        daysRunning: 22,
        figures: [
          { key: "a", recipients: 9, clicks: 2, conversions: 1, revenue: { n: 9, sum: 50, sumSq: 2500 } },
          { key: "b", recipients: 11, clicks: 4, conversions: 2, revenue: { n: 11, sum: 120, sumSq: 7400 } },
        ],
        evaluation: {
          perVariant: [
            { key: "a", isControl: true, probBeatControl: 0.5, expectedLoss: 0.03, probBest: 0.17 },
            { key: "b", isControl: false, probBeatControl: 0.83, expectedLoss: 0.004, probBest: 0.83 },
          ],
          winner: null,
          concluded: false,
          reason: "below_min_sample",
        },
      },
    },
  });
  // An earlier test of the same step, ended with a winner before any evaluation was stored: its step's rollups.
  await prisma().experiment.create({
    data: {
      shopId: shop.id,
      flowId: W,
      flowVersionId: "v-old",
      stepId: "send_2",
      variants: [{ key: "a" }, { key: "b" }],
      controlKey: "a",
      metric: "revenue_per_recipient",
      status: "concluded",
      winner: "b",
      startedAt: new Date("2026-11-21T08:00:00Z"),
      endedAt: new Date("2026-11-21T20:00:00Z"),
    },
  });
});

afterAll(() => resetClock());

describe("flow report", () => {
  it("funnel, totals and reasons over the period, from this shop's rows only", async () => {
    const r = (await flowReport(shop, welcome.id, last30(), TODAY, "en"))!;
    expect(r.period).toEqual({ kind: "30", from: "2026-11-08", to: "2026-12-07" });
    expect(r.funnel).toEqual({
      entered: 20 + 20 + 30 + 15 + 10 + 2, // 97
      sent: 18 + 27 + 10 + 12 + 5, // 72
      delivered: 17 + 27, // 44
      clicked: 5 + 9 + 2 + 4 + 1, // 21
      converted: 2 + 3 + 1 + 2, // 8 attributed orders
      heldOut: 2 + 3 + 1, // 6, one without a channel
    });
    expect(r.totals).toEqual({ attributedOrders: 8, attributedRevenue: 820.55, influencedOrders: 3, influencedRevenue: 110.1 });
    expect(r.reasons).toEqual([
      { outcome: "skip", reason: "no_consent", count: 7 },
      { outcome: "defer", reason: "quiet_hours", count: 6 },
      { outcome: "holdout", reason: "holdout", count: 5 },
      { outcome: "exit", reason: "goal_reached", count: 7 },
    ]);
    expect(r.shop).toMatchObject({ currency: "PLN", attributeOpens: false, attribution: { emailDays: 5, smsDays: 5 } });
  });

  it("compares the entries whose 7-day window has closed, treated against held out", async () => {
    const h = (await flowReport(shop, welcome.id, last30(), TODAY, "en"))!.holdout;
    expect(h).toMatchObject({ measurementDays: 7, from: "2026-11-08", through: "2026-11-29" });
    // Treated: 20 + 30 entries, 4 + 12 ordered, 400 + 1800 revenue. Holdout: 20 + 15, 2 + 3, 100 + 150.
    expect(h.treated).toEqual({ n: 50, conversions: 16, conversionRate: 0.32, revenuePerEntry: 44 });
    expect(h.holdout.n).toBe(35);
    expect(h.holdout.conversions).toBe(5);
    expect(h.holdout.conversionRate).toBeCloseTo(5 / 35, 12);
    expect(h.holdout.revenuePerEntry).toBeCloseTo(250 / 35, 12);
    expect(h.conversionLift!.estimate).toBeCloseTo(0.32 - 5 / 35, 12);
    expect(h.revenuePerEntry!.estimate).toBeCloseTo(44 - 250 / 35, 12); // 36.857…
    // The stats module's interval: Welch's form, the holdout mean's variance from both groups pooled.
    // s²_t = (310000 − 2200²/50)/49; pooled s² = (322500 − 2450²/85)/84; se = √(s²_t/50 + s²/35) ≈ 13.14.
    const se = Math.sqrt((310000 - 2200 ** 2 / 50) / 49 / 50 + (322500 - 2450 ** 2 / 85) / 84 / 35);
    expect(se).toBeCloseTo(13.141, 3);
    const { low, high } = h.revenuePerEntry!;
    expect(high - low).toBeGreaterThan(2 * 1.96 * se); // Student's t, ~100 degrees of freedom: a little wider than ±1.96 se
    expect(high - low).toBeLessThan(2 * 2.0 * se);
    expect(low).toBeGreaterThan(0);
    expect(h).toMatchObject({ verdict: "positive", reason: "interval_above_zero" });
    // The total scales the per-entry estimate to the 50 treated entries.
    expect(h.incrementalRevenue!.estimate).toBeCloseTo((44 - 250 / 35) * 50, 2); // 1842.86
  });

  it("revenue per day on the order day; the incremental estimate spread by entry day, none where windows are open", async () => {
    const r = (await flowReport(shop, welcome.id, last30(), TODAY, "en"))!;
    expect(r.daily).toHaveLength(30);
    const at = (d: string) => r.daily.find((x) => x.day === d)!;
    expect(at("2026-11-20")).toMatchObject({
      entered: 45,
      sent: 27,
      clicked: 9,
      attributedOrders: 3,
      attributedRevenue: 450.55,
      influencedRevenue: 80.1,
    });
    const perEntry = 44 - 250 / 35;
    expect(at("2026-11-10").incrementalRevenue).toBeCloseTo(20 * perEntry, 2); // 737.14
    expect(at("2026-11-20").incrementalRevenue).toBeCloseTo(30 * perEntry, 2); // 1105.71
    expect(at("2026-11-15").incrementalRevenue).toBe(0); // closed, nobody entered
    expect(at("2026-11-30").incrementalRevenue).toBeNull(); // window still open
    expect(at("2026-12-01").incrementalRevenue).toBeNull();
    const summed = r.daily.reduce((s, d) => s + (d.incrementalRevenue ?? 0), 0);
    expect(summed).toBeCloseTo(r.holdout.incrementalRevenue!.estimate, 1);
  });

  it("per step (in the flow's order), per variant and per channel", async () => {
    const r = (await flowReport(shop, welcome.id, last30(), TODAY, "en"))!;
    expect(r.steps.map((s) => [s.stepId, s.n, s.channel, s.sent, s.clicked, s.attributedRevenue])).toEqual([
      ["send_1", 1, "email", 45, 14, 650.55],
      ["send_2", 2, "email", 22, 6, 170],
      ["send_9", null, "sms", 5, 1, 0],
    ]);
    expect(r.steps[0]).toMatchObject({
      templateKey: "welcome_1",
      delivered: 44,
      heldOut: 5,
      influencedOrders: 3,
      influencedRevenue: 110.1,
    });
    expect(r.steps[0]!.clickRate).toBeCloseTo(14 / 44, 12); // clicks over confirmed deliveries
    expect(r.steps[1]!.clickRate).toBeCloseTo(6 / 22, 12); // no delivery confirmations: over sends
    expect(r.variants.map((v) => [v.stepId, v.variant, v.sent, v.clicked, v.attributedOrders, v.attributedRevenue])).toEqual([
      ["send_2", "a", 10, 2, 1, 50],
      ["send_2", "b", 12, 4, 2, 120],
    ]);
    expect(r.channels.map((c) => [c.channel, c.sent, c.delivered, c.clicked, c.attributedRevenue])).toEqual([
      ["email", 67, 44, 20, 820.55],
      ["sms", 5, 0, 1, 0],
    ]);
  });

  it("A/B results: the last evaluation's figures and probabilities; before one, the step's rollups", async () => {
    const [ended, running] = (await flowReport(shop, welcome.id, last30(), TODAY, "en"))!.experiments;
    expect(running).toMatchObject({
      stepId: "send_2",
      metric: "click_rate",
      status: "running",
      controlKey: "a",
      startedOn: "2026-11-15",
      evaluatedOn: "2026-12-06",
      reason: "below_min_sample",
    });
    expect(
      running!.variants.map((v) => [
        v.key,
        v.isControl,
        v.recipients,
        v.clicks,
        v.conversions,
        v.revenue,
        v.probBeatControl,
        v.expectedLoss,
      ]),
    ).toEqual([
      ["a", true, 9, 2, 1, 50, null, 0.03],
      ["b", false, 11, 4, 2, 120, 0.83, 0.004],
    ]);
    expect(running!.variants[1]!.clickRate).toBeCloseTo(4 / 11, 12);
    // Day 2026-11-21 of send_2: a 10 sent, 2 clicks, 1 order of 50; b 12, 4, 2 orders of 120 in all.
    expect(ended).toMatchObject({ status: "concluded", winner: "b", startedOn: "2026-11-21", endedOn: "2026-11-21", reason: null });
    expect(ended!.variants.map((v) => [v.key, v.isWinner, v.recipients, v.clicks, v.conversions, v.revenue, v.probBeatControl])).toEqual([
      ["a", false, 10, 2, 1, 50, null],
      ["b", true, 12, 4, 2, 120, null],
    ]);
    expect(ended!.variants[1]!.revenuePerRecipient).toBeCloseTo(10, 12);
  });

  it("a custom period: one day, whose holdout groups are too small to conclude", async () => {
    const period = parsePeriod(new URLSearchParams("period=custom&from=2026-11-20&to=2026-11-20"), TODAY);
    const r = (await flowReport(shop, welcome.id, period, TODAY, "en"))!;
    expect(r.funnel).toMatchObject({ entered: 45, sent: 27, clicked: 9, converted: 3 });
    expect(r.holdout).toMatchObject({
      through: "2026-11-20",
      treated: { n: 30, conversions: 12 },
      holdout: { n: 15, conversions: 3 },
      verdict: "too_few",
      reason: "too_few_entries",
    });
    expect(r.daily.every((d) => d.incrementalRevenue === null)).toBe(true);
  });

  it("a period with no closed window: no comparison, too few", async () => {
    const h = (await flowReport(shop, welcome.id, parsePeriod(new URLSearchParams("period=7"), TODAY), TODAY, "en"))!.holdout;
    expect(h).toMatchObject({ through: null, verdict: "too_few", conversionLift: null, revenuePerEntry: null, incrementalRevenue: null });
  });

  it("another shop's flow is not found", async () => {
    const theirs = await prisma().flow.create({ data: { shopId: other.id, key: "welcome", name: "Welcome" } });
    expect(await flowReport(shop, theirs.id, last30(), TODAY, "en")).toBeNull();
    expect(await flowReport(other, welcome.id, last30(), TODAY, "en")).toBeNull();
  });
});

describe("shop report", () => {
  it("the same totals across flows and channels, and each flow's holdout result", async () => {
    const r = await shopReport(shop, last30(), TODAY, "en");
    expect(r.funnel).toEqual({ entered: 97 + 9, sent: 72 + 8, delivered: 44 + 6, clicked: 21 + 2, converted: 8 + 1, heldOut: 6 });
    expect(r.totals).toEqual({ attributedOrders: 9, attributedRevenue: 920.54, influencedOrders: 3, influencedRevenue: 110.1 });
    expect(r.channels.map((c) => [c.channel, c.sent, c.delivered, c.clicked, c.attributedOrders, c.attributedRevenue])).toEqual([
      ["email", 67, 44, 20, 8, 820.55],
      ["sms", 5 + 8, 6, 3, 1, 99.99],
    ]);
    expect(r.reasons).toEqual([
      { outcome: "skip", reason: "no_consent", count: 7 },
      { outcome: "defer", reason: "quiet_hours", count: 6 },
      { outcome: "defer", reason: "sms_window", count: 2 },
      { outcome: "holdout", reason: "holdout", count: 5 },
      { outcome: "exit", reason: "goal_reached", count: 7 },
    ]);
    // Every catalogue flow, in the catalogue's order.
    expect(r.flows.map((f) => f.key).slice(0, 2)).toEqual(["welcome", "abandoned_checkout"]);
    const w = r.flows.find((f) => f.key === "welcome")!;
    expect(w).toMatchObject({ name: "Welcome series", entered: 97, sent: 72, attributedRevenue: 820.55, verdict: "positive" });
    expect(w.incrementalRevenue!.estimate).toBeCloseTo((44 - 250 / 35) * 50, 2);
    expect(r.flows.find((f) => f.key === "abandoned_checkout")).toMatchObject({
      entered: 9,
      sent: 8,
      verdict: "too_few",
      incrementalRevenue: null,
    });
    expect(r.daily.reduce((s, d) => s + d.attributedRevenue, 0)).toBeCloseTo(920.54, 2);
  });
});

describe("flows page counters", () => {
  it("come from the rollups: sent, held out, deferred and not sent apart, last 30 shop days", async () => {
    const flows = await loadFlows(shop, "en");
    const w = flows.find((f) => f.key === "welcome")!;
    expect(w).toMatchObject({ id: welcome.id, sent30: 72, heldOut30: 6, deferred30: 6, skipped30: 7 });
    expect(flows.find((f) => f.key === "abandoned_checkout")).toMatchObject({ sent30: 8, heldOut30: 0, deferred30: 2, skipped30: 0 });
  });
});

describe("report routes (demo admin)", () => {
  const args = (url: string, params: Record<string, string> = {}) => ({ request: new Request(url), params, context: {} });
  /** The download's rows: UTF-8 with a byte order mark (so Excel reads Polish letters), which the decoder drops. */
  async function readCsv(res: Response): Promise<string[][]> {
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parseCsv(new TextDecoder().decode(bytes));
  }

  it("the pages' loaders answer with the report; an unknown flow is 404", async () => {
    const page = await shopPage(args("http://localhost/app/reports?period=30"));
    expect(page.report.totals.attributedRevenue).toBe(920.54);
    const flow = await flowPage(args(`http://localhost/app/flows/${welcome.id}/report?period=30`, { flowId: welcome.id }));
    expect(flow.report.flow.key).toBe("welcome");
    const missing = await flowPage(args("http://localhost/app/flows/nope/report", { flowId: "nope" })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Response);
    expect((missing as Response).status).toBe(404);
  });

  it("exports the steps table as CSV with English headers, unformatted numbers and money with 2 decimals", async () => {
    const res = await flowExport(
      args(`http://localhost/app/flows/${welcome.id}/report/export?period=30&table=steps`, { flowId: welcome.id }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="flowmate_welcome_steps_2026-11-08_2026-12-07.csv"');
    const [header, ...rows] = await readCsv(res);
    expect(header).toEqual([
      "Message",
      "Step id",
      "Template",
      "Channel",
      "Sent",
      "Delivered",
      "Clicked",
      "Click rate",
      "Held out",
      "Attributed orders",
      "Attributed revenue",
      "Influenced orders",
      "Influenced revenue",
    ]);
    expect(rows).toEqual([
      [
        "1. Email · welcome_1",
        "send_1",
        "welcome_1",
        "Email",
        "45",
        "44",
        "14",
        String(Math.round((14 / 44) * 1e6) / 1e6),
        "5",
        "5",
        "650.55",
        "3",
        "110.10",
      ],
      [
        "2. Email · welcome_2",
        "send_2",
        "welcome_2",
        "Email",
        "22",
        "0",
        "6",
        String(Math.round((6 / 22) * 1e6) / 1e6),
        "1",
        "3",
        "170.00",
        "0",
        "0.00",
      ],
      ["send_9 (earlier version)", "send_9", "", "SMS", "5", "0", "1", "0.2", "0", "0", "0.00", "0", "0.00"],
    ]);
  });

  it("exports with Polish headers in Polish, and every table of both reports parses with one cell per header", async () => {
    const res = await shopExport(args("http://localhost/app/reports/export?period=30&table=flows&lang=pl"));
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="flowmate_shop_flows_2026-11-08_2026-12-07.csv"');
    const [header, ...rows] = await readCsv(res);
    expect(header!.slice(0, 3)).toEqual(["Przepływ", "Wejścia", "Wysłane"]);
    expect(rows[0]!.slice(0, 3)).toEqual(["Seria powitalna", "97", "72"]);
    expect(rows[0]!.at(-1)).toBe("Dodaje przychód");
    expect(rows[0]![header!.indexOf("Przychód przyrostowy")]).toBe(((44 - 250 / 35) * 50).toFixed(2)); // 1842.86

    for (const table of ["daily", "funnel", "reasons", "holdout", "steps", "variants", "channels", "experiments"]) {
      const r = await flowExport(args(`http://localhost/x?table=${table}`, { flowId: welcome.id }));
      const [h, ...body] = await readCsv(r);
      expect(body.length, table).toBeGreaterThan(0);
      for (const row of body) expect(row.length, table).toBe(h!.length);
    }
    for (const table of ["daily", "funnel", "reasons", "flows", "channels"]) {
      const [h, ...body] = await readCsv(await shopExport(args(`http://localhost/x?table=${table}`)));
      for (const row of body) expect(row.length, table).toBe(h!.length);
    }
    const holdout = await readCsv(await flowExport(args("http://localhost/x?table=holdout", { flowId: welcome.id })));
    expect(holdout.slice(1, 3)).toEqual([
      ["Received the messages", "50", "16", "0.32", "44.00", "", ""],
      ["Holdout (no messages)", "35", "5", String(Math.round((5 / 35) * 1e6) / 1e6), (250 / 35).toFixed(2), "", ""],
    ]);
  });

  it("labels attributed figures '(clicks and opens)' when the shop counts opens", async () => {
    await prisma().shop.update({ where: { id: shop.id }, data: { attributeOpens: true } });
    try {
      const res = await flowExport(args(`http://localhost/x?table=steps`, { flowId: welcome.id }));
      const [header] = await readCsv(res);
      expect(header).toContain("Attributed revenue (clicks and opens)");
      expect(header).toContain("Attributed orders (clicks and opens)");
      expect(header).toContain("Influenced revenue");
      const [pl] = await readCsv(await shopExport(args("http://localhost/x?table=daily&lang=pl")));
      expect(pl).toContain("Przychód przypisany (kliknięcia i otwarcia)");
      expect((await shopPage(args("http://localhost/app/reports"))).report.shop.attributeOpens).toBe(true);
    } finally {
      await prisma().shop.update({ where: { id: shop.id }, data: { attributeOpens: false } });
    }
  });

  it("refuses an unknown table (400) and another shop's flow (404)", async () => {
    expect((await shopExport(args("http://localhost/x?table=secrets"))).status).toBe(400);
    expect((await flowExport(args("http://localhost/x?table=steps", { flowId: "nope" }))).status).toBe(404);
  });
});
