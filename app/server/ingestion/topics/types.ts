import type { Shop } from "@prisma/client";
import type { Tx } from "../../profiles/identity.server";

export interface TopicContext {
  tx: Tx;
  shop: Shop;
  payload: unknown;
  /** When we process it (the app clock). */
  at: Date;
  webhookId: string;
  deliveryId: string;
}

export type TopicHandler = (ctx: TopicContext) => Promise<void>;

/** The payload cannot be used, now or later: the delivery fails without retries. */
export class UnusablePayload extends Error {}

/** Something this delivery depends on has not arrived yet (an order for its fulfillment): retry later. */
export class RetryLater extends Error {}
