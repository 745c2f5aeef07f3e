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
  await db().shopSending.update({ where: { shopId }, data: { feedbackReportAt: at, feedbackReportKind: kind } });
}
