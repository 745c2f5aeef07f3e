// Two workers evaluate the same experiment on the same day: one evaluation, one new
// version. A third session holds the version number the winner's version will take,
// so the first worker stops mid-promotion holding the experiment; the second worker's
// whole pass runs meanwhile. Concurrency needs a server; PGlite has one connection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetClock, setClock } from "~/server/clock.server";
import { evaluateDueExperiments, type EvaluationPass } from "~/server/experiments/evaluate-experiments.server";
import { saveFlowDefinition } from "~/server/journeys/flows.server";
import { useTestDatabase } from "../support/db";
import { untilLockWaiters, whileHolding } from "../support/lock-waits";
import { activeDefinition, DAY, plant, shopWithWelcomeTest } from "./support";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const T0 = new Date("2026-03-02T09:00:00Z");
const DAY_7 = new Date(T0.getTime() + 7 * DAY);

let shop: Awaited<ReturnType<typeof shopWithWelcomeTest>>;

beforeAll(async () => {
  setClock(T0);
  shop = await shopWithWelcomeTest(prisma(), "race.myshopify.com");
  await plant(prisma(), shop.shopId, shop.flowId, new Date(T0.getTime() + DAY), "a", { sent: 2000, orders: 40 });
  await plant(prisma(), shop.shopId, shop.flowId, new Date(T0.getTime() + DAY), "b", { sent: 2000, orders: 120 });
  setClock(DAY_7);
});
afterAll(() => resetClock());

const mine = (p: EvaluationPass) => p.outcomes.filter((o) => o.experimentId === shop.experimentId).map((o) => o.outcome);

describe.skipIf(!process.env.DATABASE_URL)("two workers evaluating one experiment", () => {
  it("the second passes over the experiment the first is promoting; one evaluation, one new version, one audit row", async () => {
    const last = await prisma().flowVersion.findFirstOrThrow({ where: { flowId: shop.flowId }, orderBy: { version: "desc" } });
    let second: Promise<EvaluationPass> | undefined;
    const [a, b] = await whileHolding(
      getDb(),
      (tx) =>
        tx.flowVersion.create({
          data: {
            shopId: shop.shopId,
            flowId: shop.flowId,
            version: last.version + 1,
            definition: last.definition ?? {},
            changeNote: "held",
          },
        }),
      async () => {
        const first = evaluateDueExperiments(DAY_7);
        await untilLockWaiters(getDb(), 1); // the first worker waits on the held version number, holding the experiment
        second = evaluateDueExperiments(DAY_7);
        return Promise.all([first, second]);
      },
      async () => {
        await untilLockWaiters(getDb(), 1);
        while (!second) await new Promise((r) => setTimeout(r, 10));
        await second;
      },
    );
    expect([mine(a), mine(b)]).toEqual([["promoted"], []]);
    const versions = await prisma().flowVersion.findMany({ where: { flowId: shop.flowId, version: { gt: last.version } } });
    expect(versions).toHaveLength(1);
    expect(versions[0]!.changeNote).toMatch(/^A\/B test on step send_1: variant b won/);
    expect(await prisma().auditLog.count({ where: { shopId: shop.shopId, action: "experiment.winner_promoted" } })).toBe(1);
    expect(mine(await evaluateDueExperiments(DAY_7))).toEqual([]);
  });

  it("a merchant's edit while a winner is being promoted waits for it, then builds on it; neither deadlocks", async () => {
    // A fresh test on the promoted flow, decided on day 14.
    const withTest = await activeDefinition(prisma(), shop.flowId);
    const send1 = withTest.steps.find((s) => s.id === "send_1")!;
    await saveFlowDefinition(
      shop.shopId,
      "welcome",
      {
        ...withTest,
        steps: withTest.steps.map((s) =>
          s === send1
            ? {
                ...s,
                variants: [
                  { key: "a", weight: 1 },
                  { key: "c", weight: 1, subject: "Hello" },
                ],
              }
            : s,
        ),
      },
      "merchant",
      "Second test",
    );
    const running = await prisma().experiment.findFirstOrThrow({ where: { shopId: shop.shopId, status: "running" } });
    const DAY_14 = new Date(T0.getTime() + 14 * DAY);
    await plant(prisma(), shop.shopId, shop.flowId, DAY_14, "a", { sent: 3000, orders: 60 });
    await plant(prisma(), shop.shopId, shop.flowId, DAY_14, "c", { sent: 3000, orders: 180 });
    setClock(DAY_14);
    const last = await prisma().flowVersion.findFirstOrThrow({ where: { flowId: shop.flowId }, orderBy: { version: "desc" } });
    let edit: Promise<number> | undefined;
    const pass = await whileHolding(
      getDb(),
      (tx) =>
        tx.flowVersion.create({
          data: {
            shopId: shop.shopId,
            flowId: shop.flowId,
            version: last.version + 1,
            definition: last.definition ?? {},
            changeNote: "held",
          },
        }),
      async () => {
        const evaluation = evaluateDueExperiments(DAY_14);
        await untilLockWaiters(getDb(), 1); // the evaluation holds the experiment and the flow
        edit = saveFlowDefinition(shop.shopId, "welcome", await activeDefinition(prisma(), shop.flowId), "merchant", "Edit meanwhile");
        return evaluation;
      },
      2, // the evaluation on the held number, the edit on the flow's row
    );
    const editedVersion = await edit!;
    expect(pass.outcomes.filter((o) => o.experimentId === running.id)).toEqual([{ experimentId: running.id, outcome: "promoted" }]);
    const versions = await prisma().flowVersion.findMany({
      where: { flowId: shop.flowId, version: { gt: last.version } },
      orderBy: { version: "asc" },
    });
    expect(versions.map((v) => [v.version, v.changeNote?.slice(0, 28)])).toEqual([
      [last.version + 1, "A/B test on step send_1: var"],
      [editedVersion, "Edit meanwhile"],
    ]);
    expect(editedVersion).toBe(last.version + 2);
  });
});
