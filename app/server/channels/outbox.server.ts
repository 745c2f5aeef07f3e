import { Prisma, type Message } from "@prisma/client";
import { CLAIM_LEASE_MS, MAX_SEND_ATTEMPTS, retryDelayMs, SEND_LEASE_MS } from "~/domain/messages/outbox-policy";
import { db } from "../db/client.server";
import * as sql from "../db/sql/messages.server";
import { countDecisions, countSent } from "../measurement/flow-figures.server";
import { RollupBuffer } from "../measurement/rollup-buffer.server";
import { countSend } from "../metrics/registry.server";
import { recordHardBounce } from "./hard-bounce.server";
import type { ClaimedMessage, SendingMark } from "../db/sql/messages.server";

// The outbox's state changes. Every change after the claim is guarded by the lease
// owner and the expected status, so a worker that lost its lease changes nothing.
//
//   pending --claim--> pending + lease --mark sending (committed)--> sending --> sent
//                          |       |                                  |-> pending (retry) / failed
//                          |       |-> suppressed / failed            '-> unknown (never re-sent)
//                          '-> pending, unclaimed (stop() released it, or its worker died)
//
// A lease belongs to a live worker: one whose liveness lock is held
// (app/server/db/sql/worker-liveness.server.ts). A dead worker's claims are free at
// once and its "sending" rows become unknown at once; the lease's time is only the
// fallback for a worker that is alive but stuck.

/**
 * A worker died between "sending" and recording the outcome: the provider may or may
 * not have the message. It is marked unknown, with a Decision saying so, and never
 * sent again: a duplicate is worse than a gap. One statement, so the status and the
 * Decision commit together, and the flows' reason counts in the same transaction.
 */
export async function markStaleSendsUnknown(at: Date, limit: number): Promise<number> {
  const n = await db().$transaction(async (tx) => {
    const written = await sql.markStaleSendsUnknown(tx, at, limit);
    const rollups = new RollupBuffer();
    const zones = new Map(written.map((d) => [d.shopId, d.timezone]));
    countDecisions(rollups, written, (shopId) => zones.get(shopId) ?? "UTC");
    await rollups.flush(tx);
    return written.length;
  });
  // The statement does not say which channel; these are rare and each one matters.
  for (let i = 0; i < n; i++) countSend("other", "unknown");
  return n;
}

/** Due pending rows, leased to this worker (FOR UPDATE SKIP LOCKED: workers never share a row). */
export function claimDueMessages(workerId: string, limit: number, at: Date): Promise<ClaimedMessage[]> {
  return sql.claimDueMessages(db(), workerId, limit, at, new Date(at.getTime() + CLAIM_LEASE_MS));
}

export function loadClaimedMessages(ids: string[]) {
  return db().message.findMany({ where: { id: { in: ids } }, include: { shop: { include: { sending: true } }, customer: true } });
}

/**
 * The point of no return, committed before any byte goes to the provider. Returns the
 * ids this worker may now send; a row missing from the answer was taken from us.
 */
export async function markSending(workerId: string, marks: SendingMark[], at: Date): Promise<Set<string>> {
  if (marks.length === 0) return new Set();
  return sql.markSending(db(), workerId, marks, at, new Date(at.getTime() + SEND_LEASE_MS));
}

/**
 * A payload completed before sending (an SMS's text rendered at send time), stored
 * while this worker still holds the claim; false when the row was taken from it.
 */
export async function storePayload(workerId: string, id: string, payload: Prisma.InputJsonObject): Promise<boolean> {
  const updated = await db().message.updateMany({ where: { id, leaseOwner: workerId, status: "pending" }, data: { payload } });
  return updated.count === 1;
}

/**
 * A claimed message the customer's choices or the shop's content keep from being sent:
 * not a fault, nothing to retry. `stage` says which check stopped it, in the decision.
 */
export async function settleSuppressed(
  workerId: string,
  m: SettledMessage,
  reason: string,
  at: Date,
  stage?: string,
): Promise<"suppressed"> {
  await settle(
    workerId,
    m,
    "pending",
    { status: "suppressed", data: { error: reason }, decision: { reason, ...(stage ? { details: { stage } } : {}) } },
    at,
  );
  return "suppressed";
}

