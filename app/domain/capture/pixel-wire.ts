import { z } from "zod";
import type { JsonBounds } from "../shared/json-bounds";
import { SUBSCRIBED_EVENTS } from "../../../extensions/web-pixel/src/events";

// The Web Pixel's wire format (extensions/web-pixel/src/wire.ts), validated here.
export const MAX_PIXEL_BODY_BYTES = 64 * 1024;
export const MAX_PIXEL_EVENTS = 100;
/**
 * A checkout event's data is about 8 levels deep. A 64 KB body holds at most ~32k
 * values; real batches hold far fewer than 20k (about 10 bytes a value).
 */
export const PIXEL_JSON_BOUNDS: JsonBounds = { maxDepth: 32, maxNodes: 20_000 };

const ID_MAX = 128;
const CONTEXT_MAX = { url: 4096, referrer: 4096, title: 1024, language: 64 } as const;
const CONTEXT_FIELDS = Object.keys(CONTEXT_MAX) as (keyof typeof CONTEXT_MAX)[];

const EventShape = z.object({
  id: z.string(),
  name: z.enum(SUBSCRIBED_EVENTS),
  timestamp: z.string(),
  clientId: z.string(),
  seq: z.number().optional(),
  context: z.object({ url: z.string(), referrer: z.string(), title: z.string(), language: z.string() }).partial().optional(),
  data: z.unknown(),
});

/**
 * The limits of one event's fields, checked in one pass. zod runs every .min(), .max()
 * and .refine() as a check of its own, and this schema validates up to 100 events per
 * request on the storefront's hot path: per-field checks were two thirds of its cost.
 * Issues carry the field's path, as per-field checks would.
 */
export const PixelEvent = EventShape.check((ctx) => {
  // A field of the wrong type is reported already; the limits need the types right.
  if (ctx.issues.length > 0) return;
  const e = ctx.value;
  if (e.id.length < 1 || e.id.length > ID_MAX) ctx.issues.push(limitIssue(e, ["id"], `must be 1 to ${ID_MAX} characters`));
  if (e.clientId.length < 1 || e.clientId.length > ID_MAX)
    ctx.issues.push(limitIssue(e, ["clientId"], `must be 1 to ${ID_MAX} characters`));
  if (Number.isNaN(Date.parse(e.timestamp))) ctx.issues.push(limitIssue(e, ["timestamp"], "must be an ISO 8601 timestamp"));
  if (e.seq !== undefined && !(Number.isInteger(e.seq) && e.seq >= 0))
    ctx.issues.push(limitIssue(e, ["seq"], "must be a whole number, 0 or more"));
  if (e.context) {
    for (const field of CONTEXT_FIELDS) {
      if ((e.context[field]?.length ?? 0) > CONTEXT_MAX[field])
        ctx.issues.push(limitIssue(e, ["context", field], `must be at most ${CONTEXT_MAX[field]} characters`));
    }
  }
});

function limitIssue(input: unknown, path: string[], message: string) {
  return { code: "custom" as const, message, input, path };
}

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
