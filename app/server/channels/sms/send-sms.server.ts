import type { Message } from "@prisma/client";
import { withOptOutFooter } from "~/domain/sms/opt-out";
import { nextSmsSendTime } from "~/domain/sms/quiet-hours";
import { now as clockNow } from "../../clock.server";
import { db } from "../../db/client.server";
import { log } from "../../log.server";
import { withdrawConsent } from "../../compliance/consent-changes.server";
import { trySyncConsentNow } from "../../compliance/consent-sync.server";
import { findLiveCustomer } from "../../compliance/customers.server";
import { marketingEligibility } from "../../compliance/eligibility.server";
import { PermanentSmsError, SmsSendError, TemporarySmsError } from "./errors";
import type { SmsProvider } from "./provider";
import { shopSmsSettings } from "./shop-settings.server";
import { shortenSmsLinks } from "./short-links.server";
import { shopSmsProvider } from "./shop-provider.server";
import { TWILIO_OPTED_OUT } from "./twilio.server";

export interface SendSmsOptions {
  provider?: SmsProvider;
  now?: Date;
}

/**
 * Sends one outbox SMS (channel "sms"); the dispatcher stores the returned provider
 * id. Every rule is re-checked here, at the last moment: SMS is opt-in only (any
 * purpose), marketing also honours pause, topics and suppression, and nothing goes
 * out outside 08:00-21:00 in the recipient's time zone (TemporarySmsError with
 * retryAt = the next allowed minute).
 *
 * The text is payload.body, rendered when the message was enqueued (one that carries a
 * discount code: by the dispatcher, once the code exists, just before this call), with its links
 * replaced by short tracked ones; marketing texts get the STOP line if they lack one.
 */
export async function sendSmsMessage(message: Message, opts: SendSmsOptions = {}): Promise<{ providerId: string }> {
  const at = opts.now ?? clockNow();
  if (message.channel !== "sms") throw new PermanentSmsError(`Message ${message.id} is not an SMS`, "wrong_channel");
  if (!message.customerId) throw new PermanentSmsError("SMS without a customer: consent cannot be checked", "unknown_customer");

  const customer = await findLiveCustomer(db(), message.shopId, message.customerId);
  if (!customer) throw new PermanentSmsError("Customer not found", "unknown_customer");
  if (customer.smsConsentState !== "subscribed") throw new PermanentSmsError(`No SMS consent (${customer.smsConsentState})`, "no_consent");
  // Consent belongs to the number it was given for.
  if (customer.phone !== message.toAddress)
    throw new PermanentSmsError("The customer's phone number changed since enqueueing", "address_changed");
  if (message.purpose !== "transactional") {
    const payload = (message.payload ?? {}) as { topic?: unknown };
    const e = await marketingEligibility(customer, "sms", at, { topic: typeof payload.topic === "string" ? payload.topic : null });
    if (!e.allowed) throw new PermanentSmsError(`Not eligible for marketing SMS (${e.reason})`, e.reason);
  }

  const shop = await db().shop.findUniqueOrThrow({ where: { id: message.shopId } });
  const sendAt = nextSmsSendTime(at, customer.timezone ?? shop.timezone);
  if (sendAt > at) throw new TemporarySmsError("Outside the SMS window in the recipient's time zone", "sms_window", { retryAt: sendAt });

  const raw = (message.payload as { body?: unknown } | null)?.body;
  if (typeof raw !== "string" || !raw.trim()) throw new PermanentSmsError("SMS payload has no body", "no_body");
  // Links go out as short tracked links: fewer billed segments, and clicks are counted.
  const short = shortenSmsLinks(raw, message.id);
  const body = message.purpose === "transactional" ? short : withOptOutFooter(short, message.locale);

  const sender = shopSmsSettings(shop);
  if (!sender.fromNumber && !sender.messagingServiceSid) throw new PermanentSmsError("The shop has no SMS sender number", "no_sender");
  const provider = opts.provider ?? (await shopSmsProvider(shop.id));
  // Not set up is final: a marketing text must not go out days later, when someone adds credentials.
  if (!provider) throw new PermanentSmsError("SMS is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)", "not_configured");

  try {
    const result = await provider.send({
      to: message.toAddress,
      body,
      from: sender.fromNumber,
      messagingServiceSid: sender.messagingServiceSid,
    });
    return { providerId: result.providerId };
  } catch (err) {
    if (err instanceof SmsSendError && err.code === String(TWILIO_OPTED_OUT))
      await recordCarrierOptOut(message.shopId, customer.id, message.id, at);
    throw err;
  }
}

/** The carrier says the number replied STOP (perhaps before we saw it): mirror that in the profile. */
async function recordCarrierOptOut(shopId: string, customerId: string, messageId: string, at: Date): Promise<void> {
  try {
    await db().$transaction(async (tx) => {
      const c = await findLiveCustomer(tx, shopId, customerId);
      if (c) await withdrawConsent(tx, c, "sms", { at, source: "sms_provider_opt_out", evidence: { messageId } });
    });
    await trySyncConsentNow(shopId, customerId);
  } catch (err) {
    log.warn("could not record the carrier's SMS opt-out", { shopId, err: String(err) });
  }
}
