/**
 * The standard events FlowMate ingests. Kept deliberately narrow: every extra
 * subscription costs shopper bandwidth and server storage, and these cover
 * browse-abandonment, cart-abandonment, checkout-abandonment and attribution.
 */
export const SUBSCRIBED_EVENTS = [
  "page_viewed",
  "product_viewed",
  "collection_viewed",
  "search_submitted",
  "product_added_to_cart",
  "product_removed_from_cart",
  "cart_viewed",
  "checkout_started",
  "checkout_contact_info_submitted",
  "checkout_completed",
] as const;

export type SubscribedEventName = (typeof SUBSCRIBED_EVENTS)[number];

/**
 * Sent without waiting for the batch window. A storefront navigation tears the
 * sandbox down, so anything still buffered is lost; these events drive flows
 * (browse, cart and checkout abandonment, attribution), so they cannot wait.
 * Only page views, collection views and searches are batched.
 */
const IMMEDIATE_EVENTS: ReadonlySet<string> = new Set<SubscribedEventName>([
  "product_viewed",
  "product_added_to_cart",
  "product_removed_from_cart",
  "cart_viewed",
  "checkout_started",
  "checkout_contact_info_submitted",
  "checkout_completed",
]);

export function isImmediateEvent(name: string): boolean {
  return IMMEDIATE_EVENTS.has(name);
}
