import crypto from "node:crypto";
import { readEnv, shopifyCredentials } from "~/server/config.server";

export function apiSecret(): string {
  return shopifyCredentials(readEnv()).apiSecretKey;
}

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the app secret. */
export function shopifyHmac(body: string | Buffer, secret = apiSecret()): string {
  return crypto.createHmac("sha256", secret).update(body).digest("base64");
}

export interface WebhookOptions {
  topic: string;
  shop: string;
  body: string;
  webhookId?: string;
  eventId?: string;
  hmac?: string;
  apiVersion?: string;
}

/** A request exactly as Shopify sends it: same headers, real signature. */
export function webhookRequest(o: WebhookOptions): Request {
  const path = `/webhooks/${o.topic}`;
  return new Request(`http://localhost:3000${path}`, {
    method: "POST",
    body: o.body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": o.topic,
      "x-shopify-shop-domain": o.shop,
      "x-shopify-hmac-sha256": o.hmac ?? shopifyHmac(o.body),
      "x-shopify-webhook-id": o.webhookId ?? crypto.randomUUID(),
      "x-shopify-event-id": o.eventId ?? crypto.randomUUID(),
      "x-shopify-api-version": o.apiVersion ?? "2026-10",
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });
}

/** Flips one byte of the body while keeping the original signature. */
export function tamper(body: string): string {
  const i = Math.floor(body.length / 2);
  const c = body.charCodeAt(i);
  return body.slice(0, i) + String.fromCharCode(c === 0x31 ? 0x32 : 0x31) + body.slice(i + 1);
}
