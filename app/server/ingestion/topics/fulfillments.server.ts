import { FulfillmentPayload } from "~/domain/capture/shopify-payloads";
import { recordWebhookEvent } from "./customer-sync.server";
import { parsePayload } from "./parse";
import { RetryLater, type TopicContext } from "./types";

/** fulfillments/create, fulfillments/update: when the parcel left, for review requests. */
export async function handleFulfillment({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const f = parsePayload(FulfillmentPayload, payload);
  const order = await tx.order.findUnique({
    where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: f.order_id } },
    select: { id: true, customerId: true },
  });
  // Fulfillments can overtake their order's webhook; wait for the order rather than lose the customer.
  if (!order) throw new RetryLater(`order ${f.order_id} not received yet`);
  await recordWebhookEvent(tx, shop.id, {
    name: f.status === "success" || f.status == null ? "fulfillment_created" : `fulfillment_${f.status}`,
    sourceId: `fulfillment:${f.id}:${f.status ?? "created"}`,
    customerId: order.customerId,
    occurredAt: f.updated_at ?? f.created_at ?? at,
    data: { orderId: order.id, shopifyFulfillmentId: String(f.id), status: f.status ?? null, tracking: f.tracking_number ?? null },
  });
}
