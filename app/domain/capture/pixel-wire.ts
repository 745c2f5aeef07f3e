import { z } from "zod";
import { SUBSCRIBED_EVENTS } from "../../../extensions/web-pixel/src/events";

// The Web Pixel's wire format (extensions/web-pixel/src/wire.ts), validated here.
export const MAX_PIXEL_BODY_BYTES = 64 * 1024;
export const MAX_PIXEL_EVENTS = 100;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 timestamp");

export const PixelEvent = z.object({
  id: z.string().min(1).max(128),
  name: z.enum(SUBSCRIBED_EVENTS),
  timestamp: isoDate,
  clientId: z.string().min(1).max(128),
  seq: z.number().int().nonnegative().optional(),
  context: z
    .object({
      url: z.string().max(4096),
      referrer: z.string().max(4096),
      title: z.string().max(1024),
      language: z.string().max(64),
    })
    .partial()
    .optional(),
  data: z.unknown(),
});
export type PixelEvent = z.infer<typeof PixelEvent>;

export const PixelBatch = z.object({
  shop: z
    .string()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a *.myshopify.com domain"),
  v: z.literal(1),
  events: z.array(PixelEvent).min(1).max(MAX_PIXEL_EVENTS),
});
export type PixelBatch = z.infer<typeof PixelBatch>;

/** Storefront events no flow reacts to: stored already routed (see Event.routedAt). */
export const UNROUTED_EVENTS = new Set<string>(["page_viewed", "collection_viewed", "search_submitted"]);

/** Events that carry who the shopper is (checkout contact details, a completed order). */
export const IDENTIFYING_EVENTS = new Set<string>(["checkout_contact_info_submitted", "checkout_completed"]);

interface CheckoutLike {
  email?: unknown;
  phone?: unknown;
  token?: unknown;
  order?: { id?: unknown; customer?: { id?: unknown } | null } | null;
  shippingAddress?: { countryCode?: unknown } | null;
  billingAddress?: { countryCode?: unknown } | null;
}

/** Who the shopper is, as far as a checkout event tells. */
export function identityFromEvent(e: PixelEvent): {
  email: string | null;
  phone: string | null;
  shopifyCustomerId: unknown;
  countryCode: string | null;
} | null {
  if (!IDENTIFYING_EVENTS.has(e.name)) return null;
  const checkout = (e.data as { checkout?: CheckoutLike } | null)?.checkout;
  if (!checkout || typeof checkout !== "object") return null;
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v : null);
  const country = str(checkout.shippingAddress?.countryCode) ?? str(checkout.billingAddress?.countryCode);
  return {
    email: str(checkout.email),
    phone: str(checkout.phone),
    shopifyCustomerId: checkout.order?.customer?.id ?? null,
    countryCode: country,
  };
}
