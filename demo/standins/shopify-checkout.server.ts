import crypto from "node:crypto";
import { stringify } from "lossless-json";
import { readEnv, shopifyCredentials } from "~/server/config.server";
import { createPixelPayloads } from "../storefront/client/payloads";
import { loadStorefront, type Storefront } from "../storefront/catalog.server";
import { DEMO_SHOP } from "../seed/demo-shop";
import { findStandinCustomerByEmail, upsertStandinCustomer, type StandinCustomer } from "./admin-api.server";

// What Shopify does when a shopper gives their contact details at checkout, for the
// storefront simulator: the checkout's customer is created (or found by email), a
// ticked "email me" / "text me" box subscribes them, and Shopify tells the app through
// its webhooks: customers/create (or customers/update), the consent topics, then
// checkouts/create (or checkouts/update). Each is signed with the app's secret and
// POSTed to the app's own /webhooks/<topic>, so the demo's new shopper reaches the app
// exactly as a real one would, and the Admin API stand-in knows the customer the
// app later writes consent back to.

export interface CheckoutContact {
  token: string;
  email: string;
  phone: string | null;
  acceptsEmail: boolean;
  acceptsSms: boolean;
  firstName: string | null;
  lastName: string | null;
  lang: string;
  lines: { variantId: string; quantity: number }[];
}

export interface CheckoutWebhooks {
  customerGid: string;
  /** The topics sent, in order. */
  topics: string[];
}

const g = globalThis as unknown as { __flowmateStandinCheckouts?: Set<string> };
const seenCheckouts = () => (g.__flowmateStandinCheckouts ??= new Set());

/** Plays Shopify for one submitted checkout contact step, sending its webhooks to `appOrigin`. */
export async function submitCheckoutContact(contact: CheckoutContact, appOrigin: string, at: Date): Promise<CheckoutWebhooks> {
  const storefront = await loadStorefront();
  if (!storefront) throw new Error("the demo shop is not seeded");
  const before = findStandinCustomerByEmail(contact.email);
  const stamp = at.toISOString();
  const customer = upsertStandinCustomer({
    email: contact.email,
    phone: contact.phone,
    firstName: contact.firstName,
    lastName: contact.lastName,
    locale: contact.lang,
    // Ticking a box subscribes; leaving it unticked never unsubscribes (Shopify's checkout).
    subscribeEmail: contact.acceptsEmail,
    subscribeSms: contact.acceptsSms && !!contact.phone,
    at: stamp,
  });
  const deliveries: [string, unknown][] = [];
  const rest = restCustomer(customer);
  if (!before) deliveries.push(["customers/create", rest]);
  else if (JSON.stringify(before) !== JSON.stringify(customer)) deliveries.push(["customers/update", rest]);
  if (before?.emailMarketingConsent.marketingState !== customer.emailMarketingConsent.marketingState) {
    deliveries.push([
      "customers_email_marketing_consent/update",
      { customer_id: rest.id, email_address: customer.email, email_marketing_consent: rest.email_marketing_consent },
    ]);
  }
  if (customer.smsMarketingConsent && before?.smsMarketingConsent?.marketingState !== customer.smsMarketingConsent.marketingState) {
    deliveries.push([
      "customers_marketing_consent/update",
      { id: rest.id, phone: customer.phone, sms_marketing_consent: rest.sms_marketing_consent },
    ]);
  }
  const firstTime = !seenCheckouts().has(contact.token);
  seenCheckouts().add(contact.token);
  deliveries.push([firstTime ? "checkouts/create" : "checkouts/update", restCheckout(contact, rest, storefront, stamp)]);

  for (const [topic, payload] of deliveries) await sendWebhook(appOrigin, topic, payload);
  return { customerGid: customer.id, topics: deliveries.map(([t]) => t) };
}

