// Experiment rows follow the flow's active version: one per A/B test of the version,
// created when it becomes active (or, for a version stored directly, by the evaluation),
// never twice; a newer version ends the older version's experiments and continues a
// test it runs unchanged. The merchant's settings changes are validated and audited.
import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { resetClock, setClock } from "~/server/clock.server";
import { evaluateDueExperiments } from "~/server/experiments/evaluate-experiments.server";
import { startExperiments } from "~/server/experiments/experiment-rows.server";
import { ExperimentSettingsError, updateExperimentSettings } from "~/server/experiments/experiment-settings.server";
import { saveFlowDefinition, setFlowStatus } from "~/server/journeys/flows.server";
import { useTestDatabase } from "../support/db";
import { activeDefinition, DAY, shopWithWelcomeTest } from "./support";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const T0 = new Date("2026-03-02T09:00:00Z");
let ids: Awaited<ReturnType<typeof shopWithWelcomeTest>>;
/** The app's clock runs on from where a test sets it: an instant within a minute after `at`. */
const near = (at: Date): Date =>
  expect.toSatisfy((d: unknown) => d instanceof Date && d.getTime() >= at.getTime() && d.getTime() < at.getTime() + 60_000) as Date;

beforeAll(async () => {
  setClock(T0);
  ids = await shopWithWelcomeTest(prisma(), "rows.myshopify.com");
});
afterAll(() => resetClock());

const experiments = () => prisma().experiment.findMany({ where: { shopId: ids.shopId }, orderBy: { startedAt: "asc" } });
const edit = async (change: (def: FlowDefinition) => FlowDefinition, note: string) => {
  await saveFlowDefinition(ids.shopId, "welcome", change(await activeDefinition(prisma(), ids.flowId)), "merchant", note);
  return (await prisma().flow.findUniqueOrThrow({ where: { id: ids.flowId } })).activeVersionId!;
};
const mapSteps = (def: FlowDefinition, f: (s: FlowDefinition["steps"][number]) => unknown) =>
  parseFlowDefinition({ ...def, steps: def.steps.map(f) });

