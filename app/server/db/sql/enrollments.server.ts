import type { OtherEnrollment } from "~/domain/arbitration/types";
import type { EnrollmentState, PastEnrollment } from "~/domain/journey";
import type { RawQuery } from "./clients.server";

// Enrollment rows: the runner's claim of due timers, the router's lock of running
// enrollments, entry (insert, history, the advisory locks that serialize it) and the
// batch's state write.

/** An enrollment as the runner steps it. */
export interface DueRow {
  id: string;
  shopId: string;
  flowId: string;
  flowVersionId: string;
  customerId: string;
  state: EnrollmentState;
  holdout: boolean;
  nextWakeAt: Date;
}

const DUE_COLUMNS = `id, "shopId", "flowId", "flowVersionId", "customerId", state, holdout, "nextWakeAt"`;

/** Active enrollments whose timer is due, oldest first, locked (FOR UPDATE SKIP LOCKED: the lease). */
export function claimDueEnrollments(q: RawQuery, at: Date, limit: number): Promise<DueRow[]> {
  return q<DueRow>(
    `SELECT ${DUE_COLUMNS}
     FROM "Enrollment"
     WHERE status = 'active' AND "nextWakeAt" <= $1
     ORDER BY "nextWakeAt"
     LIMIT $2
     FOR UPDATE SKIP LOCKED`,
    [at.toISOString(), limit],
  );
}

/** These customers' active enrollments that react to events, locked for this transaction in id order. */
export function lockListeningEnrollments(
  q: RawQuery,
  shopIds: string[],
  customerIds: string[],
): Promise<(DueRow & { interestedIn: string[] })[]> {
  return q<DueRow & { interestedIn: string[] }>(
    `SELECT ${DUE_COLUMNS}, "interestedIn"
     FROM "Enrollment" WHERE "shopId" = ANY($2::text[]) AND "customerId" = ANY($1::text[]) AND status = 'active'
       AND cardinality("interestedIn") > 0 ORDER BY id FOR UPDATE`,
    [customerIds, shopIds],
  );
}

export async function postponeEnrollments(q: RawQuery, ids: string[], until: Date): Promise<void> {
  await q(`UPDATE "Enrollment" SET "nextWakeAt" = $2 WHERE id = ANY($1::text[])`, [ids, until.toISOString()]);
}

export interface NewEnrollment {
  id: string;
  shopId: string;
  flowId: string;
  flowVersionId: string;
  customerId: string;
  contextKey: string | null;
  holdout: boolean;
  at: Date;
}

/** Inserts an active enrollment with an empty state; false when the same (flow, customer, context) exists. */
export async function insertEnrollment(q: RawQuery, e: NewEnrollment): Promise<boolean> {
  const inserted = await q(
    `INSERT INTO "Enrollment" (id, "shopId", "flowId", "flowVersionId", "customerId", status, state, "contextKey", holdout, "enteredAt", "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, 'active', '{}'::jsonb, $6, $7, $8, $8, $8)
     ON CONFLICT ("shopId", "flowId", "customerId", "contextKey") DO NOTHING RETURNING id`,
    [e.id, e.shopId, e.flowId, e.flowVersionId, e.customerId, e.contextKey, e.holdout, e.at.toISOString()],
  );
  return inserted.length > 0;
}

/** An enrollment's state after a step, with the columns derived from it (times in ms). */
export interface EnrollmentStateUpdate {
  id: string;
  state: EnrollmentState;
  status: string;
  nextWakeAt: number | null;
  exitReason: string | null;
  goalReachedAt: number | null;
  finishedAt: number | null;
  plannedSendAt: number | null;
  plannedSendChannel: string | null;
  interestedIn: string[];
}

