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

/**
 * The payload cannot be used, now or later (a retry would fail the same way): the
 * delivery fails loudly with `reason` (a short code) and the detail in its error, for
 * the operator to see. Never for a field Shopify documents as nullable or optional.
 */
export class UnusablePayload extends Error {
  constructor(
    readonly reason:
      "invalid_payload" | "malformed_json" | "json_too_deep" | "unsupported_unicode_escape" | "payload_not_an_object" | "no_handler",
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

/** Something this delivery depends on has not arrived yet (an order for its fulfillment): retry later. */
export class RetryLater extends Error {}
