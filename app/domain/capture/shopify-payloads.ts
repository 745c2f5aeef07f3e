import { z } from "zod";

// Shopify's REST webhook payloads, as far as the app reads them. Unknown fields are
// ignored (Shopify adds fields without notice); the ones read are checked. Bodies are
// read with parseShopifyJson (./shopify-json), so an id above 2^53 arrives as a bigint
// and keeps every digit. Every field Shopify's reference shows as possibly null is
// accepted as null (tests/fixtures/shopify-webhooks holds a sample of every topic).

const id = z.union([z.bigint(), z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => BigInt(v));
const optId = id.nullish();
const money = z.union([z.string(), z.number(), z.bigint()]).transform((v) => String(v));
/** A list Shopify may send as null or leave out: empty. */
const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);
const date = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "not a date")
  .transform((s) => new Date(s));
const optDate = date.nullish();
const str = z.string().nullish();
const tags = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((t) => (Array.isArray(t) ? t : (t ?? "").split(",")).map((s) => s.trim()).filter(Boolean));

// Shopify's own sample of customers_marketing_consent/update carries `state: null`.
export const EmailConsent = z.object({ state: str, opt_in_level: str, consent_updated_at: optDate }).nullish();
export const SmsConsent = z.object({ state: str, opt_in_level: str, consent_updated_at: optDate, consent_collected_from: str }).nullish();

export const CustomerPayload = z.object({
  id,
  email: str,
  phone: str,
  first_name: str,
  last_name: str,
  locale: str,
  tags,
  created_at: optDate,
  updated_at: optDate,
  default_address: z.object({ country_code: str }).nullish(),
  email_marketing_consent: EmailConsent,
  sms_marketing_consent: SmsConsent,
});
export type CustomerPayload = z.infer<typeof CustomerPayload>;

export const LineItem = z.object({
  product_id: optId,
  variant_id: optId,
  title: str.transform((t) => t ?? ""),
  quantity: z.number().int(),
  price: money,
});

// A refund (refunds/create, and each entry of an order's `refunds`). Only the merchandise
// refunded is read: each refund line's subtotal (after the line's discounts, before tax),
// the same footing as the order's subtotal_price. Shopify sends it as a JSON number; its
// subtotal_set carries the same amount as text, used when the number is missing.
export const RefundLinePayload = z.object({
  subtotal: money.nullish(),
  subtotal_set: z.object({ shop_money: z.object({ amount: money }).nullish() }).nullish(),
});

export const RefundPayload = z.object({
  id,
  order_id: id,
  created_at: optDate,
  processed_at: optDate,
  refund_line_items: list(RefundLinePayload),
});
export type RefundPayload = z.infer<typeof RefundPayload>;

export const OrderPayload = z.object({
  id,
  name: z.string(),
  email: str,
  phone: str,
  customer: CustomerPayload.partial({ tags: true }).nullish(),
  currency: z.string(),
  total_price: money,
  subtotal_price: money.nullish(),
  total_discounts: money.nullish(),
  discount_codes: list(z.object({ code: z.string() })),
  financial_status: str,
  fulfillment_status: str,
  source_name: str,
  landing_site: str,
  checkout_token: str,
  cart_token: str,
  processed_at: optDate,
  created_at: date,
  updated_at: optDate,
  cancelled_at: optDate,
  line_items: list(LineItem),
  billing_address: z.object({ country_code: str }).nullish(),
  refunds: list(RefundPayload.partial({ order_id: true })),
});
export type OrderPayload = z.infer<typeof OrderPayload>;

export const CheckoutPayload = z.object({
  token: z.string(),
  email: str,
  phone: str,
  customer: CustomerPayload.partial({ tags: true }).nullish(),
  currency: str,
  presentment_currency: str,
  total_price: money.nullish(),
  line_items: list(LineItem.passthrough()),
  abandoned_checkout_url: str,
  completed_at: optDate,
  created_at: optDate,
  updated_at: optDate,
  billing_address: z.object({ country_code: str }).nullish(),
});

export const CartPayload = z.object({
  token: z.string(),
  line_items: list(LineItem.partial({ price: true }).passthrough()),
  updated_at: optDate,
  created_at: optDate,
});

export const ProductPayload = z.object({
  id,
  title: z.string(),
  handle: z.string(),
  status: str.transform((s) => s ?? "active"),
  vendor: str,
  product_type: str,
  tags,
  updated_at: optDate,
  image: z.object({ src: z.string() }).nullish(),
  images: list(z.object({ src: z.string() })),
  variants: list(z.object({ id, title: str.transform((t) => t ?? ""), price: money, sku: str, inventory_quantity: z.number().nullish() })),
});

export const DeletePayload = z.object({ id });

export const FulfillmentPayload = z.object({
  id,
  order_id: id,
  status: str,
  created_at: optDate,
  updated_at: optDate,
  tracking_number: str,
});

export const EmailConsentPayload = z.object({ customer_id: id, email_address: str, email_marketing_consent: EmailConsent });
export const SmsConsentPayload = z.object({ id, phone: str, sms_marketing_consent: SmsConsent });

export const ScopesUpdatePayload = z.object({ current: list(z.string()) });

export const PrivacyCustomerPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: optId, email: str, phone: str }),
  orders_requested: z.array(id).nullish(),
  orders_to_redact: z.array(id).nullish(),
  // Kept as Shopify sent it (a JSON value of the audit row); a bigint only as text.
  data_request: z
    .object({ id: z.union([z.bigint(), z.number(), z.string()]).transform((v) => (typeof v === "bigint" ? v.toString() : v)) })
    .nullish(),
});
export const ShopRedactPayload = z.object({ shop_domain: z.string() });
