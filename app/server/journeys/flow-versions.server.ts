import { Prisma, type FlowVersion } from "@prisma/client";
import type { FlowDefinition } from "~/domain/journey";
import { rawQueryOf } from "../db/sql/clients.server";
import { lockFlowRow } from "../db/sql/flows.server";
import { startExperiments } from "../experiments/experiment-rows.server";

/** The Flow columns of no staged rollout. */
export const ROLLOUT_CLEARED = {
  rolloutBaseVersionId: null,
  rolloutStages: Prisma.DbNull,
  rolloutHaltedAt: null,
  rolloutHaltReason: Prisma.DbNull,
} satisfies Prisma.FlowUpdateInput;

/**
 * Appends a version to a flow and makes it the active one, in the caller's
 * transaction: new enrollments start on it, running ones keep theirs. The flow's row
 * is locked first, so two writers (a merchant's edit, an experiment's winner) number
 * their versions one after the other instead of colliding. The definition must be
 * validated already. Starts the version's A/B experiments.
 */
export async function appendFlowVersion(
  tx: Prisma.TransactionClient,
  v: {
    shopId: string;
    flowId: string;
    definition: FlowDefinition;
    changeNote: string | null;
    createdBy: string;
    at: Date;
    /** More columns of the Flow row to set with the switch (e.g. the definition's priority). */
    flow?: Prisma.FlowUpdateInput;
  },
): Promise<FlowVersion> {
  const locked = await lockFlowRow(rawQueryOf(tx), v.shopId, v.flowId);
  const last = await tx.flowVersion.findFirst({ where: { flowId: v.flowId }, orderBy: { version: "desc" }, select: { version: true } });
  const version = await tx.flowVersion.create({
    data: {
      shopId: v.shopId,
      flowId: v.flowId,
      version: (last?.version ?? 0) + 1,
      definition: v.definition as unknown as Prisma.InputJsonValue,
      changeNote: v.changeNote,
      createdBy: v.createdBy,
    },
  });
  // A staged rollout was of the version this one replaces: it ends, and the new
  // version takes every new entrant, as any saved version does (rolloutPercent was its stage).
  const endsRollout = Boolean(locked?.rolloutBaseVersionId);
  await tx.flow.update({
    where: { id: v.flowId },
    data: {
      ...v.flow,
      activeVersionId: version.id,
      ...(endsRollout ? { ...ROLLOUT_CLEARED, rolloutPercent: 100 } : {}),
    },
  });
  if (endsRollout) {
    await tx.auditLog.create({
      data: {
        shopId: v.shopId,
        actor: v.createdBy,
        action: "flow.rollout_ended",
        subjectType: "flow",
        subjectId: v.flowId,
        details: {
          reason: "superseded",
          before: { versionId: locked!.activeVersionId, baseVersionId: locked!.rolloutBaseVersionId, percent: locked!.rolloutPercent },
          after: { versionId: version.id, percent: 100 },
        },
        at: v.at,
      },
    });
  }
  await startExperiments(tx, { shopId: v.shopId, flowId: v.flowId, versionId: version.id, definition: v.definition, at: v.at });
  return version;
}
