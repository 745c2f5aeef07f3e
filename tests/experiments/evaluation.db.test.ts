// The daily evaluation of an A/B test on the welcome flow's first email (subject a vs b),
// on figures planted in the FlowDaily rollup and the app's clock moved day by day:
// evaluated once per shop-local day; no winner below the minimum sample or duration;
// a clear winner becomes the step's content in a new flow version (change note, audit
// row) that new enrollments start on while a running one keeps its version; a test
// without a winner ends at maxDays with the control kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetClock, setClock } from "~/server/clock.server";
import { EXPERIMENTS_ACTOR, evaluateDueExperiments } from "~/server/experiments/evaluate-experiments.server";
import { useTestDatabase } from "../support/db";
import { activeDefinition, DAY, plant, shopWithWelcomeTest, subscribe, SUBJECT_B } from "./support";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
/** Monday 2 March 2026, 10:00 in Warsaw. */
const T0 = new Date("2026-03-02T09:00:00Z");
const day = (n: number, hours = 0) => new Date(T0.getTime() + n * DAY + hours * 3_600_000);

let shop: Awaited<ReturnType<typeof shopWithWelcomeTest>>;
let early: { customerId: string; enrollmentId: string };

beforeAll(async () => {
  setClock(T0);
  shop = await shopWithWelcomeTest(prisma(), "evaluation.myshopify.com");
  const customerId = await subscribe(prisma(), shop.shopId, "ewa", T0);
  early = { customerId, enrollmentId: (await prisma().enrollment.findFirstOrThrow({ where: { customerId } })).id };
});
afterAll(() => resetClock());

/** One pass of the worker's task at `at`; what it did to `experimentId`. */
async function evaluateAt(at: Date, experimentId = shop.experimentId) {
  setClock(at);
  const pass = await evaluateDueExperiments(at);
  return pass.outcomes.filter((o) => o.experimentId === experimentId).map((o) => o.outcome);
}
const experiment = (id = shop.experimentId) => prisma().experiment.findUniqueOrThrow({ where: { id } });
const reason = async () => ((await experiment()).result as { evaluation: { reason: string } }).evaluation.reason;

