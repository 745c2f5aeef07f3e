import type { Customer, Shop } from "@prisma/client";
import crypto from "node:crypto";
import { normalizeEmail, normalizePhone } from "~/domain/identity/normalize";
import type { Locale } from "~/i18n";
import type { ComplianceKey } from "~/i18n/compliance";
import { db } from "../db/client.server";
import { resolveProfile, type Tx } from "../profiles/identity.server";
import { lockLiveCustomer } from "../profiles/customer-lock.server";
import { grantConsent, markConsentPending } from "./consent-changes.server";
import { trySyncConsentNow } from "./consent-sync.server";
import { enqueueOptInConfirmation } from "./double-optin.server";

export interface SignupInput {
  email: string;
  phone?: string;
  emailConsent: boolean;
  smsConsent: boolean;
  source: string;
  locale: Locale;
  clientId?: string;
}

export type SignupOutcome =
  | { ok: true; status: "subscribed" | "pending_confirmation"; customerId: string }
  | { ok: false; field: "email" | "phone"; error: ComplianceKey };

/** The shop's country, for phone numbers typed without a prefix. */
export function shopCountry(shop: Pick<Shop, "postalAddress">): string | null {
  const a = shop.postalAddress as { countryCodeV2?: unknown; country_code?: unknown } | null;
  const c = a?.countryCodeV2 ?? a?.country_code;
  return typeof c === "string" && /^[A-Z]{2}$/i.test(c) ? c.toUpperCase() : null;
}

/**
 * The visitor's device is stitched to the profile only when it does not already
 * belong to someone with another email address (a shared family laptop must not
 * move one person's consent onto another's profile).
 */
async function stitchableClientId(tx: Tx, shopId: string, clientId: string | undefined, email: string): Promise<string | null> {
  if (!clientId) return null;
  const link = await tx.clientIdentity.findUnique({
    where: { shopId_clientId: { shopId, clientId } },
    include: { customer: { select: { email: true } } },
  });
  return !link?.customer?.email || link.customer.email === email ? clientId : null;
}

async function profileFor(
  tx: Tx,
  shop: Shop,
  email: string,
  phone: string | null,
  clientId: string | undefined,
  at: Date,
): Promise<Customer> {
  const defaultCountry = shopCountry(shop);
  const stitched = await stitchableClientId(tx, shop.id, clientId, email);
  let customer = await resolveProfile(tx, shop.id, { email, phone, clientId: stitched }, { create: true, at, defaultCountry });
  // Consent is for the address typed into the form, never for another one the matched profile holds.
  if (!customer || customer.email !== email) customer = await resolveProfile(tx, shop.id, { email }, { create: true, at, defaultCountry });
  if (!customer) throw new Error("signup: no profile could be created");
  return customer;
}

/**
 * A storefront signup: stores the profile, records form_submitted, and sets consent.
 * Email: subscribed (single opt-in), or pending + a confirmation email when the shop
 * uses double opt-in. SMS: subscribed, single opt-in, only for a valid number.
 */
export async function subscribeFromForm(shop: Shop, input: SignupInput, at: Date): Promise<SignupOutcome> {
  const email = normalizeEmail(input.email);
  if (!email) return { ok: false, field: "email", error: "signup.error.email" };
  let phone: string | null = null;
  if (input.phone?.trim()) {
    phone = normalizePhone(input.phone, shopCountry(shop));
    if (!phone) return { ok: false, field: "phone", error: "signup.error.phone" };
  }
  if (input.smsConsent && !phone) return { ok: false, field: "phone", error: "signup.error.phoneRequired" };

  const result = await db().$transaction(async (tx) => {
    let customer = await profileFor(tx, shop, email, phone, input.clientId, at);
    if (!customer.locale) customer = await tx.customer.update({ where: { id: customer.id }, data: { locale: input.locale } });
    // Whether a confirmation email goes out is decided on the consent as it stands under
    // the row's lock, not as read before it (a concurrent change would be missed).
    customer = await lockLiveCustomer(tx, customer);
    await tx.event.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        clientId: input.clientId ?? null,
        name: "form_submitted",
        source: "form",
        sourceId: crypto.randomUUID(),
        occurredAt: at,
        data: { form: input.source, emailConsent: input.emailConsent, smsConsent: input.smsConsent },
      },
    });
    const ctx = { at, source: "form", evidence: { form: input.source } };
    let status: "subscribed" | "pending_confirmation" = "subscribed";
    let mirrored = false;
    if (input.emailConsent && customer.emailConsentState !== "subscribed") {
      if (shop.doubleOptIn) {
        await markConsentPending(tx, customer, ctx);
        await enqueueOptInConfirmation(tx, shop, customer, input.locale, at);
        status = "pending_confirmation";
      } else {
        mirrored = (await grantConsent(tx, customer, "email", "single_opt_in", ctx)) || mirrored;
      }
      customer = await tx.customer.findUniqueOrThrow({ where: { id: customer.id } });
    }
    // The number must be the profile's own: consent is for the number typed in.
    if (input.smsConsent && phone && customer.phone === phone) {
      mirrored = (await grantConsent(tx, customer, "sms", "single_opt_in", ctx)) || mirrored;
    }
    return { customerId: customer.id, status, mirrored };
  });
  if (result.mirrored) await trySyncConsentNow(shop.id, result.customerId);
  return { ok: true, status: result.status, customerId: result.customerId };
}
