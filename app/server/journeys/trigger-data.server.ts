import type { TriggerPayload } from "~/domain/journey";
import type { EventRow } from "../db/sql/events.server";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const num = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * What flows read from an event (trigger.* and event.* in conditions): webhook events
 * already store that shape; pixel events carry Shopify's standard event `data`, which
 * is mapped here to the same vocabulary (value, currency, lines, token, productId...).
 */
export function eventData(e: EventRow): Obj {
  const stored = obj(e.data);
  if (e.source !== "pixel") return stored;
  const d = obj(stored.data);
  switch (e.name) {
    case "product_viewed": {
      const v = obj(d.productVariant);
      const p = obj(v.product);
      return {
        productId: p.id ?? null,
        productTitle: p.title ?? null,
        variantId: v.id ?? null,
        price: num(obj(v.price).amount),
        url: obj(stored.context).url ?? null,
        imageUrl: obj(v.image).src ?? null,
      };
    }
    case "product_added_to_cart":
    case "product_removed_from_cart": {
      const line = obj(d.cartLine);
      const m = obj(line.merchandise);
      const p = obj(m.product);
      const price = num(obj(m.price).amount);
      const quantity = num(line.quantity) ?? 1;
      return {
        productId: p.id ?? null,
        productTitle: p.title ?? null,
        variantId: m.id ?? null,
        quantity,
        value: num(obj(line.cost).totalAmount && obj(obj(line.cost).totalAmount).amount) ?? (price !== null ? price * quantity : null),
        currency: obj(m.price).currencyCode ?? null,
        lines: [{ productId: p.id ?? null, variantId: m.id ?? null, title: p.title ?? null, quantity, price }],
      };
    }
    case "checkout_started":
    case "checkout_contact_info_submitted":
    case "checkout_completed": {
      const c = obj(d.checkout);
      const lines = Array.isArray(c.lineItems) ? (c.lineItems as Obj[]) : [];
      return {
        token: c.token ?? null,
        value: num(obj(c.totalPrice).amount),
        currency: c.currencyCode ?? null,
        completed: e.name === "checkout_completed",
        orderId: obj(c.order).id ?? null,
        lines: lines.map((l) => {
          const v = obj(l.variant);
          return {
            productId: obj(v.product).id ?? null,
            variantId: v.id ?? null,
            title: l.title ?? null,
            quantity: num(l.quantity) ?? 1,
            price: num(obj(v.price).amount),
          };
        }),
      };
    }
    default:
      return d;
  }
}

export function triggerOf(e: EventRow): TriggerPayload {
  return { type: "event", event: e.name, sourceId: `${e.source}:${e.sourceId}`, at: e.occurredAt.getTime(), data: eventData(e) };
}