/** Claimed rows whose send never started go back to the queue (a stopping worker). */
export function releaseClaims(workerId: string, ids: string[], at: Date): Promise<number> {
  return sql.releaseClaims(db(), workerId, ids, at);
}

type OutboxStatus = "pending" | "sending";

interface DecisionNote {
  /** "skip" unless said: the customer did not get the message. "defer": it waits. */
  outcome?: "skip" | "defer";
  reason: string;
  details?: Prisma.InputJsonObject;
}

interface Settlement {
  status: "sent" | "failed" | "suppressed" | "unknown" | "pending";
  data?: Prisma.MessageUpdateManyMutationInput;
  /** A "skip" Decision explaining why the customer did not get the message. */
  decision?: DecisionNote;
  /** Hard bounce, with the server's reply: its event, suppression and Decision (recordHardBounce). */
  hardBounce?: string;
}

/** An outbox row with its shop's zone (the report rollups count by the shop's day). */
export type SettledMessage = Message & { shop: { timezone: string } };

/**
 * Records a final (or retry) state, its Decision, side effects and report figures in
 * one transaction. A flow's message settled as sent counts sent and delivered on the
 * day of its sentAt (`at`); its Decision counts in the flow's reasons.
 */
export async function settle(workerId: string, message: SettledMessage, from: OutboxStatus, s: Settlement, at: Date): Promise<boolean> {
  const counted = message.flowId !== null && s.status === "sent";
  if (!s.decision && !s.hardBounce && !counted) {
    // One statement (a retry, a sent message of no flow): no transaction to open, one
    // round trip before the send lane takes its next message. A flow's sent message
    // also moves its flow's figures, so it takes the transaction below.
    const updated = await db().message.updateMany({
      where: { id: message.id, leaseOwner: workerId, status: from },
      data: { ...s.data, status: s.status, leaseOwner: null, leaseExpiresAt: null },
    });
    if (updated.count === 1) countSend(message.channel, s.status);
    return updated.count === 1;
  }
  const settled = await db().$transaction(async (tx) => {
    const updated = await tx.message.updateMany({
      where: { id: message.id, leaseOwner: workerId, status: from },
      data: { ...s.data, status: s.status, leaseOwner: null, leaseExpiresAt: null },
    });
    if (updated.count !== 1) return false;
    const rollups = new RollupBuffer();
    if (counted) countSent(rollups, message, at, message.shop.timezone);
    if (s.decision) {
      const decision = await tx.decision.create({
        data: {
          shopId: message.shopId,
          customerId: message.customerId,
          enrollmentId: message.enrollmentId,
          flowId: message.flowId,
          stepId: message.stepId,
          messageId: message.id,
          outcome: s.decision.outcome ?? "skip",
          reason: s.decision.reason,
          details: { channel: message.channel, ...s.decision.details },
          at,
        },
      });
      countDecisions(rollups, [decision], () => message.shop.timezone);
    }
    if (s.hardBounce !== undefined) {
      await recordHardBounce(tx, message, { response: s.hardBounce }, at, rollups, message.shop.timezone);
    }
    // Last: the rollup rows are the hottest rows (see RollupBuffer).
    await rollups.flush(tx);
    return true;
  });
  if (settled) countSend(message.channel, s.status);
  return settled;
}

/** Transient failure: back to pending with exponential backoff, or failed after the last attempt. */
export function retryOrFail(attempts: number, error: string, at: Date, opts: { retryAt?: Date | null; reason?: string } = {}): Settlement {
  if (attempts >= MAX_SEND_ATTEMPTS) {
    return { status: "failed", data: { error }, decision: { reason: opts.reason ?? "send_failed", details: { attempts, error } } };
  }
  const retryAt = opts.retryAt;
  const next = retryAt ?? new Date(at.getTime() + retryDelayMs(attempts));
  return { status: "pending", data: { error, nextAttemptAt: next } };
}

export function errorText(err: unknown): string {
  return String(err instanceof Error ? err.message : err).slice(0, 1000);
}

/** SMTP replies quote the recipient ("550 <anna@...>: unknown"); logs carry no personal data. */
export function forLog(text: string): string {
  return text.replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, "<address>");
}
