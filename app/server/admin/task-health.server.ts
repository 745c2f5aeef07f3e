import type { Shop } from "@prisma/client";
import { flowDisplayName } from "~/domain/flows";
import type { Locale } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { now } from "../clock.server";
import { database, db } from "../db/client.server";
import { flowDecisions, flowLags } from "../db/sql/flow-health.server";
import { taskWindows } from "../db/sql/operations.server";
import { QUEUE_TASKS, shopQueueBacklog } from "../db/sql/queue-health.server";
import { forLog } from "../channels/outbox.server";

// The per-task and per-flow part of the admin's system health. Lag and backlog are the
// shop's own (its due items in each queue); pass counts and errors are the workers'
// (a task serves every shop), read from the TaskMinute rows they write each minute.

const HOUR = 60 * 60_000;
const CAP = 10_000;

export interface TaskHealth {
  task: string;
  /** This shop's due items (null for sweeps, which have no queue). */
  backlog: number | null;
  /** Seconds this shop's oldest due item has waited; null for sweeps. */
  lagSeconds: number | null;
  runsLastHour: number;
  failuresLastHour: number;
  /** failures / runs over the last hour; null without a run on record. */
  errorRate: number | null;
  /** The last error of the day: class, code, short message; addresses masked. */
  lastError: string | null;
  lastErrorAgeSeconds: number | null;
}

export interface FlowHealth {
  flowId: string;
  name: string;
  status: string;
  dueSteps: number;
  lagSeconds: number;
  decisionsLastHour: number;
  skipRate: number | null;
  errorRate: number | null;
}

/** Every worker task, in the order the worker runs them. */
export const HEALTH_TASKS = [...QUEUE_TASKS, "time-triggers", "retention", "experiments", "rollouts", "alerts"];

/** Catalogue flows are named in the admin's language, like on the flows and customers pages. */
export async function loadTaskHealth(
  shop: Pick<Shop, "id">,
  locale: Locale,
): Promise<{ at: string; tasks: TaskHealth[]; flows: FlowHealth[] }> {
  const at = now();
  const q = database().query;
  const windows = new Map((await taskWindows(q, at, new Date(at.getTime() - HOUR))).map((w) => [w.task, w]));
  const tasks: TaskHealth[] = [];
  for (const task of HEALTH_TASKS) {
    const queue = QUEUE_TASKS.includes(task) ? await shopQueueBacklog(q, task, shop.id, at, CAP) : null;
    const w = windows.get(task);
    tasks.push({
      task,
      backlog: queue?.backlog ?? null,
      lagSeconds: queue ? queue.oldestAgeSeconds : null,
      runsLastHour: w?.runs ?? 0,
      failuresLastHour: w?.failures ?? 0,
      errorRate: w && w.runs > 0 ? w.failures / w.runs : null,
      lastError: w?.lastError ? forLog(w.lastError) : null,
      lastErrorAgeSeconds: w?.lastErrorAgeSeconds ?? null,
    });
  }

  const [flows, lags, decisions] = await Promise.all([
    db().flow.findMany({ where: { shopId: shop.id }, select: { id: true, key: true, name: true, status: true } }),
    flowLags(q, shop.id, at, CAP),
    flowDecisions(q, shop.id, new Date(at.getTime() - HOUR), CAP),
  ]);
  const lagOf = new Map(lags.map((l) => [l.flowId, l]));
  const decisionsOf = new Map(decisions.map((d) => [d.flowId, d]));
  return {
    at: at.toISOString(),
    tasks,
    flows: flows
      .map((f) => {
        const l = lagOf.get(f.id);
        const d = decisionsOf.get(f.id);
        const attempts = d ? d.sends + d.skips : 0;
        return {
          flowId: f.id,
          name: flowDisplayName(f, locale),
          status: f.status,
          dueSteps: l?.due ?? 0,
          lagSeconds: l?.age ?? 0,
          decisionsLastHour: d?.decisions ?? 0,
          skipRate: d && attempts > 0 ? d.skips / attempts : null,
          errorRate: d && attempts > 0 ? d.errors / attempts : null,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name, localeTag(locale))),
  };
}
