import type { Product, Shop } from "@prisma/client";
import { EMAIL_CATALOGUE, isEmailTemplateKey, templateRequiresItems } from "~/domain/messages/catalogue";
import type { ChargedTotal, DiscountOffer, LineItem, RecommendedProduct } from "~/domain/messages/email-context";
import type { EmailPayload } from "~/domain/messages/email-payload";
import { shopLinkOrNull, shopLinkPolicy, shopProductUrl } from "~/domain/messages/shop-links";
import { shopifyNumericId } from "~/domain/identity/normalize";
import { db } from "../../db/client.server";

// Fills what the enqueuer did not capture, from the store's own data at send time:
// lines and the recovery link of the checkout, cart or order named by the trigger,
// product pictures and links, and recommendations from product affinities. Fresh data
// also means a recovery link Shopify re-issued after enqueueing is the one that goes out.
//
// The trigger is the enrolling event's data, and a storefront event is public input:
// anyone can post one with any title, price, picture or URL. So nothing the trigger
// says is shown as it is. Its checkout/cart token and order id only name our own rows
// (written from Shopify's signed webhooks); its product and variant ids only pick
// products from the shop's synced catalogue, whose titles, prices, pictures and
// product pages are what the message shows. A product id the catalogue does not know
// contributes nothing. Every link is on the shop's own domains (shop-links.ts).

export interface EmailContent {
  items: LineItem[];
  /** Shopify's total of the checkout or order whose lines these are; null = show them as a subtotal. */
  total: ChargedTotal | null;
  recoveryUrl: string | null;
  recommendations: RecommendedProduct[];
  currency: string | null;
  discount: DiscountOffer | null;
  /** Set when the message has nothing left to say and must not be sent (recorded as the decision's reason). */
  skipReason: "no_catalogue_products" | null;
}

type Line = { productId?: unknown; variantId?: unknown; title?: unknown; quantity?: unknown; price?: unknown };
/** A line from our own rows (Shopify's webhooks), or only ids to look up in the catalogue. */
type SourcedLine = { line: Line; fromShopify: boolean };
type Variant = { id?: unknown; title?: unknown; price?: unknown };

const MAX_RECOMMENDATIONS = 4;
const MAX_QUANTITY = 99;

export async function emailContent(
  shop: Shop,
  templateKey: string,
  payload: EmailPayload,
  discount: DiscountOffer | null,
): Promise<EmailContent> {
  const trigger = payload.trigger ?? {};
  const links = shopLinkPolicy(shop);
  const storeUrl = `https://${shop.primaryDomain ?? shop.domain}`;
  let recoveryUrl = shopLinkOrNull(payload.recoveryUrl, links.hosts);
  let currency = payload.currency ?? null;
  let lines: SourcedLine[] = [];
  // What Shopify charged (checkout or order total, tax and shipping included), when known.
  let total: ChargedTotal | null = null;

  if (!payload.items) {
    const own = await ownLines(shop.id, trigger);
    if (own) {
      lines = own.lines.map((line) => ({ line, fromShopify: true }));
      recoveryUrl ??= shopLinkOrNull(own.recoveryUrl, links.hosts);
      currency ??= own.currency;
      total = own.total;
    } else {
      lines = triggerProductLines(trigger).map((line) => ({ line, fromShopify: false }));
    }
  }

  const wantsRecommendations =
    isEmailTemplateKey(templateKey) && (EMAIL_CATALOGUE[templateKey].blocks as readonly string[]).includes("recommendations");
  const lineIds = lines.map((l) => shopifyNumericId(l.line.productId)).filter((id): id is bigint => id !== null);
  const related = !payload.recommendations && wantsRecommendations ? await relatedProductIds(shop.id, lineIds) : [];
  const products = await productsById(shop.id, [...lineIds, ...related]);
  const productUrl = (p: Product | undefined) => (p ? shopProductUrl(shop, p.handle) : null);

  // Lines that survive: Shopify's own, and storefront ones whose product is in the catalogue.
  const kept = lines
    .map((l) => ({ ...l, product: products.get(String(shopifyNumericId(l.line.productId))) }))
    .filter((l) => l.fromShopify || l.product);
  const items =
    payload.items ??
    kept.map(({ line, fromShopify, product }) => {
      const variant = product ? catalogueVariant(product, line.variantId) : null;
      return {
        title: product?.title ?? (fromShopify && typeof line.title === "string" ? line.title : ""),
        quantity: quantityOf(line.quantity),
        // What Shopify charges on this checkout, cart or order; else the catalogue's price.
        price: fromShopify ? moneyOf(line.price) : (moneyOf(variant?.price) ?? product?.priceMin?.toString() ?? null),
        imageUrl: product?.imageUrl ?? null,
        url: productUrl(product),
      };
    });
  // A cart has no recovery URL of its own; a cart permalink on the shop's domain rebuilds it.
  recoveryUrl ??= cartPermalink(storeUrl, kept) ?? items.find((i) => i.url)?.url ?? null;
  const recommendations =
    payload.recommendations ??
    related
      .map((id) => products.get(String(id)))
      .filter((p): p is Product => Boolean(p))
      .slice(0, MAX_RECOMMENDATIONS)
      .map((p) => ({ title: p.title, price: p.priceMin?.toString() ?? null, imageUrl: p.imageUrl, url: productUrl(p) }));
  const shown = items.filter((i) => i.title);
  const skipReason = shown.length === 0 && templateRequiresItems(templateKey) ? "no_catalogue_products" : null;
  // A line dropped for want of a title would make Shopify's total look wrong: sum what is shown instead.
  if (shown.length !== items.length) total = null;
  return { items: shown, total, recoveryUrl, recommendations, currency, discount, skipReason };
}

