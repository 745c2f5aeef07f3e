import { z } from "zod";
import { MessageContent } from "./message-content";
import { DiscountOffer, LineItem, RecommendedProduct } from "./email-context";

const url = z.string().max(2000).nullish();

/** A code to create at send time (the journey's create_discount), by idempotency key. */
export const DiscountRequest = z.object({
  idempotencyKey: z.string().min(1).max(200),
  kind: z.enum(["percentage", "fixed_amount"]).nullish(),
  value: z.number().nullish(),
  expiresInHours: z.number().nullish(),
  prefix: z.string().max(32).nullish(),
});
export type DiscountRequest = z.infer<typeof DiscountRequest>;

/**
 * Message.payload for an email, written by whoever enqueues the message (the journey
 * runner) and read by the dispatcher. Everything is optional: the shop (name, branding,
 * postal address) and the customer (name, consent) are read fresh at send time, links
 * are made by the dispatcher, and missing lines, recovery link or recommendations are
 * looked up from `trigger` (the enrolling event's data: checkout token, lines, product).
 */
export const EmailPayload = z.object({
  /** Flow catalogue key, used as utm_campaign (else the Flow row's key, else the template key). */
  flowKey: z.string().max(100).nullish(),
  /** The flow step's subject line (Liquid, e.g. an A/B variant's), rendered instead of the template's. */
  subject: z.string().max(200).nullish(),
  /** The flow step's own content (message editor), both locales; the recipient's is rendered. */
  content: MessageContent.nullish(),
  /** Preference-center topic; a customer who opted out of it is not sent the message. */
  topic: z.string().max(64).nullish(),
  /** The trigger event's data (token, lines, productId, orderId...), as the journey stored it. */
  trigger: z.record(z.string(), z.unknown()).nullish(),
  /** Cart/checkout/order lines or viewed products. */
  items: z.array(LineItem).max(50).nullish(),
  /** Link back to the cart or checkout (Shopify's abandoned_checkout_url). */
  recoveryUrl: url,
  reviewUrl: url,
  /** Double opt-in link; made by the dispatcher (confirmOptInUrl) when absent. */
  confirmUrl: url,
  viewInBrowser: url,
  /** A ready code, or a request to create one at send time. */
  discount: z.union([DiscountOffer, DiscountRequest]).nullish(),
  recommendations: z.array(RecommendedProduct).max(12).nullish(),
  currency: z.string().length(3).nullish(),
  /** Names for a message without a profile (a merchant's test email). */
  customer: z.object({ firstName: z.string().max(255).nullish(), lastName: z.string().max(255).nullish() }).nullish(),
});
export type EmailPayload = z.infer<typeof EmailPayload>;

export function parseEmailPayload(raw: unknown): EmailPayload {
  return EmailPayload.parse(raw ?? {});
}

export function isDiscountRequest(d: EmailPayload["discount"]): d is DiscountRequest {
  return Boolean(d && "idempotencyKey" in d);
}
