import { now } from "../clock.server";
import { db } from "../db/client.server";
import { log } from "../log.server";
import { holdWorkerLiveness } from "../worker/liveness.server";
import type { ComposedEmail } from "./email/compose-email.server";
import { prepareEmail, sendAndSettleEmail, type LoadedMessage, type Outcome } from "./dispatch-email.server";
import { dispatchSms } from "./dispatch-sms.server";
import { POOL_OPTIONS } from "./email/transport.server";
import { sendThroughLanes } from "./send-lanes.server";
import { releaseWarmupSlot, reserveWarmupSlot } from "./warmup.server";
import {
  claimDueMessages,
  errorText,
  loadClaimedMessages,
  markSending,
  markStaleSendsUnknown,
  releaseClaims,
  settle,
} from "./outbox.server";

/**
 * Emails on their way at once: one per pooled SMTP connection, so every connection is
 * busy while at most this many messages are marked "sending" and unsettled, which is
 * all a worker killed mid-send can leave in doubt.
 */
export const SEND_LANES = POOL_OPTIONS.maxConnections;

export interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
  /** Includes rows found stuck in "sending" from a worker that died: never re-sent. */
  unknown: number;
  /** Claimed but never started, handed back to the queue (the worker is stopping). */
  released: number;
  /** Over the shop's warm-up allowance for its day: waiting for the next day. */
  deferred: number;
}

/**
 * One pass over the outbox (the worker calls it until nothing is claimed):
 *  1. rows a dead worker left in "sending" (or stuck past their lease) become "unknown"
 *     (+ Decision), never re-sent;
 *  2. due pending rows are claimed (FOR UPDATE SKIP LOCKED), rows of dead workers included;
 *  3. each is re-checked (consent, suppression, shop) and rendered, ahead of the senders;
 *  4. one lane per SMTP connection marks its message "sending" (committed), sends it and
 *     records the outcome, then takes the next (app/server/channels/send-lanes.server.ts).
 * When `signal` aborts (stop()), the sends in flight finish and the rest of the claim
 * goes back to the queue at once. Any number of workers can run this concurrently;
 * each row is sent at most once.
 */
export async function dispatchDueMessages(
  workerId: string,
  limit = 50,
  onClaim?: (items: { kind: "message"; itemId: string; shopId: string | null }[]) => void,
  signal?: AbortSignal,
): Promise<DispatchResult> {
  const at = now();
  const result: DispatchResult = { claimed: 0, sent: 0, retried: 0, failed: 0, suppressed: 0, unknown: 0, released: 0, deferred: 0 };
  let handled = 0; // claimed messages this pass settled or tried to mark
  const count = (o: Outcome | null) => {
    handled++;
    if (o) result[o]++;
  };
  await holdWorkerLiveness(workerId);
  result.unknown += await markStaleSendsUnknown(at, limit);
  if (signal?.aborted) return result;
  const claimed = await claimDueMessages(workerId, limit, at);
  result.claimed = claimed.length;
  if (claimed.length === 0) return result;

  try {
    const messages = await loadClaimedMessages(claimed.map((c) => c.id));
    onClaim?.(messages.map((m) => ({ kind: "message", itemId: m.id, shopId: m.shopId })));
    const flowKeys = await flowKeysById(messages);
    const emails = messages.filter((m) => m.channel === "email");
    const sms = messages.filter((m) => m.channel === "sms");
    for (const m of messages) {
      if (m.channel === "email" || m.channel === "sms") continue;
      await settle(workerId, m, "pending", { status: "failed", data: { error: `unknown channel ${m.channel}` } }, at);
      count("failed");
    }
    await Promise.all([
      sendThroughLanes<LoadedMessage, { message: LoadedMessage; email: ComposedEmail }>(emails, {
        lanes: SEND_LANES,
        // Composing runs ahead through the whole claim (as it did before sending started
        // at all): the email bench measured 0.78-0.85x raw nodemailer with 5 ahead,
        // 0.88x with the claim ahead, on a loaded machine. Marking stays per lane.
        ahead: limit,
        signal,
        prepare: async (m) => {
          const prepared = await prepareEmail(workerId, m, m.flowId ? (flowKeys.get(m.flowId) ?? null) : null, at);
          if (typeof prepared !== "string") return { message: m, email: prepared };
          count(prepared);
          return null;
        },
        send: async ({ message, email }) => {
          // The warm-up ramp's allowance for the shop's day: over it, the email waits.
          const slot = await reserveWarmupSlot(message.shop, message.shop.sending, now());
          if (!slot.ok) return count(await deferForWarmup(workerId, message, slot, at));
          const mark = {
            id: message.id,
            subject: email.rendered.subject,
            locale: email.rendered.locale,
            messageIdHeader: email.mail.messageId,
          };
          // Not marked: the claim was taken from us (this worker looked dead); nothing to do.
          if (!(await markSending(workerId, [mark], now())).has(message.id)) {
            await releaseWarmupSlot(message.shopId, slot.day);
            return count(null);
          }
          const outcome = await sendAndSettleEmail(workerId, message, email);
          if (outcome === "retried") await releaseWarmupSlot(message.shopId, slot.day);
          count(outcome);
        },
      }),
      (async () => {
        for (const m of sms) {
          if (signal?.aborted) break;
          count(await dispatchSms(workerId, m, at));
        }
      })(),
    ]);
  } finally {
    // Whatever this pass did not start (stopping, or a failure) is free for any worker
    // now; rows it settled or marked are not "pending under our lease" and stay as they are.
    if (handled < claimed.length) {
      result.released = await releaseClaims(
        workerId,
        claimed.map((c) => c.id),
        now(),
      ).catch((err: unknown) => {
        log.warn("outbox claims not released; they are free once this worker is gone or the lease ends", {
          worker: workerId,
          err: errorText(err),
        });
        return 0;
      });
    }
  }
  return result;
}

/**
 * Back to the queue until the shop's next local day, with a "defer" Decision saying why;
 * the wait is not a failed attempt.
 */
async function deferForWarmup(
  workerId: string,
  m: LoadedMessage,
  slot: { allowance: number; day: string; retryAt: Date },
  at: Date,
): Promise<Outcome | null> {
  const settled = await settle(
    workerId,
    m,
    "pending",
    {
      status: "pending",
      data: { nextAttemptAt: slot.retryAt, attempts: Math.max(0, m.attempts - 1), error: "warmup_limit" },
      decision: {
        outcome: "defer",
        reason: "warmup_limit",
        details: { stage: "dispatch", allowance: slot.allowance, day: slot.day, until: slot.retryAt.toISOString() },
      },
    },
    at,
  );
  return settled ? "deferred" : null;
}

async function flowKeysById(messages: LoadedMessage[]): Promise<Map<string, string>> {
  const ids = [...new Set(messages.map((m) => m.flowId).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const flows = await db().flow.findMany({ where: { id: { in: ids } }, select: { id: true, key: true } });
  return new Map(flows.map((f) => [f.id, f.key]));
}
