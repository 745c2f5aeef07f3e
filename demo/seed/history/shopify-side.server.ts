import crypto from "node:crypto";
import { stringify } from "lossless-json";
import type { Shop } from "@prisma/client";
import { readEnv, shopifyCredentials } from "~/server/config.server";
import { handleWebhookRoute } from "~/server/ingestion/webhook-receiver.server";
import { WEBHOOK_TOPICS } from "~/server/ingestion/webhook-topics";
import type { StorefrontProduct } from "../../storefront/catalog.server";
import type { PlannedLine, PlannedShopper } from "./plan";

// Shopify's side of the history's shoppers: signed webhooks to the app's receiver (HMAC,
// dedupe, stored, then processed by the worker's webhook task) for their checkouts,
// orders, fulfillments, refunds and cancellations, with the payloads Shopify sends.

const SHIPPING = 14.99;
const FREE_SHIPPING_FROM = 150;

export interface OrderLine {
  id: bigint;
  product: StorefrontProduct;
  quantity: number;
}

export interface PlacedOrder {
  id: bigint;
  name: string;
  shopper: PlannedShopper;
  lines: OrderLine[];
  subtotal: number;
  total: number;
  at: Date;
  checkoutToken: string | null;
  landingSite: string | null;
}

export class ShopifySide {
  private webhookCount = 0;

  constructor(
    private readonly shop: Shop,
    private readonly product: (index: number) => StorefrontProduct,
  ) {}

  get webhooks(): number {
    return this.webhookCount;
  }

  private lines(planned: PlannedLine[]): { product: StorefrontProduct; quantity: number }[] {
    return planned.map((l) => ({ product: this.product(l.product), quantity: l.quantity }));
  }

  // The customer Shopify creates at a first checkout or order comes to the app inside
  // that checkout's or order's payload (with its email and SMS consent), which the
  // handlers sync; the customers/create delivery that also follows is left out (the
  // same facts, one webhook less per shopper in a history that counts its seconds).

