import { Prisma } from "@prisma/client";
import type { RecentSend } from "~/domain/arbitration/types";
import type { PrismaSql, RawQuery } from "./clients.server";
import { isLive, liveWorkersCte } from "./worker-liveness.server";

// Message rows (the outbox): queued by the journey writes, counted by arbitration,
// and moved through their states by the dispatcher. Every change after the claim is
// guarded by the lease owner and the expected status (see channels/outbox.server.ts).

/** An outbox row to queue (status pending, due at `at`). */
export interface NewOutboxMessage {
  id: string;
  shopId: string;
  customerId: string;
  enrollmentId: string;
  flowId: string;
  stepId: string;
  channel: string;
  purpose: string;
  idempotencyKey: string;
  toAddress: string;
  templateKey: string;
  locale: string;
  variant: string | null;
  payload: Record<string, unknown>;
  at: Date;
}

/** Queues messages, skipping idempotency keys already queued; returns the rows inserted. */
export function insertOutboxMessages(
  q: RawQuery,
  m: NewOutboxMessage[],
): Promise<{ id: string; idempotencyKey: string; shopId: string }[]> {
  return q<{ id: string; idempotencyKey: string; shopId: string }>(
    `INSERT INTO "Message" (id, "shopId", "customerId", "enrollmentId", "flowId", "stepId", channel, purpose, "idempotencyKey",
                            status, "toAddress", "templateKey", locale, variant, payload, "nextAttemptAt", "createdAt", "updatedAt")
     SELECT id, shop, cust, enr, flow, step, ch, purpose, ikey, 'pending', addr, tpl, loc, variant, payload, t, t, t
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                 $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::timestamptz[])
          AS x(id, shop, cust, enr, flow, step, ch, purpose, ikey, addr, tpl, loc, variant, payload, t)
     ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
     RETURNING id, "idempotencyKey", "shopId"`,
    [
      m.map((r) => r.id),
      m.map((r) => r.shopId),
      m.map((r) => r.customerId),
      m.map((r) => r.enrollmentId),
      m.map((r) => r.flowId),
      m.map((r) => r.stepId),
      m.map((r) => r.channel),
      m.map((r) => r.purpose),
      m.map((r) => r.idempotencyKey),
      m.map((r) => r.toAddress),
      m.map((r) => r.templateKey),
      m.map((r) => r.locale),
      m.map((r) => r.variant),
      m.map((r) => JSON.stringify(r.payload)),
      m.map((r) => r.at.toISOString()),
    ],
  );
}

/** Messages of these customers since `since` that count against caps (queued ones included), per customer. */
export async function loadRecentSends(
  q: RawQuery,
  shopIds: string[],
  customerIds: string[],
  since: Date,
): Promise<Map<string, RecentSend[]>> {
  const out = new Map<string, RecentSend[]>();
  if (customerIds.length === 0) return out;
  const rows = await q<{
    customerId: string;
    channel: RecentSend["channel"];
    purpose: RecentSend["purpose"];
    at: Date;
    key: string | null;
    priority: number | null;
  }>(
    `SELECT m."customerId", m.channel, m.purpose, COALESCE(m."sentAt", m."createdAt") AS at, f.key, f.priority
     FROM "Message" m LEFT JOIN "Flow" f ON f.id = m."flowId"
     WHERE m."shopId" = ANY($3::text[]) AND m."customerId" = ANY($1::text[]) AND m.status IN ('pending', 'sending', 'sent', 'unknown')
       AND COALESCE(m."sentAt", m."createdAt") >= $2`,
    [customerIds, since.toISOString(), shopIds],
  );
  for (const r of rows) {
    const list = out.get(r.customerId) ?? [];
    list.push({
      channel: r.channel,
      purpose: r.purpose,
      at: new Date(r.at).getTime(),
      flowKey: r.key ?? null,
      priority: r.priority == null ? null : Number(r.priority),
    });
    out.set(r.customerId, list);
  }
  return out;
}

const LEASE_OWNER = Prisma.raw(`"leaseOwner"`);

/** A Decision the outbox wrote, as the report rollups count it (with its shop's zone). */
export interface WrittenDecision {
  shopId: string;
  flowId: string | null;
  stepId: string | null;
  outcome: string;
  reason: string;
  at: Date;
  timezone: string;
}

/**
 * Rows left `sending` by a worker that died (its liveness lock is gone) or past their
 * lease become `unknown`, each with its Decision, in one statement (the status and the
 * Decision commit together). Returns the Decisions written.
 */
