import { Prisma } from "@prisma/client";
import { OrderPayload } from "~/domain/capture/shopify-payloads";
import { rawQueryOf } from "../../db/sql/clients.server";
import { refreshOrderAggregates } from "../../db/sql/customers.server";
import { lockShopifyOrder } from "../../db/sql/refunds.server";
import { onOrderChanged } from "../../measurement/order-changed.server";
import { resolveProfile } from "../../profiles/identity.server";
import { syncShopifyCustomer, recordWebhookEvent } from "./customer-sync.server";
import { parsePayload } from "./parse";
import { refundRow, storeRefunds } from "./refunds.server";
import type { TopicContext } from "./types";

/** orders/create, orders/updated, orders/cancelled: one idempotent upsert, newest version wins. */
export async function handleOrder({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const o = parsePayload(OrderPayload, payload);
  // One order's deliveries and refunds one after the other (see lockShopifyOrder).
  await lockShopifyOrder(rawQueryOf(tx), shop.id, o.id);
  const updatedAt = o.updated_at ?? o.created_at;
  const existing = await tx.order.findUnique({
    where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: o.id } },
    select: { id: true, shopifyUpdatedAt: true },
  });
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > updatedAt) return; // a stale delivery

  // A guest checkout has no Shopify customer: the order's email or phone still names a person.
  const customer = o.customer?.id
    ? await syncShopifyCustomer(tx, shop, { ...o.customer, id: o.customer.id, email: o.customer.email ?? o.email }, at, "shopify")
    : o.email || o.phone
      ? await resolveProfile(
          tx,
          shop.id,
          { email: o.email, phone: o.phone },
          { create: true, at, defaultCountry: o.billing_address?.country_code },
        )
      : null;
  const data = {
    name: o.name,
    customerId: customer?.id ?? null,
    shopifyCustomerId: o.customer?.id ?? null,
    email: o.email ?? null,
    currency: o.currency,
    totalPrice: new Prisma.Decimal(o.total_price),
    subtotalPrice: o.subtotal_price != null ? new Prisma.Decimal(o.subtotal_price) : null,
    totalDiscounts: o.total_discounts != null ? new Prisma.Decimal(o.total_discounts) : null,
    discountCodes: o.discount_codes.map((d) => d.code),
    financialStatus: o.financial_status ?? null,
    fulfillmentStatus: o.fulfillment_status ?? null,
    sourceName: o.source_name ?? null,
    landingSite: o.landing_site ?? null,
    checkoutToken: o.checkout_token ?? null,
    cartToken: o.cart_token ?? null,
    processedAt: o.processed_at ?? o.created_at,
    cancelledAt: o.cancelled_at ?? null,
    shopifyUpdatedAt: updatedAt,
  };
  const order = await tx.order.upsert({
    where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: o.id } },
    create: { shopId: shop.id, shopifyOrderId: o.id, ...data },
    update: data,
  });
  await tx.orderLine.deleteMany({ where: { shopId: shop.id, orderId: order.id } });
  await tx.orderLine.createMany({
    data: o.line_items.map((l) => ({
      shopId: shop.id,
      orderId: order.id,
      shopifyProductId: l.product_id ?? null,
      shopifyVariantId: l.variant_id ?? null,
      title: l.title,
      quantity: l.quantity,
      price: new Prisma.Decimal(l.price),
    })),
  });
  if (customer) await refreshOrderAggregates(tx, shop.id, customer.id);
  // The order's refunds list and any refunds/create that came before the order: refundedAmount.
  await storeRefunds(
    tx,
    shop.id,
    o.id,
    o.refunds.map((r) => refundRow(r, at)),
    at,
  );
  await onOrderChanged(tx, { shopId: shop.id, orderId: order.id });
  if (o.checkout_token) {
    await tx.checkout.updateMany({
      where: { shopId: shop.id, token: o.checkout_token, completedAt: null },
      data: { completedAt: data.processedAt },
    });
  }
  await recordWebhookEvent(tx, shop.id, {
    name: "order_placed",
    sourceId: `order:${o.id}`,
    customerId: customer?.id ?? null,
    occurredAt: data.processedAt,
    // What flows read from an order (trigger.orderId, trigger.value, trigger.lines, ...).
    data: {
      orderId: order.id,
      shopifyOrderId: String(o.id),
      value: Number(o.total_price),
      currency: o.currency,
      checkoutToken: o.checkout_token ?? null,
      discountCodes: data.discountCodes,
      lines: o.line_items.map((l) => ({
        productId: l.product_id?.toString() ?? null,
        variantId: l.variant_id?.toString() ?? null,
        title: l.title,
        quantity: l.quantity,
        price: Number(l.price),
      })),
    },
  });
  if (o.cancelled_at) {
    await recordWebhookEvent(tx, shop.id, {
      name: "order_cancelled",
      sourceId: `order:${o.id}:cancelled`,
      customerId: customer?.id ?? null,
      occurredAt: o.cancelled_at,
      data: { orderId: order.id },
    });
  }
}