  customer(s: PlannedShopper, at: Date) {
    const since = new Date(s.arrivesAt).toISOString();
    return {
      id: s.shopifyCustomerId,
      email: s.email,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
      first_name: s.firstName,
      last_name: s.lastName,
      state: "enabled",
      phone: s.phone,
      currency: this.shop.currency,
      locale: s.locale,
      tags: "",
      email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: since },
      sms_marketing_consent:
        s.phone && s.sms
          ? { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: since, consent_collected_from: "SHOPIFY" }
          : null,
      admin_graphql_api_id: `gid://shopify/Customer/${s.shopifyCustomerId}`,
      default_address: { country_code: "PL" },
    };
  }

  async checkoutCreated(s: PlannedShopper, token: string, planned: PlannedLine[], at: Date): Promise<void> {
    const lines = this.lines(planned);
    const { subtotal, total } = this.totals(lines);
    await this.webhook(
      "checkouts/create",
      {
        token,
        cart_token: null,
        email: s.email,
        phone: s.phone,
        buyer_accepts_marketing: true,
        created_at: at.toISOString(),
        updated_at: at.toISOString(),
        completed_at: null,
        currency: this.shop.currency,
        presentment_currency: this.shop.currency,
        customer_locale: s.locale,
        line_items: lines.map(({ product, quantity }) => ({
          product_id: BigInt(product.id),
          variant_id: BigInt(product.variantId),
          title: product.title,
          quantity,
          price: product.price,
        })),
        subtotal_price: subtotal.toFixed(2),
        total_price: total.toFixed(2),
        abandoned_checkout_url: `https://${this.shop.domain}/checkouts/${token}/recover?key=${crypto.randomBytes(8).toString("hex")}`,
        customer: this.customer(s, at),
        billing_address: { country_code: "PL" },
      },
      at,
    );
  }

  totals(lines: { product: StorefrontProduct; quantity: number }[]): { subtotal: number; total: number } {
    const subtotal = Math.round(lines.reduce((n, l) => n + Number(l.product.price) * l.quantity, 0) * 100) / 100;
    return { subtotal, total: Math.round((subtotal + (subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING)) * 100) / 100 };
  }

  order(order: PlacedOrder, extra: Record<string, unknown> = {}) {
    return {
      id: order.id,
      name: order.name,
      email: order.shopper.email,
      phone: order.shopper.phone,
      customer: this.customer(order.shopper, order.at),
      currency: this.shop.currency,
      presentment_currency: this.shop.currency,
      total_price: order.total.toFixed(2),
      subtotal_price: order.subtotal.toFixed(2),
      total_discounts: "0.00",
      discount_codes: [],
      financial_status: "paid",
      fulfillment_status: null,
      source_name: "web",
      landing_site: order.landingSite,
      checkout_token: order.checkoutToken,
      cart_token: null,
      processed_at: order.at.toISOString(),
      created_at: order.at.toISOString(),
      updated_at: order.at.toISOString(),
      cancelled_at: null,
      line_items: order.lines.map((l) => ({
        id: l.id,
        product_id: BigInt(l.product.id),
        variant_id: BigInt(l.product.variantId),
        title: l.product.title,
        quantity: l.quantity,
        price: l.product.price,
      })),
      billing_address: { country_code: "PL" },
      refunds: [],
      ...extra,
    };
  }

  async orderCreated(order: PlacedOrder): Promise<void> {
    await this.webhook("orders/create", this.order(order), order.at);
  }

  async fulfilled(order: PlacedOrder, id: bigint, at: Date): Promise<void> {
    const stamp = at.toISOString();
    await this.webhook(
      "fulfillments/create",
      { id, order_id: order.id, status: "success", created_at: stamp, updated_at: stamp, tracking_number: null },
      at,
    );
  }

  /**
   * A refund of some lines: Shopify sends refunds/create and orders/updated (the order
   * now partially or fully refunded). refunds/create only when the app subscribes to it.
   */
  async refunded(order: PlacedOrder, refundId: bigint, lines: OrderLine[], at: Date): Promise<void> {
    const stamp = at.toISOString();
    const amount = Math.round(lines.reduce((n, l) => n + Number(l.product.price) * l.quantity, 0) * 100) / 100;
    const full = lines.length === order.lines.length && lines.every((l, i) => l.quantity === order.lines[i]!.quantity);
    const refund = {
      id: refundId,
      order_id: order.id,
      created_at: stamp,
      processed_at: stamp,
      note: "Returned",
      restock: true,
      refund_line_items: lines.map((l, i) => ({
        id: refundId * 10n + BigInt(i),
        line_item_id: l.id,
        quantity: l.quantity,
        restock_type: "return",
        subtotal: (Number(l.product.price) * l.quantity).toFixed(2),
        total_tax: "0.00",
        line_item: {
          id: l.id,
          product_id: BigInt(l.product.id),
          variant_id: BigInt(l.product.variantId),
          title: l.product.title,
          quantity: l.quantity,
          price: l.product.price,
        },
      })),
      transactions: [
        {
          id: refundId * 10n + 9n,
          order_id: order.id,
          kind: "refund",
          status: "success",
          amount: amount.toFixed(2),
          currency: this.shop.currency,
          gateway: "bogus",
          created_at: stamp,
          processed_at: stamp,
        },
      ],
      order_adjustments: [],
    };
    if ((WEBHOOK_TOPICS as readonly string[]).includes("refunds/create")) await this.webhook("refunds/create", refund, at);
    await this.webhook(
      "orders/updated",
      this.order(order, {
        financial_status: full ? "refunded" : "partially_refunded",
        updated_at: stamp,
        current_subtotal_price: Math.max(0, order.subtotal - amount).toFixed(2),
        refunds: [refund],
      }),
      at,
    );
  }

  async cancelled(order: PlacedOrder, at: Date): Promise<void> {
    const stamp = at.toISOString();
    await this.webhook(
      "orders/cancelled",
      this.order(order, { cancelled_at: stamp, cancel_reason: "customer", financial_status: "voided", updated_at: stamp }),
      at,
    );
  }

  /** One delivery as Shopify sends it: an HMAC of the exact body with the app's secret, to the receiver. */
  private async webhook(topic: string, payload: unknown, at: Date): Promise<void> {
    const body = stringify(payload) ?? "null";
    const secret = shopifyCredentials(readEnv()).apiSecretKey;
    const request = new Request(`http://localhost/webhooks/${topic}`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": topic,
        "x-shopify-shop-domain": this.shop.domain,
        "x-shopify-hmac-sha256": crypto.createHmac("sha256", secret).update(body).digest("base64"),
        "x-shopify-webhook-id": crypto.randomUUID(),
        "x-shopify-event-id": crypto.randomUUID(),
        "x-shopify-api-version": "2026-10",
        "x-shopify-triggered-at": at.toISOString(),
      },
    });
    const res = await handleWebhookRoute(request, topic);
    if (res.status !== 200) throw new Error(`the webhook receiver answered ${res.status} to ${topic}: ${await res.text()}`);
    this.webhookCount++;
  }
}
