import type { Channel } from "~/domain/consent/consent";
import { db } from "../db/client.server";
import { withdrawConsent } from "./consent-changes.server";
import { trySyncConsentNow } from "./consent-sync.server";
import { findLiveCustomer } from "./customers.server";

export interface UnsubscribeInput {
  shopId: string;
  customerId: string;
  channels: Channel[];
  /** unsubscribe_link | preference_center | sms_keyword | ... */
  source: string;
  at: Date;
  /** The message whose link was used: recorded as its "unsubscribed" event. */
  messageId?: string | null;
  evidence?: Record<string, unknown>;
}

/**
 * Unsubscribes the customer from the given channels (consent history kept), records
 * the message event, queues the write-back to Shopify and tries it at once.
 * Idempotent: a second call changes nothing and still succeeds.
 */
export async function unsubscribe(input: UnsubscribeInput): Promise<{ changed: Channel[] }> {
  const { customerId, changed } = await db().$transaction(async (tx) => {
    const changed: Channel[] = [];
    const customer = await findLiveCustomer(tx, input.shopId, input.customerId);
    if (!customer) throw new Error("unsubscribe: unknown customer");
    const evidence = { ...input.evidence, ...(input.messageId ? { messageId: input.messageId } : {}) };
    for (const channel of input.channels) {
      const fresh = await tx.customer.findUniqueOrThrow({ where: { id: customer.id } });
      if (await withdrawConsent(tx, fresh, channel, { at: input.at, source: input.source, evidence })) changed.push(channel);
    }
    if (changed.length && input.messageId) {
      const message = await tx.message.findFirst({ where: { id: input.messageId, shopId: input.shopId }, select: { id: true } });
      if (message) {
        await tx.messageEvent.create({
          data: { shopId: input.shopId, messageId: message.id, type: "unsubscribed", occurredAt: input.at, data: { source: input.source } },
        });
      }
    }
    return { customerId: customer.id, changed };
  });
  if (changed.length) await trySyncConsentNow(input.shopId, customerId);
  return { changed };
}
