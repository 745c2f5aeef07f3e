import type { Shop } from "@prisma/client";
import { now } from "../clock.server";
import { appBaseUrl } from "../config.server";
import { db } from "../db/client.server";
import { feedbackInboxUrl } from "../security/feedback-tokens.server";

// Settings -> Sending, "Bounces and complaints": the shop's feedback address (the
// /feedback/<token> URL its email provider or mailbox forwards reports to), the last
// report it brought, and a new address when the old one leaked.

export interface FeedbackAddressView {
  url: string;
  /** The last report about one of the shop's messages that came in at its address. */
  lastReport: { at: string; kind: "complaint" | "bounce" } | null;
  /** The shop's, to show the report's time in. */
  timezone: string;
}

export async function loadFeedbackAddress(shop: Pick<Shop, "id" | "timezone">, base: string = appBaseUrl()): Promise<FeedbackAddressView> {
  const row = await db().shopSending.findUnique({
    where: { shopId: shop.id },
    select: { feedbackGeneration: true, feedbackReportAt: true, feedbackReportKind: true },
  });
  const kind = row?.feedbackReportKind;
  return {
    url: feedbackInboxUrl(shop.id, row?.feedbackGeneration ?? 0, base),
    lastReport:
      row?.feedbackReportAt && (kind === "complaint" || kind === "bounce") ? { at: row.feedbackReportAt.toISOString(), kind } : null,
    timezone: shop.timezone,
  };
}

/**
 * A new address: the next generation, audited in the same transaction. Every earlier
 * address is refused (410) from the commit on. The addresses themselves are secrets, so
 * the audit row names the generations only.
 */
export async function rotateFeedbackAddress(shop: Pick<Shop, "id">, actor: string): Promise<number> {
  return db().$transaction(async (tx) => {
    await tx.shopSending.createMany({ data: [{ shopId: shop.id }], skipDuplicates: true });
    // The increment is one statement under the row lock: two rotations at once are two generations.
    const after = await tx.shopSending.update({
      where: { shopId: shop.id },
      data: { feedbackGeneration: { increment: 1 } },
      select: { feedbackGeneration: true },
    });
    await tx.auditLog.create({
      data: {
        shopId: shop.id,
        actor,
        action: "settings.feedback_address_replaced",
        subjectType: "shop",
        subjectId: shop.id,
        details: {
          before: { generation: after.feedbackGeneration - 1 },
          after: { generation: after.feedbackGeneration },
        },
        at: now(),
      },
    });
    return after.feedbackGeneration;
  });
}
