import { Prisma } from "@prisma/client";
import { CartPayload, CheckoutPayload } from "~/domain/capture/shopify-payloads";
import { resolveProfile } from "../../profiles/identity.server";
import { recordWebhookEvent, syncShopifyCustomer } from "./customer-sync.server";
import { parsePayload } from "./parse";
import type { TopicContext } from "./types";

/** checkouts/create, checkouts/update: the abandoned-checkout flow's raw material. */
export async function handleCheckout({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const c = parsePayload(CheckoutPayload, payload);
  const updatedAt = c.updated_at ?? c.created_at ?? at;
  const existing = await tx.checkout.findUnique({ where: { shopId_token: { shopId: shop.id, token: c.token } } });
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > updatedAt) return;

  const customer = c.customer?.id
    ? await syncShopifyCustomer(tx, shop, { ...c.customer, id: c.customer.id, email: c.customer.email ?? c.email }, at, "shopify")
    : c.email || c.phone
      ? await resolveProfile(
          tx,
          shop.id,
          { email: c.email, phone: c.phone },
          { create: true, at, defaultCountry: c.billing_address?.country_code },
        )
      : null;
  const lines = c.line_items.map((l) => ({
    productId: l.product_id?.toString() ?? null,
    variantId: l.variant_id?.toString() ?? null,
    title: l.title,
    quantity: l.quantity,
    price: l.price,
  }));
  const data = {
    customerId: customer?.id ?? null,
    email: c.email ?? null,
    phone: c.phone ?? null,
    currency: c.presentment_currency ?? c.currency ?? null,
    totalPrice: c.total_price != null ? new Prisma.Decimal(c.total_price) : null,
    lineItems: lines,
    recoveryUrl: c.abandoned_checkout_url ?? null,
    completedAt: c.completed_at ?? existing?.completedAt ?? null,
    shopifyUpdatedAt: updatedAt,
  };
  await tx.checkout.upsert({
    where: { shopId_token: { shopId: shop.id, token: c.token } },
    create: { shopId: shop.id, token: c.token, ...data },
    update: data,
  });
  await recordWebhookEvent(tx, shop.id, {
    name: "checkout_updated",
    sourceId: `checkout:${c.token}:${updatedAt.toISOString()}`,
    customerId: customer?.id ?? null,
    occurredAt: updatedAt,
    data: {
      token: c.token,
      value: c.total_price != null ? Number(c.total_price) : null,
      currency: data.currency,
      completed: Boolean(data.completedAt),
      recoveryUrl: data.recoveryUrl,
      lines: lines.map((l) => ({ ...l, price: Number(l.price) })),
    },
  });
}

/** carts/create, carts/update: anonymous until the pixel ties the cart token to a visitor. */
export async function handleCart({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const c = parsePayload(CartPayload, payload);
  const updatedAt = c.updated_at ?? c.created_at ?? at;
  const existing = await tx.cart.findUnique({ where: { shopId_token: { shopId: shop.id, token: c.token } } });
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > updatedAt) return;
  const lines = c.line_items.map((l) => ({
    productId: l.product_id?.toString() ?? null,
    variantId: l.variant_id?.toString() ?? null,
    title: l.title,
    quantity: l.quantity,
    price: l.price ?? null,
  }));
  const total = lines.reduce((s, l) => s + Number(l.price ?? 0) * l.quantity, 0);
  const data = { lineItems: lines, totalPrice: new Prisma.Decimal(total.toFixed(2)), shopifyUpdatedAt: updatedAt };
  await tx.cart.upsert({
    where: { shopId_token: { shopId: shop.id, token: c.token } },
    create: { shopId: shop.id, token: c.token, ...data },
    update: data,
  });
}
