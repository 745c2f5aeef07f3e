import type { Prisma } from "@prisma/client";
import { shopExperimentDefaults, testSignature, testedSteps } from "~/domain/experiments";
import { parseFlowDefinition, type FlowDefinition } from "~/domain/journey";

type Tx = Prisma.TransactionClient;

/**
 * Called in the transaction that makes `versionId` the flow's active version: every A/B
 * test of the version gets its Experiment row (unique per flow, step and version, so
 * a second call changes nothing), and the running experiments of the flow's other
 * versions end (`superseded`): their enrollments may still send, but no winner of an
 * older version may overwrite the newer one. A test the new version runs unchanged
 * (an edit elsewhere in the flow) goes on from its start day; a step's metric and
 * thresholds carry over whatever changed.
 */
export async function startExperiments(
  tx: Tx,
  v: { shopId: string; flowId: string; versionId: string; definition: FlowDefinition; at: Date },
): Promise<void> {
  const previous = await tx.experiment.findMany({
    where: { shopId: v.shopId, flowId: v.flowId, status: "running", NOT: { flowVersionId: v.versionId } },
  });
  if (previous.length) {
    await tx.experiment.updateMany({
      where: { id: { in: previous.map((e) => e.id) } },
      data: { status: "concluded", endedAt: v.at, result: { reason: "superseded", byVersionId: v.versionId } },
    });
  }
  const tests = testedSteps(v.definition);
  if (tests.length === 0) return;
  const oldDefinitions = await definitionsOf(
    tx,
    v.shopId,
    previous.map((e) => e.flowVersionId).filter((id): id is string => id !== null),
  );
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: v.shopId }, select: { settings: true } });
  const defaults = shopExperimentDefaults(shop.settings);
  await tx.experiment.createMany({
    skipDuplicates: true,
    data: tests.map((t) => {
      const before = previous.find((e) => e.stepId === t.stepId);
      const oldDefinition = before?.flowVersionId ? oldDefinitions.get(before.flowVersionId) : undefined;
      const sameTest = oldDefinition !== undefined && testSignature(oldDefinition, t.stepId) === testSignature(v.definition, t.stepId);
      return {
        shopId: v.shopId,
        flowId: v.flowId,
        flowVersionId: v.versionId,
        stepId: t.stepId,
        variants: t.variants,
        controlKey: t.controlKey,
        metric: before?.metric ?? defaults.metric,
        minSample: before?.minSample ?? defaults.minSample,
        minProbability: before?.minProbability ?? defaults.minProbability,
        minDays: before?.minDays ?? defaults.minDays,
        maxDays: before?.maxDays ?? defaults.maxDays,
        startedAt: sameTest && before ? before.startedAt : v.at,
      };
    }),
  });
}

async function definitionsOf(tx: Tx, shopId: string, ids: string[]): Promise<Map<string, FlowDefinition>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.flowVersion.findMany({ where: { shopId, id: { in: ids } }, select: { id: true, definition: true } });
  return new Map(rows.map((r) => [r.id, parseFlowDefinition(r.definition)]));
}
