import { z } from "zod";

// Shopify's REST webhook payloads, as far as the app reads them. Unknown fields are
// ignored (Shopify adds fields without notice); the ones read are checked.

const id = z.union([z.number(), z.string().regex(/^\d+$/)]).transform((v) => BigInt(v));
const optId = id.nullish();
const money = z.union([z.string(), z.number()]).transform((v) => String(v));
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

export const EmailConsent = z.object({ state: z.string(), opt_in_level: str, consent_updated_at: optDate }).nullish();
export const SmsConsent = z
  .object({ state: z.string(), opt_in_level: str, consent_updated_at: optDate, consent_collected_from: str })
  .nullish();

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
  title: z.string().default(""),
  quantity: z.number().int(),
  price: money,
});

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
  discount_codes: z.array(z.object({ code: z.string() })).default([]),
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
  line_items: z.array(LineItem).default([]),
  billing_address: z.object({ country_code: str }).nullish(),
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
  line_items: z.array(LineItem.passthrough()).default([]),
  abandoned_checkout_url: str,
  completed_at: optDate,
  created_at: optDate,
  updated_at: optDate,
  billing_address: z.object({ country_code: str }).nullish(),
});

export const CartPayload = z.object({
  token: z.string(),
  line_items: z.array(LineItem.partial({ price: true }).passthrough()).default([]),
  updated_at: optDate,
  created_at: optDate,
});

export const ProductPayload = z.object({
  id,
  title: z.string(),
  handle: z.string(),
  status: z.string().default("active"),
  vendor: str,
  product_type: str,
  tags,
  updated_at: optDate,
  image: z.object({ src: z.string() }).nullish(),
  images: z.array(z.object({ src: z.string() })).default([]),
  variants: z
    .array(z.object({ id, title: z.string().default(""), price: money, sku: str, inventory_quantity: z.number().nullish() }))
    .default([]),
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

export const ScopesUpdatePayload = z.object({ current: z.array(z.string()).default([]) });

export const PrivacyCustomerPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: optId, email: str, phone: str }),
  orders_requested: z.array(z.union([z.number(), z.string()])).nullish(),
  orders_to_redact: z.array(z.union([z.number(), z.string()])).nullish(),
  data_request: z.object({ id: z.union([z.number(), z.string()]) }).nullish(),
});
export const ShopRedactPayload = z.object({ shop_domain: z.string() });
