import type { Customer, Prisma, Shop } from "@prisma/client";
import { parseConsentState, parseOptInLevel } from "~/domain/consent/consent";
import type { CustomerPayload } from "~/domain/capture/shopify-payloads";
import { applyConsent } from "../../profiles/consent.server";
import { resolveProfile, type Tx } from "../../profiles/identity.server";

type ShopifyCustomer = Partial<CustomerPayload> & { id: bigint };

/** Mirrors a Shopify customer (from a customer, order or checkout payload) onto our profile. */
export async function syncShopifyCustomer(tx: Tx, shop: Shop, c: ShopifyCustomer, at: Date, source: string): Promise<Customer> {
  const country = c.default_address?.country_code ?? null;
  let profile = await resolveProfile(
    tx,
    shop.id,
    { shopifyCustomerId: c.id, email: c.email, phone: c.phone },
    { create: true, at, defaultCountry: country },
  );
  if (!profile) throw new Error("a Shopify customer always resolves to a profile");
  const data: Prisma.CustomerUpdateInput = {};
  if (c.first_name != null) data.firstName = c.first_name;
  if (c.last_name != null) data.lastName = c.last_name;
  if (c.locale != null) data.locale = c.locale;
  if (country) data.countryCode = country;
  if (c.tags) data.tags = c.tags;
  if (Object.keys(data).length) profile = await tx.customer.update({ where: { id: profile.id }, data });

  const email = c.email_marketing_consent;
  const emailState = parseConsentState(email?.state);
  if (email && emailState) {
    await applyConsent(tx, profile, {
      channel: "email",
      state: emailState,
      optInLevel: parseOptInLevel(email.opt_in_level),
      at: email.consent_updated_at ?? null,
      receivedAt: at,
      source,
    });
    profile = await tx.customer.findUniqueOrThrow({ where: { id: profile.id } });
  }
  const sms = c.sms_marketing_consent;
  const smsState = parseConsentState(sms?.state);
  if (sms && smsState) {
    await applyConsent(tx, profile, {
      channel: "sms",
      state: smsState,
      optInLevel: parseOptInLevel(sms.opt_in_level),
      at: sms.consent_updated_at ?? null,
      receivedAt: at,
      source: sms.consent_collected_from ? `${source}:${sms.consent_collected_from.toLowerCase()}` : source,
    });
    profile = await tx.customer.findUniqueOrThrow({ where: { id: profile.id } });
  }
  return profile;
}

/** One event per fact, whatever the delivery order: the dedupe key is the fact itself. */
export async function recordWebhookEvent(
  tx: Tx,
  shopId: string,
  e: { name: string; sourceId: string; customerId: string | null; occurredAt: Date; data?: Prisma.InputJsonValue },
): Promise<void> {
  await tx.event.createMany({
    data: [
      { shopId, name: e.name, source: "webhook", sourceId: e.sourceId, customerId: e.customerId, occurredAt: e.occurredAt, data: e.data },
    ],
    skipDuplicates: true,
  });
}
