// A click or open of a message, as measurement records it: the MessageEvent row, the
// "clicked" figure the first time a message gets a reliable click, and the attribution of
// the customer's orders that the new touch may now be credited with.
//
// Why it is race-free:
// - First click: the event is written under a lock of the message row, after looking for
//   an earlier reliable click. Two racing clicks of one message queue on that lock; the
//   second finds the first's row (committed) and counts nothing. The dedupe key still
//   decides, per 30 s slot, whether a click is written at all.
// - Click vs order: a touch that can attribute is written under the customer's touch lock
//   (lockCustomerTouches), which attributeOrder also takes before it reads touches. If
//   the order's attribution holds it first, the touch commits after the order did and the
//   re-attribution that follows it (a later transaction) finds the order; if the touch
//   holds it first, the order's attribution reads touches after the touch committed.
//   The touch's transaction takes nothing else a waiting attribution holds (the customer
//   row is updated after it, outside it), so the two never wait on each other.
import type { Prisma } from "@prisma/client";
import { shopDay } from "~/domain/measurement/shop-day";
import { db } from "../db/client.server";
import { rawQueryOf } from "../db/sql/clients.server";
import { lockCustomerTouches } from "../db/sql/conversions.server";
import { hasReliableClick, lockMessageForTouch } from "../db/sql/message-events.server";
import { log } from "../log.server";
import { reattributeCustomerOrders } from "./attribution.server";
import { bumpFlowDaily } from "./rollup.server";

export interface NewTouch {
  shopId: string;
  messageId: string;
  /** Message.customerId: whose orders the touch may be credited with. */
  customerId: string | null;
  type: "clicked" | "opened";
  reliable: boolean;
  url: string | null;
  at: Date;
  data: Prisma.InputJsonValue;
  dedupeKey: string | null;
}

/** Stores the touch; false when its dedupe slot already holds one (nothing else is done then). */
export async function recordTouch(t: NewTouch): Promise<boolean> {
  const shop = await db().shop.findUnique({
    where: { id: t.shopId },
    select: { timezone: true, attributionEmailDays: true, attributionSmsDays: true, attributeOpens: true },
  });
  if (!shop) return false;
  // Only reliable clicks, and reliable opens where the shop counts them, can move attribution.
  const attributes = t.reliable && (t.type === "clicked" || shop.attributeOpens) && t.customerId !== null;
  const firstClickMatters = t.type === "clicked" && t.reliable;

  const written = await db().$transaction(async (tx) => {
    const q = rawQueryOf(tx);
    if (attributes) await lockCustomerTouches(q, t.shopId, t.customerId!);
    const message = firstClickMatters ? await lockMessageForTouch(q, t.shopId, t.messageId) : null;
    const firstClick = message !== null && !(await hasReliableClick(q, t.shopId, t.messageId));
    const inserted = await tx.messageEvent.createMany({
      data: [
        {
          shopId: t.shopId,
          messageId: t.messageId,
          type: t.type,
          reliable: t.reliable,
          url: t.url,
          occurredAt: t.at,
          data: t.data,
          dedupeKey: t.dedupeKey,
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return false;
    if (firstClick && message.flowId) {
      await bumpFlowDaily(
        tx,
        {
          shopId: t.shopId,
          flowId: message.flowId,
          day: shopDay(t.at, shop.timezone),
          stepId: message.stepId ?? "",
          variant: message.variant ?? "",
          channel: message.channel,
          cohort: "",
        },
        { clicked: 1 },
      );
    }
    return true;
  });

  if (written && attributes) {
    try {
      await reattributeCustomerOrders((fn) => db().$transaction(fn), t.shopId, t.customerId!, t.at, shop);
    } catch (err) {
      // The touch is stored; the order keeps its attribution until it changes again.
      log.warn("orders not re-attributed after a touch", { messageId: t.messageId, err: String(err) });
    }
  }
  return written;
}