describe("experiment rows", () => {
  it("a version with a variant step gets one running experiment with the defaults, however often it is started", async () => {
    expect(await experiments()).toEqual([
      expect.objectContaining({
        flowId: ids.flowId,
        flowVersionId: ids.versionId,
        stepId: "send_1",
        variants: [
          { key: "a", weight: 1 },
          { key: "b", weight: 1 },
        ],
        controlKey: "a",
        metric: "conversion_rate",
        minSample: 500,
        minProbability: 0.9,
        minDays: 7,
        maxDays: 42,
        status: "running",
        startedAt: near(T0),
        evaluatedOn: null,
      }),
    ]);
    const definition = await activeDefinition(prisma(), ids.flowId);
    for (let i = 0; i < 2; i++)
      await prisma().$transaction((tx) =>
        startExperiments(tx, {
          shopId: ids.shopId,
          flowId: ids.flowId,
          versionId: ids.versionId,
          definition,
          at: new Date(T0.getTime() + DAY),
        }),
      );
    expect(await experiments()).toHaveLength(1);
    // Switching the flow on again does not rebuild it from its settings (that would drop the test).
    await setFlowStatus(ids.shopId, "welcome", "on", "test");
    expect((await prisma().flow.findUniqueOrThrow({ where: { id: ids.flowId } })).activeVersionId).toBe(ids.versionId);
  });

  it("settings changes are validated, applied and audited", async () => {
    const [e] = await experiments();
    await expect(updateExperimentSettings(ids.shopId, e!.id, { minProbability: 2, metric: "opens" }, "merchant")).rejects.toThrow(
      ExperimentSettingsError,
    );
    await expect(updateExperimentSettings("another-shop", e!.id, { minDays: 3 }, "merchant")).rejects.toThrow("experiment: not found");
    expect(await updateExperimentSettings(ids.shopId, e!.id, { metric: "click_rate", minSample: 800 }, "merchant")).toEqual({
      metric: "click_rate",
      minSample: 800,
      minProbability: 0.9,
      minDays: 7,
      maxDays: 42,
    });
    expect(await prisma().experiment.findUniqueOrThrow({ where: { id: e!.id } })).toMatchObject({ metric: "click_rate", minSample: 800 });
    expect(
      await prisma().auditLog.findFirstOrThrow({ where: { shopId: ids.shopId, action: "experiment.settings_changed" } }),
    ).toMatchObject({
      actor: "merchant",
      subjectId: e!.id,
      details: { stepId: "send_1", before: { metric: "conversion_rate", minSample: 500 }, after: { metric: "click_rate", minSample: 800 } },
    });
  });

  it("an edit elsewhere ends the old version's experiment (its settings no longer change) and continues the same test from its start, with its settings", async () => {
    setClock(new Date(T0.getTime() + 2 * DAY));
    const v2 = await edit((def) => mapSteps(def, (s) => (s.id === "wait_2" ? { ...s, duration: { hours: 72 } } : s)), "Later second email");
    const [old, current] = await experiments();
    expect(old).toMatchObject({
      flowVersionId: ids.versionId,
      status: "concluded",
      winner: null,
      result: { reason: "superseded", byVersionId: v2 },
    });
    expect(current).toMatchObject({ flowVersionId: v2, status: "running", startedAt: near(T0), metric: "click_rate", minSample: 800 });
    await expect(updateExperimentSettings(ids.shopId, old!.id, { minDays: 3 }, "merchant")).rejects.toThrow(
      "experiment: already concluded",
    );
  });

  it("a changed test starts over (its settings stay the step's); a version without tests ends them", async () => {
    setClock(new Date(T0.getTime() + 3 * DAY));
    const v3 = await edit(
      (def) =>
        mapSteps(def, (s) =>
          s.type === "send" && s.variants ? { ...s, variants: [...s.variants, { key: "c", weight: 1, subject: "Hello" }] } : s,
        ),
      "Third subject",
    );
    const running = await prisma().experiment.findMany({ where: { shopId: ids.shopId, status: "running" } });
    expect(running).toEqual([
      expect.objectContaining({ flowVersionId: v3, startedAt: near(new Date(T0.getTime() + 3 * DAY)), metric: "click_rate" }),
    ]);
    expect(running[0]!.variants).toEqual([
      { key: "a", weight: 1 },
      { key: "b", weight: 1 },
      { key: "c", weight: 1 },
    ]);
    await edit((def) => mapSteps(def, (s) => (s.type === "send" ? { ...s, variants: undefined } : s)), "No more testing");
    expect(await prisma().experiment.count({ where: { shopId: ids.shopId, status: "running" } })).toBe(0);
    expect(await experiments()).toHaveLength(3);
  });

  it("a version made active without going through the app gets its experiment from the evaluation pass", async () => {
    const definition = await activeDefinition(prisma(), ids.flowId);
    const withTest = mapSteps(definition, (s) =>
      s.id === "send_2" && s.type === "send"
        ? {
            ...s,
            variants: [
              { key: "a", weight: 1 },
              { key: "b", weight: 1, templateKey: "welcome_3" },
            ],
          }
        : s,
    );
    const stored = await prisma().flowVersion.create({
      data: { shopId: ids.shopId, flowId: ids.flowId, version: 99, definition: withTest as unknown as Prisma.InputJsonValue },
    });
    await prisma().flow.update({ where: { id: ids.flowId }, data: { activeVersionId: stored.id } });
    const pass = await evaluateDueExperiments(new Date(T0.getTime() + 4 * DAY));
    expect(pass.started).toBe(1);
    expect(await prisma().experiment.findMany({ where: { shopId: ids.shopId, status: "running" } })).toEqual([
      expect.objectContaining({ flowVersionId: stored.id, stepId: "send_2", controlKey: "a" }),
    ]);
    expect((await evaluateDueExperiments(new Date(T0.getTime() + 4 * DAY))).started).toBe(0);
  });
});
