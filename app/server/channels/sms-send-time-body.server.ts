import { DiscountOffer } from "~/domain/messages/email-context";
import { discountView } from "~/domain/messages/email-view";
import { deferredSmsPayload } from "~/domain/messages/sms-payload";
import { smsLanguage } from "~/domain/sms/estimate";
import type { LoadedMessage } from "./dispatch-email.server";
import { renderSmsContent } from "./email/content-template.server";
import { DiscountUnavailableError, resolveDiscount } from "./email/resolve-discount.server";

/**
 * The text of an SMS that carries a discount code, rendered at send time: the code is
 * resolved first, as an email's is (created at Shopify once per idempotency key, so a
 * dispatch run twice or a retry prints the same code). Null for an SMS whose text was
 * rendered when its step ran. Throws TemplateError (never sent), DiscountUnavailableError
 * (later), or a ZodError for a payload it cannot read.
 */
export async function smsBodyAtSendTime(m: LoadedMessage, at: Date): Promise<string | null> {
  const deferred = deferredSmsPayload(m.payload);
  if (!deferred) return null;
  const { text, scope } = deferred.bodyTemplate;
  // Content first, as for an email: a text that does not render creates no code at Shopify.
  renderSmsContent(text, { ...scope, discount: { code: "", kind: "", valueLabel: "", expiresLabel: "" } });
  const offer = await resolveDiscount(m, { flowKey: deferred.flowKey, discount: deferred.discount }, at);
  if (!offer) throw new DiscountUnavailableError(`Message ${m.id} has no discount to print`);
  const language = smsLanguage(m.locale);
  const discount = discountView(DiscountOffer.parse(offer), m.shop.currency, language);
  return renderSmsContent(text, { ...scope, discount });
}
