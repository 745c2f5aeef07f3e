import { db } from "../../db/client.server";

// A shop's feedback address is signed with a generation number stored on ShopSending:
// replacing the address (it leaked) moves the number on, and every older address is
// refused from then on. No row yet: generation 0, the address shops had before.

export type FeedbackReportKind = "complaint" | "bounce";

export async function currentFeedbackGeneration(shopId: string): Promise<number> {
  const row = await db().shopSending.findUnique({ where: { shopId }, select: { feedbackGeneration: true } });
  return row?.feedbackGeneration ?? 0;
}

/**
 * Keeps when the shop's address last brought a report about one of its messages, for
 * Settings -> Sending. Called only once the message was found: the shop exists.
 */
export async function noteFeedbackReport(shopId: string, kind: FeedbackReportKind, at: Date): Promise<void> {
  // Insert-if-missing, then update: two reports at once for a shop without a row must
  // not collide on the unique shopId.
  await db().shopSending.createMany({ data: [{ shopId }], skipDuplicates: true });
  // Every email's warm-up slot is taken on this row: a burst of reports of one kind
  // writes it once a minute, not once a report (the page shows the minute).
  await db().shopSending.updateMany({
    where: {
      shopId,
      OR: [
        { feedbackReportAt: null },
        { feedbackReportAt: { lt: new Date(at.getTime() - 60_000) } },
        { feedbackReportKind: { not: kind } },
      ],
    },
    data: { feedbackReportAt: at, feedbackReportKind: kind },
  });
}
