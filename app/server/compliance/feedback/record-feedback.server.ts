import type { Message } from "@prisma/client";
import { db } from "../../db/client.server";
import { recordHardBounce } from "../../channels/hard-bounce.server";
import { countBouncedAfterSend } from "../../measurement/flow-figures.server";
import { RollupBuffer } from "../../measurement/rollup-buffer.server";
import type { Tx } from "../../profiles/identity.server";
import type { FeedbackMessageRef } from "../../security/feedback-tokens.server";
import { withdrawConsent } from "../consent-changes.server";
import { trySyncConsentNow } from "../consent-sync.server";
import { findLiveCustomer } from "../customers.server";

// What a complaint or a later bounce does to the message it names, in one transaction:
//  - complaint (ARF abuse): a "complained" event, the address suppressed ("complaint"),
//    the customer's email marketing consent withdrawn with source "complaint" (consent
//    history, the email_unsubscribed event that ends flows, the write-back to Shopify
//    queued and tried at once, as an unsubscribe does);
//  - bounce (DSN failed, 5.x.x): what the synchronous hard bounce records, by the same
//    writer (recordHardBounce: a "bounced" event, the address suppressed "hard_bounce",
//    a hard_bounce Decision) and, as the message had counted as delivered, its
//    delivered figure taken back.
// Each writes its event with a dedupe key per message: the same report twice, or two
// reports about one message, record once.

export type FeedbackOutcome = "recorded" | "duplicate" | "unknown_message";

type Found = Message & { shop: { timezone: string } };

/** The message the signed header names, of that shop, once sent. */
async function findMessage(tx: Tx, ref: FeedbackMessageRef): Promise<Found | null> {
  const m = await tx.message.findFirst({
    where: { id: ref.messageId, shopId: ref.shopId, channel: "email", status: { in: ["sent", "unknown"] } },
    include: { shop: { select: { timezone: true } } },
  });
  return m;
}

async function firstEvent(tx: Tx, m: Message, type: string, at: Date, data: Record<string, string | null>): Promise<boolean> {
  const { count } = await tx.messageEvent.createMany({
    data: [{ shopId: m.shopId, messageId: m.id, type, reliable: true, occurredAt: at, data, dedupeKey: `${type}:${m.id}` }],
    skipDuplicates: true,
  });
  return count === 1;
}

async function suppress(tx: Tx, m: Message, reason: string): Promise<void> {
  await tx.suppression.createMany({
    data: [{ shopId: m.shopId, channel: "email", address: m.toAddress.trim().toLowerCase(), reason }],
    skipDuplicates: true,
  });
}

export async function recordComplaint(
  ref: FeedbackMessageRef,
  report: { feedbackType: string; userAgent: string | null },
  at: Date,
): Promise<FeedbackOutcome> {
  const result = await db().$transaction(async (tx) => {
    const m = await findMessage(tx, ref);
    if (!m) return { outcome: "unknown_message" as const };
    if (!(await firstEvent(tx, m, "complained", at, { feedbackType: report.feedbackType, userAgent: report.userAgent }))) {
      return { outcome: "duplicate" as const };
    }
    await suppress(tx, m, "complaint");
    const customer = m.customerId ? await findLiveCustomer(tx, m.shopId, m.customerId) : null;
    const withdrawn =
      customer !== null &&
      (await withdrawConsent(tx, customer, "email", {
        at,
        source: "complaint",
        evidence: { messageId: m.id, feedbackType: report.feedbackType },
      }));
    return { outcome: "recorded" as const, syncCustomer: withdrawn ? customer.id : null };
  });
  if ("syncCustomer" in result && result.syncCustomer) await trySyncConsentNow(ref.shopId, result.syncCustomer);
  return result.outcome;
}

export async function recordLateBounce(
  ref: FeedbackMessageRef,
  report: { status: string; diagnostic: string | null },
  at: Date,
): Promise<FeedbackOutcome> {
  return db().$transaction(async (tx) => {
    const m = await findMessage(tx, ref);
    if (!m) return "unknown_message";
    const rollups = new RollupBuffer();
    const bounce = { response: report.diagnostic, status: report.status, stage: "delivery_report", once: true } as const;
    if (!(await recordHardBounce(tx, m, bounce, at, rollups, m.shop.timezone))) return "duplicate";
    if (m.status === "sent" && m.sentAt) countBouncedAfterSend(rollups, m, m.sentAt, m.shop.timezone);
    // Last: the rollup rows are the hottest rows (see RollupBuffer).
    await rollups.flush(tx);
    return "recorded";
  });
}
