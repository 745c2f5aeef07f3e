// Every webhook topic the app subscribes to. shopify.app.toml, the route files under
// app/routes/webhooks.* and this list are kept equal by tests/webhooks/toml.test.ts.
export const WEBHOOK_TOPICS = [
  "app/uninstalled",
  "app/scopes_update",
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "refunds/create",
  "checkouts/create",
  "checkouts/update",
  "carts/create",
  "carts/update",
  "customers/create",
  "customers/update",
  "customers/delete",
  "customers_email_marketing_consent/update",
  "customers_marketing_consent/update",
  "products/create",
  "products/update",
  "products/delete",
  "fulfillments/create",
  "fulfillments/update",
] as const;

// Mandatory privacy webhooks (declared as compliance_topics in the toml).
export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number] | (typeof COMPLIANCE_TOPICS)[number];

/**
 * Whether a delivery for this shop is stored at all. After app/uninstalled only the
 * privacy topics are: they erase data we still hold (customers/redact, shop/redact)
 * or answer for it (customers/data_request). Everything else, and anything for a shop
 * the app does not know (never installed, or already erased), is acknowledged and dropped.
 */
export function keepsDeliveries(topic: string, shop: { installState: string } | null): boolean {
  if (!shop) return false;
  return shop.installState === "installed" || (COMPLIANCE_TOPICS as readonly string[]).includes(topic);
}

/** "ORDERS_CREATE" (header of some API versions) and "orders/create" name the same topic. */
export function normalizeTopic(raw: string): string {
  const t = raw.trim();
  if (t.includes("/")) return t.toLowerCase();
  const all: readonly string[] = [...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS];
  return all.find((x) => x.replace("/", "_").toUpperCase() === t.toUpperCase()) ?? t.toLowerCase();
}

export function webhookPath(topic: string): string {
  return `/webhooks/${topic}`;
}