/** The customer as Shopify's REST webhooks carry it; the id as a JSON number with all its digits. */
function restCustomer(c: StandinCustomer) {
  const id = BigInt(c.id.slice(c.id.lastIndexOf("/") + 1));
  const email = c.emailMarketingConsent;
  const sms = c.smsMarketingConsent;
  return {
    id,
    email: c.email,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    first_name: c.firstName,
    last_name: c.lastName,
    state: "disabled",
    note: null,
    verified_email: false,
    multipass_identifier: null,
    tax_exempt: false,
    phone: c.phone,
    currency: DEMO_SHOP.currencyCode,
    locale: c.locale,
    tags: c.tags.join(", "),
    addresses: [],
    tax_exemptions: [],
    email_marketing_consent: {
      state: email.marketingState.toLowerCase(),
      opt_in_level: email.marketingOptInLevel?.toLowerCase() ?? null,
      consent_updated_at: email.consentUpdatedAt,
    },
    sms_marketing_consent: sms
      ? {
          state: sms.marketingState.toLowerCase(),
          opt_in_level: sms.marketingOptInLevel.toLowerCase(),
          consent_updated_at: sms.consentUpdatedAt,
          consent_collected_from: "SHOPIFY",
        }
      : null,
    admin_graphql_api_id: c.id,
    default_address: { country_code: DEMO_SHOP.billingAddress.countryCodeV2 },
  };
}

function restCheckout(contact: CheckoutContact, customer: ReturnType<typeof restCustomer>, storefront: Storefront, at: string) {
  const byVariant = new Map(storefront.products.map((p) => [p.variantId, p]));
  const lines = contact.lines.flatMap((l) => {
    const product = byVariant.get(l.variantId);
    return product && l.quantity > 0 ? [{ product, quantity: l.quantity }] : [];
  });
  const totals = createPixelPayloads({
    currency: storefront.shop.currency,
    countryCode: storefront.shop.countryCode,
    origin: "",
    lang: contact.lang,
  }).totals(lines);
  const amount = (n: number) => n.toFixed(2);
  return {
    token: contact.token,
    cart_token: null,
    email: contact.email,
    phone: contact.phone,
    buyer_accepts_marketing: contact.acceptsEmail,
    buyer_accepts_sms: contact.acceptsSms,
    created_at: at,
    updated_at: at,
    completed_at: null,
    currency: storefront.shop.currency,
    presentment_currency: storefront.shop.currency,
    customer_locale: contact.lang,
    line_items: lines.map(({ product, quantity }) => ({
      product_id: BigInt(product.id),
      variant_id: BigInt(product.variantId),
      title: product.title,
      variant_title: product.variantTitle,
      sku: product.sku,
      quantity,
      price: product.price,
      line_price: amount(Number(product.price) * quantity),
    })),
    subtotal_price: amount(totals.subtotal),
    total_tax: amount(totals.tax),
    taxes_included: true,
    total_price: amount(totals.total),
    // Shopify's recovery link: the shop's checkout URL with the token and a secret key.
    abandoned_checkout_url: `https://${storefront.shop.domain}/checkouts/${contact.token}/recover?key=${crypto.randomBytes(16).toString("hex")}`,
    customer,
    billing_address: { country_code: storefront.shop.countryCode },
  };
}

/** One delivery as Shopify sends it: its headers, an HMAC of the exact body with the app's secret. */
async function sendWebhook(appOrigin: string, topic: string, payload: unknown): Promise<void> {
  const body = stringify(payload) ?? "null";
  const secret = shopifyCredentials(readEnv()).apiSecretKey;
  const res = await fetch(`${appOrigin}/webhooks/${topic}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": DEMO_SHOP.domain,
      "x-shopify-hmac-sha256": crypto.createHmac("sha256", secret).update(body).digest("base64"),
      "x-shopify-webhook-id": crypto.randomUUID(),
      "x-shopify-event-id": crypto.randomUUID(),
      "x-shopify-api-version": "2026-10",
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });
  if (res.status !== 200) throw new Error(`the app answered ${res.status} to ${topic}: ${await res.text()}`);
}
