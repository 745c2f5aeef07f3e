import type { Channel, CustomerFacts, EpochMs, Purpose } from "./types";

/**
 * Why a channel may not be used. `reason` is the decision-log reason code; `cause`
 * says precisely what failed (in the decision details).
 */
export type ConsentBlock =
  | { reason: "no_address"; cause: "no_email" | "no_phone" | "invalid" | "redacted" }
  | { reason: "suppressed"; cause: string }
  // cause: the stored consent state (not_subscribed, unsubscribed, pending, redacted, invalid, ...), paused or topic_unsubscribed.
  | { reason: "no_consent"; cause: string };

/**
 * The consent rules, per channel and purpose:
 * - marketing email: an address, emailConsentState `subscribed` (pending = not yet),
 *   no suppression, not paused (marketingPausedUntil in the future), the message's
 *   topic not in unsubscribedTopics;
 * - marketing SMS: the same with smsConsentState and a phone number;
 * - transactional: an address that is not redacted/invalid and not suppressed by a
 *   bounce/complaint/manual block (a `sunset` suppression stops marketing only).
 * Returns null when the channel may be used.
 */
export function consentBlock(
  customer: CustomerFacts,
  channel: Channel,
  purpose: Purpose,
  topic: string | null | undefined,
  now: EpochMs,
): ConsentBlock | null {
  const facts = customer[channel];
  if (!facts.address) return { reason: "no_address", cause: channel === "email" ? "no_email" : "no_phone" };
  if (purpose === "transactional") {
    if (facts.consent === "redacted" || facts.consent === "invalid") return { reason: "no_address", cause: facts.consent };
    if (facts.suppressed && facts.suppressed !== "sunset") return { reason: "suppressed", cause: facts.suppressed };
    return null;
  }
  if (facts.consent !== "subscribed") return { reason: "no_consent", cause: facts.consent };
  if (facts.suppressed) return { reason: "suppressed", cause: facts.suppressed };
  if (customer.marketingPausedUntil !== null && customer.marketingPausedUntil > now) return { reason: "no_consent", cause: "paused" };
  if (topic && customer.unsubscribedTopics.includes(topic)) return { reason: "no_consent", cause: "topic_unsubscribed" };
  return null;
}

/** Marketing consent at entry: `any` = email or SMS. */
export function hasMarketingConsent(
  customer: CustomerFacts,
  need: "email" | "sms" | "any" | "none",
  now: EpochMs,
  topic?: string | null,
): boolean {
  if (need === "none") return true;
  if (need === "any")
    return !consentBlock(customer, "email", "marketing", topic, now) || !consentBlock(customer, "sms", "marketing", topic, now);
  return !consentBlock(customer, need, "marketing", topic, now);
}