/** Writes a batch's enrollment states in one statement. */
export async function updateEnrollmentStates(q: RawQuery, rows: EnrollmentStateUpdate[], at: Date): Promise<void> {
  const ts = (v: number | null) => (v === null ? null : new Date(v).toISOString());
  await q(
    `UPDATE "Enrollment" e SET state = u.state, status = u.status, "nextWakeAt" = u.wake, "exitReason" = u.exit_reason,
            "goalReachedAt" = u.goal, "finishedAt" = u.finished, "plannedSendAt" = u.planned_at, "plannedSendChannel" = u.planned_ch,
            "interestedIn" = ARRAY(SELECT jsonb_array_elements_text(u.interested)),
            "updatedAt" = $11
     FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                 $8::timestamptz[], $9::text[], $10::jsonb[])
          AS u(id, state, status, wake, exit_reason, goal, finished, planned_at, planned_ch, interested)
     WHERE e.id = u.id`,
    [
      rows.map((r) => r.id),
      rows.map((r) => JSON.stringify(r.state)),
      rows.map((r) => r.status),
      rows.map((r) => ts(r.nextWakeAt)),
      rows.map((r) => r.exitReason),
      rows.map((r) => ts(r.goalReachedAt)),
      rows.map((r) => ts(r.finishedAt)),
      rows.map((r) => ts(r.plannedSendAt)),
      rows.map((r) => r.plannedSendChannel),
      rows.map((r) => JSON.stringify(r.interestedIn)),
      at.toISOString(),
    ],
  );
}

/** Every enrollment of these customers, as the entry rules read them, keyed `flowId:customerId`. */
export async function loadEnrollmentHistory(q: RawQuery, shopIds: string[], customerIds: string[]): Promise<Map<string, PastEnrollment[]>> {
  const rows = await q<{
    flowId: string;
    customerId: string;
    enteredAt: Date;
    status: PastEnrollment["status"];
    contextKey: string | null;
  }>(
    `SELECT "flowId", "customerId", "enteredAt", status, "contextKey" FROM "Enrollment" WHERE "shopId" = ANY($2::text[]) AND "customerId" = ANY($1::text[])`,
    [customerIds, shopIds],
  );
  const out = new Map<string, PastEnrollment[]>();
  for (const r of rows) {
    const key = `${r.flowId}:${r.customerId}`;
    const list = out.get(key) ?? [];
    list.push({ enteredAt: new Date(r.enteredAt).getTime(), status: r.status, contextKey: r.contextKey });
    out.set(key, list);
  }
  return out;
}

/**
 * Running enrollments of these customers that plan a send by `horizon`, per customer
 * (the priority check); one that only waits far ahead cannot collide yet.
 */
export async function loadPlannedSends(
  q: RawQuery,
  shopIds: string[],
  customerIds: string[],
  horizon: Date,
): Promise<Map<string, OtherEnrollment[]>> {
  const out = new Map<string, OtherEnrollment[]>();
  if (customerIds.length === 0) return out;
  const rows = await q<{
    id: string;
    customerId: string;
    key: string;
    priority: number;
    plannedSendAt: Date | null;
    plannedSendChannel: OtherEnrollment["nextSendChannel"];
  }>(
    `SELECT e.id, e."customerId", f.key, f.priority, e."plannedSendAt", e."plannedSendChannel"
     FROM "Enrollment" e JOIN "Flow" f ON f.id = e."flowId"
     WHERE e."shopId" = ANY($2::text[]) AND e."customerId" = ANY($1::text[]) AND e.status = 'active'
       AND e."plannedSendAt" IS NOT NULL AND e."plannedSendAt" <= $3`,
    [customerIds, shopIds, horizon.toISOString()],
  );
  for (const r of rows) {
    const list = out.get(r.customerId) ?? [];
    list.push({
      enrollmentId: r.id,
      flowKey: r.key,
      priority: Number(r.priority),
      nextSendAt: r.plannedSendAt ? new Date(r.plannedSendAt).getTime() : null,
      nextSendChannel: r.plannedSendChannel ?? null,
    });
    out.set(r.customerId, list);
  }
  return out;
}

/**
 * Takes PostgreSQL's two-key transaction-scoped advisory locks (`space`, k) for each
 * key, in the order given: unnest returns the array in order, and each row takes its
 * lock as it is read.
 */
export async function takeAdvisoryXactLocks(q: RawQuery, space: number, keys: number[]): Promise<void> {
  await q(`SELECT pg_advisory_xact_lock($1::int, k) FROM unnest($2::int[]) AS k`, [space, keys]);
}
