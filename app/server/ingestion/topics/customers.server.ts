import { parseConsentState, parseOptInLevel } from "~/domain/consent/consent";
import { CustomerPayload, DeletePayload, EmailConsentPayload, SmsConsentPayload } from "~/domain/capture/shopify-payloads";
import { applyConsent } from "../../profiles/consent.server";
import { resolveProfile } from "../../profiles/identity.server";
import { recordWebhookEvent, syncShopifyCustomer } from "./customer-sync.server";
import { parsePayload } from "./parse";
import { redactProfile } from "./privacy.server";
import { UnusablePayload, type TopicContext } from "./types";

/**
 * The consent state a consent topic carries. Null when Shopify sends none (its own
 * sample of customers_marketing_consent/update has `state: null`): nothing to apply.
 * A state we do not know fails the delivery loudly rather than being dropped after a 200.
 */
function consentState(raw: string | null | undefined, field: string) {
  const state = parseConsentState(raw);
  if (raw != null && !state) throw new UnusablePayload("invalid_payload", `${field}: unknown consent state "${raw.slice(0, 40)}"`);
  return state;
}

/** customers/create, customers/update. */
export async function handleCustomer({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const c = parsePayload(CustomerPayload, payload);
  const profile = await syncShopifyCustomer(tx, shop, c, at, "shopify");
  await recordWebhookEvent(tx, shop.id, {
    name: "customer_created",
    sourceId: `customer:${c.id}`,
    customerId: profile.id,
    occurredAt: c.created_at ?? at,
  });
}

/** customers/delete: the merchant deleted the customer; we keep no personal data of theirs. */
export async function handleCustomerDelete({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const { id } = parsePayload(DeletePayload, payload);
  const profile = await tx.customer.findFirst({ where: { shopId: shop.id, shopifyCustomerId: id } });
  if (profile) await redactProfile(tx, shop, profile.id, at, "customers/delete");
}

/** customers_email_marketing_consent/update. */
export async function handleEmailConsent({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const p = parsePayload(EmailConsentPayload, payload);
  const state = consentState(p.email_marketing_consent?.state, "email_marketing_consent.state");
  if (!state) return;
  const profile = await resolveProfile(tx, shop.id, { shopifyCustomerId: p.customer_id, email: p.email_address }, { create: true, at });
  if (!profile) return;
  await applyConsent(tx, profile, {
    channel: "email",
    state,
    optInLevel: parseOptInLevel(p.email_marketing_consent?.opt_in_level),
    at: p.email_marketing_consent?.consent_updated_at ?? at,
    receivedAt: at,
    source: "shopify",
  });
}

/** customers_marketing_consent/update: SMS consent. */
export async function handleSmsConsent({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const p = parsePayload(SmsConsentPayload, payload);
  const state = consentState(p.sms_marketing_consent?.state, "sms_marketing_consent.state");
  if (!state) return;
  const profile = await resolveProfile(tx, shop.id, { shopifyCustomerId: p.id, phone: p.phone }, { create: true, at });
  if (!profile) return;
  const from = p.sms_marketing_consent?.consent_collected_from;
  await applyConsent(tx, profile, {
    channel: "sms",
    state,
    optInLevel: parseOptInLevel(p.sms_marketing_consent?.opt_in_level),
    at: p.sms_marketing_consent?.consent_updated_at ?? at,
    receivedAt: at,
    source: from ? `shopify:${from.toLowerCase()}` : "shopify",
  });
}
