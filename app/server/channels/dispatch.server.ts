import { now } from "../clock.server";
import { db } from "../db/client.server";
import type { ComposedEmail } from "./email/compose-email.server";
import { prepareEmail, sendAndSettleEmail, type LoadedMessage, type Outcome } from "./dispatch-email.server";
import { dispatchSms } from "./dispatch-sms.server";
import { POOL_OPTIONS } from "./email/transport.server";
import { sendInWindow } from "./send-window.server";
import { claimDueMessages, loadClaimedMessages, markSending, markStaleSendsUnknown, settle } from "./outbox.server";

/**
 * Emails marked "sending" and not yet settled, at most: twice the pool's connections
 * keeps every connection busy while a worker killed mid-batch strands at most this
 * many as "unknown" (the rest of its claim stays "pending" and is sent by another).
 */
export const SEND_WINDOW = 2 * POOL_OPTIONS.maxConnections;

export interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
  /** Includes rows found stuck in "sending" from a worker that died: never re-sent. */
  unknown: number;
}

/**
 * One pass over the outbox (the worker calls it until nothing is claimed):
 *  1. rows stuck in "sending" past their lease become "unknown" (+ Decision), never re-sent;
 *  2. due pending rows are claimed with a lease (FOR UPDATE SKIP LOCKED);
 *  3. each is re-checked (consent, suppression, shop) and rendered;
 *  4. emails are marked "sending" a few at a time, each group in one committed statement
 *     before its SMTP transactions (app/server/channels/send-window.server.ts);
 *  5. sends run in parallel over the pooled transport, each outcome recorded as it lands.
 * Any number of workers can run this concurrently; each row is sent at most once.
 */
export async function dispatchDueMessages(
  workerId: string,
  limit = 50,
  onClaim?: (items: { kind: "message"; itemId: string; shopId: string | null }[]) => void,
): Promise<DispatchResult> {
  const at = now();
  const result: DispatchResult = { claimed: 0, sent: 0, retried: 0, failed: 0, suppressed: 0, unknown: 0 };
  const count = (o: Outcome | null) => {
    if (o) result[o]++;
  };
  result.unknown += await markStaleSendsUnknown(at, limit);
  const claimed = await claimDueMessages(workerId, limit, at);
  result.claimed = claimed.length;
  if (claimed.length === 0) return result;

  const messages = await loadClaimedMessages(claimed.map((c) => c.id));
  onClaim?.(messages.map((m) => ({ kind: "message", itemId: m.id, shopId: m.shopId })));
  const flowKeys = await flowKeysById(messages);
  const emails: { message: LoadedMessage; email: ComposedEmail }[] = [];
  const sms: LoadedMessage[] = [];
  for (const m of messages) {
    if (m.channel === "sms") sms.push(m);
    else if (m.channel !== "email") {
      await settle(workerId, m, "pending", { status: "failed", data: { error: `unknown channel ${m.channel}` } }, at);
      count("failed");
    } else {
      const prepared = await prepareEmail(workerId, m, m.flowId ? (flowKeys.get(m.flowId) ?? null) : null, at);
      if (typeof prepared === "string") count(prepared);
      else emails.push({ message: m, email: prepared });
    }
  }

  const markEmails = async (chunk: typeof emails) => {
    const marks = chunk.map(({ message, email }) => ({
      id: message.id,
      subject: email.rendered.subject,
      locale: email.rendered.locale,
      messageIdHeader: email.mail.messageId,
    }));
    const sendable = await markSending(workerId, marks, now());
    return chunk.filter(({ message }) => sendable.has(message.id));
  };
  await Promise.all([
    sendInWindow(emails, SEND_WINDOW, markEmails, async ({ message, email }) => count(await sendAndSettleEmail(workerId, message, email))),
    (async () => {
      for (const m of sms) count(await dispatchSms(workerId, m, at));
    })(),
  ]);
  return result;
}

async function flowKeysById(messages: LoadedMessage[]): Promise<Map<string, string>> {
  const ids = [...new Set(messages.map((m) => m.flowId).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const flows = await db().flow.findMany({ where: { id: { in: ids } }, select: { id: true, key: true } });
  return new Map(flows.map((f) => [f.id, f.key]));
}