describe("a subject-line test on the welcome email", () => {
  it("the running enrollment was sent its variant of the first email", async () => {
    const [message] = await prisma().message.findMany({ where: { customerId: early.customerId, stepId: "send_1" } });
    expect(["a", "b"]).toContain(message!.variant);
    expect((message!.payload as { subject?: string }).subject).toBe(message!.variant === "b" ? SUBJECT_B : undefined);
  });

  it("is evaluated once per shop-local day, however many passes and workers run that day", async () => {
    expect(await evaluateAt(day(0))).toEqual(["evaluated"]);
    expect(await experiment()).toMatchObject({ status: "running", evaluatedOn: new Date("2026-03-02T00:00:00Z") });
    expect(await evaluateAt(day(0, 12))).toEqual([]); // 22:00 in Warsaw: the same day
    await plant(prisma(), shop.shopId, shop.flowId, day(1), "a", { sent: 300, orders: 6 });
    await plant(prisma(), shop.shopId, shop.flowId, day(1), "b", { sent: 300, orders: 18 });
    // 23:30 UTC on day 0 is already day 1 in Warsaw; two workers run at that moment.
    setClock(day(0, 14.5));
    const passes = await Promise.all([evaluateDueExperiments(day(0, 14.5)), evaluateDueExperiments(day(0, 14.5))]);
    expect(passes.flatMap((p) => p.outcomes).filter((o) => o.experimentId === shop.experimentId)).toEqual([
      { experimentId: shop.experimentId, outcome: "evaluated" },
    ]);
    expect(await experiment()).toMatchObject({ evaluatedOn: new Date("2026-03-03T00:00:00Z") });
  });

  it("declares no winner below the minimum sample, however clear the difference", async () => {
    expect(await reason()).toBe("below_min_sample");
    const result = (await experiment()).result as { figures: unknown[]; daysRunning: number };
    expect(result.daysRunning).toBe(1);
    expect(result.figures).toEqual([
      { key: "a", recipients: 300, clicks: 0, conversions: 6, revenue: { n: 300, sum: 0, sumSq: 0 } },
      { key: "b", recipients: 300, clicks: 0, conversions: 18, revenue: { n: 300, sum: 0, sumSq: 0 } },
    ]);
  });

  it("declares no winner before the minimum duration, with the sample reached", async () => {
    await plant(prisma(), shop.shopId, shop.flowId, day(3), "a", { sent: 1700, orders: 34 });
    await plant(prisma(), shop.shopId, shop.flowId, day(3), "b", { sent: 1700, orders: 102 });
    expect(await evaluateAt(day(3))).toEqual(["evaluated"]);
    expect(await reason()).toBe("below_min_days");
    const perVariant = ((await experiment()).result as { evaluation: { perVariant: { key: string; probBest: number }[] } }).evaluation
      .perVariant;
    expect(perVariant.find((v) => v.key === "b")!.probBest).toBeGreaterThan(0.99);
    expect((await prisma().flow.findUniqueOrThrow({ where: { id: shop.flowId } })).activeVersionId).toBe(shop.versionId);
  });

  it("on day 7 the winner becomes the step's content in a new active version, with its change note and an audit row", async () => {
    expect(await evaluateAt(day(7))).toEqual(["promoted"]);
    const flow = await prisma().flow.findUniqueOrThrow({ where: { id: shop.flowId } });
    const version = await prisma().flowVersion.findUniqueOrThrow({ where: { id: flow.activeVersionId! } });
    expect(version.changeNote).toMatch(
      /^A\/B test on step send_1: variant b won, P\(beats control\)=(0\.9\d|1\.00) after 4000 recipients$/,
    );
    expect(version.createdBy).toBe(EXPERIMENTS_ACTOR);
    const send1 = (await activeDefinition(prisma(), shop.flowId)).steps.find((s) => s.id === "send_1");
    expect(send1).toMatchObject({ type: "send", templateKey: "welcome_1", subject: SUBJECT_B, discountStepId: "discount_1" });
    expect(send1).not.toHaveProperty("variants");
    expect(await experiment()).toMatchObject({ status: "concluded", winner: "b", winnerVersionId: version.id, endedAt: day(7) });
    expect(await prisma().auditLog.findMany({ where: { shopId: shop.shopId, action: "experiment.winner_promoted" } })).toEqual([
      expect.objectContaining({
        actor: EXPERIMENTS_ACTOR,
        subjectId: shop.flowId,
        details: {
          key: "welcome",
          experimentId: shop.experimentId,
          stepId: "send_1",
          winner: "b",
          version: version.version,
          note: version.changeNote,
        },
      }),
    ]);
    // The new version tests nothing, so no experiment runs; the concluded one is not evaluated again.
    expect(await prisma().experiment.count({ where: { shopId: shop.shopId, status: "running" } })).toBe(0);
    expect(await evaluateAt(day(8))).toEqual([]);
  });

  it("new enrollments get the winner's content; the running enrollment keeps its version", async () => {
    const late = await subscribe(prisma(), shop.shopId, "jan", day(8));
    const flow = await prisma().flow.findUniqueOrThrow({ where: { id: shop.flowId } });
    expect(await prisma().enrollment.findFirstOrThrow({ where: { customerId: late } })).toMatchObject({
      flowVersionId: flow.activeVersionId,
    });
    const [message] = await prisma().message.findMany({ where: { customerId: late, stepId: "send_1" } });
    expect(message).toMatchObject({ templateKey: "welcome_1", variant: null });
    expect((message!.payload as { subject?: string }).subject).toBe(SUBJECT_B);

    const running = await prisma().enrollment.findUniqueOrThrow({ where: { id: early.enrollmentId } });
    expect(running.flowVersionId).toBe(shop.versionId);
    // Its later emails (due meanwhile) went out under its own version's steps.
    const steps = (await prisma().message.findMany({ where: { customerId: early.customerId }, orderBy: { createdAt: "asc" } })).map(
      (m) => m.stepId,
    );
    expect(steps.slice(0, 2)).toEqual(["send_1", "send_2"]);
  });
});

describe("a test without a winner", () => {
  it("ends at maxDays: concluded without a winner, the control kept, no new version", async () => {
    setClock(T0);
    const other = await shopWithWelcomeTest(prisma(), "no-winner.myshopify.com");
    await plant(prisma(), other.shopId, other.flowId, day(1), "a", { sent: 900, orders: 18, revenue: 900 });
    await plant(prisma(), other.shopId, other.flowId, day(1), "b", { sent: 900, orders: 18, revenue: 900 });
    expect(await evaluateAt(day(41), other.experimentId)).toEqual(["evaluated"]);
    expect((await experiment(other.experimentId)).result).toMatchObject({ daysRunning: 41, evaluation: { reason: "no_winner_yet" } });
    expect(await evaluateAt(day(42), other.experimentId)).toEqual(["ended"]);
    expect(await experiment(other.experimentId)).toMatchObject({
      status: "concluded",
      winner: null,
      winnerVersionId: null,
      result: { daysRunning: 42, evaluation: { reason: "max_days_no_winner", concluded: true } },
    });
    expect((await prisma().flow.findUniqueOrThrow({ where: { id: other.flowId } })).activeVersionId).toBe(other.versionId);
    expect(await prisma().flowVersion.count({ where: { flowId: other.flowId } })).toBe(2);
    expect(await prisma().auditLog.count({ where: { shopId: other.shopId, action: "experiment.winner_promoted" } })).toBe(0);
  });
});