/** The checkout or cart named by the trigger's token, or the order by its id: rows only Shopify's webhooks write. */
async function ownLines(
  shopId: string,
  trigger: Record<string, unknown>,
): Promise<{ lines: Line[]; recoveryUrl: string | null; currency: string | null; total: ChargedTotal | null } | null> {
  const token = typeof trigger.token === "string" ? trigger.token : null;
  if (token) {
    const checkout = await db().checkout.findUnique({ where: { shopId_token: { shopId, token } } });
    const cart = checkout ? null : await db().cart.findUnique({ where: { shopId_token: { shopId, token } } });
    const stored = checkout?.lineItems ?? cart?.lineItems;
    if (Array.isArray(stored)) {
      return {
        lines: stored as Line[],
        recoveryUrl: checkout?.recoveryUrl ?? null,
        currency: checkout?.currency ?? cart?.currency ?? null,
        total: checkout?.totalPrice != null ? { amount: checkout.totalPrice.toString(), kind: "total" } : null,
      };
    }
  }
  const orderId = typeof trigger.orderId === "string" ? trigger.orderId : null;
  if (orderId) {
    const order = await db().order.findFirst({ where: { id: orderId, shopId }, include: { lines: true } });
    if (order) {
      return {
        lines: order.lines.map((l) => ({
          productId: l.shopifyProductId,
          variantId: l.shopifyVariantId,
          title: l.title,
          quantity: l.quantity,
          price: l.price.toString(),
        })),
        recoveryUrl: null,
        currency: order.currency,
        total: order.lines.length > 0 ? { amount: order.totalPrice.toString(), kind: "total" } : null,
      };
    }
  }
  return null;
}

/** Only the ids (and a quantity) of the trigger's lines or viewed product: what to look up, never what to show. */
function triggerProductLines(trigger: Record<string, unknown>): Line[] {
  const raw = Array.isArray(trigger.lines) && trigger.lines.length > 0 ? (trigger.lines as unknown[]) : trigger.productId ? [trigger] : [];
  return raw
    .filter((l): l is Line => Boolean(l) && typeof l === "object")
    .map((l) => ({ productId: l.productId, variantId: l.variantId, quantity: l.quantity }));
}

function catalogueVariant(product: Product, variantId: unknown): Variant | null {
  const id = shopifyNumericId(variantId);
  if (id === null || !Array.isArray(product.variants)) return null;
  return (product.variants as Variant[]).find((v) => v && shopifyNumericId(v.id) === id) ?? null;
}

function quantityOf(raw: unknown): number {
  return Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(Number(raw) || 1)));
}

function moneyOf(raw: unknown): string | number | null {
  return typeof raw === "number" || typeof raw === "string" ? raw : null;
}

async function relatedProductIds(shopId: string, productIds: bigint[]): Promise<bigint[]> {
  if (productIds.length === 0) return [];
  const rows = await db().productAffinity.findMany({
    where: { shopId, shopifyProductId: { in: productIds }, relatedProductId: { notIn: productIds } },
    orderBy: { score: "desc" },
    take: MAX_RECOMMENDATIONS * 3,
  });
  return [...new Set(rows.map((r) => r.relatedProductId))];
}

async function productsById(shopId: string, ids: bigint[]): Promise<Map<string, Product>> {
  if (ids.length === 0) return new Map();
  const rows = await db().product.findMany({ where: { shopId, shopifyProductId: { in: ids }, status: "active", deletedAt: null } });
  return new Map(rows.map((p) => [String(p.shopifyProductId), p]));
}

/**
 * `${storeUrl}/cart/<variant>:<qty>,...` when every line names a variant: Shopify's
 * own lines as they are, a storefront line only with a variant the catalogue lists
 * for its product (or any variant of a catalogue product whose variants are not synced).
 */
function cartPermalink(storeUrl: string, lines: (SourcedLine & { product: Product | undefined })[]): string | null {
  const parts = lines.map(({ line, fromShopify, product }) => {
    const variant = shopifyNumericId(line.variantId);
    if (variant === null) return null;
    const synced = product && Array.isArray(product.variants) && product.variants.length > 0;
    if (!fromShopify && synced && !catalogueVariant(product, line.variantId)) return null;
    return `${variant}:${quantityOf(line.quantity)}`;
  });
  return parts.length > 0 && parts.every(Boolean) ? `${storeUrl}/cart/${parts.join(",")}` : null;
}
