import type { Shop } from "@prisma/client";
import type { HaltReason } from "~/domain/rollout";
import { now } from "../clock.server";
import {
  advanceRollout,
  completeRollout,
  haltRollout,
  resumeRollout,
  rollBackRollout,
  startRollout,
  type RolloutChange,
} from "../journeys/rollouts.server";

export type RolloutIntent =
  | { intent: "start" }
  | { intent: "advance"; from: number; versionId?: string }
  | { intent: "halt" }
  | { intent: "resume" }
  | { intent: "complete" }
  | { intent: "rollBack"; versionId?: string };

/** The rollout page's buttons (`versionId`: the version the page showed staged); each change is audited by the function it calls, scoped by the shop. */
export function rolloutAction(shop: Pick<Shop, "id">, flowId: string, i: RolloutIntent, actor: string): Promise<RolloutChange> {
  switch (i.intent) {
    case "start":
      return startRollout(shop.id, flowId, actor);
    case "advance":
      return advanceRollout(shop.id, flowId, i.from, actor, i.versionId);
    case "halt": {
      const reason: HaltReason = { by: "merchant", at: now().toISOString() };
      return haltRollout(shop.id, flowId, actor, reason);
    }
    case "resume":
      return resumeRollout(shop.id, flowId, actor);
    case "complete":
      return completeRollout(shop.id, flowId, actor);
    case "rollBack":
      return rollBackRollout(shop.id, flowId, actor, i.versionId);
  }
}
