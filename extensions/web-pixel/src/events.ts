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
 * Checkout events are sent without waiting for the batch window: the shopper
 * often navigates (or closes the tab) right after them, which tears down the
 * sandbox and would lose anything still buffered. They also drive the
 * time-sensitive flows (abandoned checkout, order attribution).
 */
const IMMEDIATE_EVENTS: ReadonlySet<string> = new Set<SubscribedEventName>([
  "checkout_started",
  "checkout_contact_info_submitted",
  "checkout_completed",
]);

export function isImmediateEvent(name: string): boolean {
  return IMMEDIATE_EVENTS.has(name);
}