export async function markStaleSendsUnknown(sql: PrismaSql, at: Date, limit: number): Promise<WrittenDecision[]> {
  return sql.$queryRaw<WrittenDecision[]>`
    WITH ${liveWorkersCte},
    stale AS (
      SELECT id, "leaseOwner", "leaseExpiresAt" < ${at} AS expired FROM "Message"
      WHERE status = 'sending' AND ("leaseExpiresAt" < ${at} OR NOT ${isLive(LEASE_OWNER)})
      ORDER BY "leaseExpiresAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED),
    marked AS (
      UPDATE "Message" m
      SET status = 'unknown', "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${at},
          error = 'outcome unknown: the sender stopped after handing the message over, so it is not sent again'
      FROM stale WHERE m.id = stale.id
      RETURNING m.id, m."shopId", m."customerId", m."enrollmentId", m."flowId", m."stepId", m.channel, stale."leaseOwner" AS worker,
                stale.expired),
    written AS (
      INSERT INTO "Decision" ("shopId", "customerId", "enrollmentId", "flowId", "stepId", "messageId", outcome, reason, details, at)
      SELECT "shopId", "customerId", "enrollmentId", "flowId", "stepId", id, 'skip', 'outcome_unknown',
             jsonb_build_object('channel', channel, 'worker', worker,
                                'stage', CASE WHEN expired THEN 'lease_expired_while_sending' ELSE 'worker_died_while_sending' END), ${at}
      FROM marked
      RETURNING "shopId", "flowId", "stepId", outcome, reason, at)
    SELECT w."shopId", w."flowId", w."stepId", w.outcome, w.reason, w.at, s.timezone
    FROM written w JOIN "Shop" s ON s.id = w."shopId"`;
}

export interface ClaimedMessage {
  id: string;
  attempts: number;
}

/**
 * Due pending rows, leased to `workerId` until `leaseUntil` (FOR UPDATE SKIP LOCKED:
 * workers never share a row). A row leased to a dead worker is due at once. Claims
 * nothing while this worker's own liveness lock is missing, since others could then
 * take what it claims.
 */
export function claimDueMessages(sql: PrismaSql, workerId: string, limit: number, at: Date, leaseUntil: Date): Promise<ClaimedMessage[]> {
  return sql.$queryRaw<ClaimedMessage[]>`
    WITH ${liveWorkersCte},
    due AS (
      SELECT id FROM "Message"
      WHERE status = 'pending' AND "nextAttemptAt" <= ${at}
        AND ("leaseOwner" IS NULL OR "leaseExpiresAt" < ${at} OR NOT ${isLive(LEASE_OWNER)})
        AND ${isLive(Prisma.sql`${workerId}::text`)}
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE "Message" m
    SET "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${leaseUntil}, attempts = m.attempts + 1, "updatedAt" = ${at}
    FROM due WHERE m.id = due.id
    RETURNING m.id, m.attempts`;
}

export interface SendingMark {
  id: string;
  subject: string | null;
  locale: string;
  messageIdHeader: string | null;
}

/**
 * Pending rows this worker still leases become `sending`; returns the ids it may now
 * send. Nothing is marked while its liveness lock is missing (another worker may be
 * taking its rows).
 */
export async function markSending(
  sql: PrismaSql,
  workerId: string,
  marks: SendingMark[],
  at: Date,
  leaseUntil: Date,
): Promise<Set<string>> {
  const rows = await sql.$queryRaw<{ id: string }[]>`
    WITH ${liveWorkersCte}
    UPDATE "Message" m
    SET status = 'sending', "leaseExpiresAt" = ${leaseUntil}, "updatedAt" = ${at},
        subject = COALESCE(v.subject, m.subject), locale = v.locale, "messageIdHeader" = COALESCE(v.mid, m."messageIdHeader")
    FROM unnest(${marks.map((m) => m.id)}::text[], ${marks.map((m) => m.subject)}::text[],
                ${marks.map((m) => m.locale)}::text[], ${marks.map((m) => m.messageIdHeader)}::text[]) AS v(id, subject, locale, mid)
    WHERE m.id = v.id AND m."leaseOwner" = ${workerId} AND m.status = 'pending' AND ${isLive(Prisma.sql`${workerId}::text`)}
    RETURNING m.id`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Claimed rows whose send never started go back to the queue now, as if never claimed
 * (the attempt is not counted): a stopping worker hands them on instead of sending them.
 */
export async function releaseClaims(sql: PrismaSql, workerId: string, ids: string[], at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  return sql.$executeRaw`
    UPDATE "Message"
    SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL, attempts = GREATEST(attempts - 1, 0), "updatedAt" = ${at}
    WHERE id = ANY(${ids}::text[]) AND "leaseOwner" = ${workerId} AND status = 'pending'`;
}
