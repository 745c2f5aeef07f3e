import { z } from "zod";
import { DiscountOffer, LineItem, RecommendedProduct } from "./email-context";

/**
 * Message.payload for an email, written by whoever enqueues the message (the journey
 * runner) and read by the dispatcher. Only what is specific to this send goes here:
 * the shop (name, branding, postal address) and the customer (name, consent) are read
 * fresh at send time, and unsubscribe/tracking links are made by the dispatcher.
 */
export const EmailPayload = z.object({
  /** Flow catalogue key, used as utm_campaign (else the Flow row's key, else the template key). */
  flowKey: z.string().max(100).optional(),
  /** Preference-center topic; a customer who opted out of it is not sent the message. */
  topic: z.string().max(64).optional(),
  /** Cart/checkout/order lines or viewed products. */
  items: z.array(LineItem).max(50).optional(),
  /** Link back to the cart or checkout (Shopify's abandoned_checkout_url). */
  recoveryUrl: z.string().max(2000).optional(),
  reviewUrl: z.string().max(2000).optional(),
  /** Double opt-in link; made by the dispatcher (confirmOptInUrl) when absent. */
  confirmUrl: z.string().max(2000).optional(),
  viewInBrowser: z.string().max(2000).optional(),
  discount: DiscountOffer.nullish(),
  recommendations: z.array(RecommendedProduct).max(12).optional(),
  currency: z.string().length(3).optional(),
  /** Names for a message without a profile (a merchant's test email). */
  customer: z.object({ firstName: z.string().max(255).optional(), lastName: z.string().max(255).optional() }).optional(),
});
export type EmailPayload = z.infer<typeof EmailPayload>;

export function parseEmailPayload(raw: unknown): EmailPayload {
  return EmailPayload.parse(raw ?? {});
}
