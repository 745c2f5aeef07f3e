import type { Product, Shop } from "@prisma/client";
import { EMAIL_CATALOGUE, isEmailTemplateKey } from "~/domain/messages/catalogue";
import type { ChargedTotal, DiscountOffer, LineItem, RecommendedProduct } from "~/domain/messages/email-context";
import type { EmailPayload } from "~/domain/messages/email-payload";
import { shopifyNumericId } from "~/domain/identity/normalize";
import { db } from "../../db/client.server";

// Fills what the enqueuer did not capture, from the store's own data at send time:
// lines and the recovery link of the checkout or cart named by the trigger, product
// pictures and links, and recommendations from product affinities. Fresh data also
// means a recovery link Shopify re-issued after enqueueing is the one that goes out.

export interface EmailContent {
  items: LineItem[];
  /** Shopify's total of the checkout or order whose lines these are; null = show them as a subtotal. */
  total: ChargedTotal | null;
  recoveryUrl: string | null;
  recommendations: RecommendedProduct[];
  currency: string | null;
  discount: DiscountOffer | null;
}

type Line = { productId?: unknown; variantId?: unknown; title?: unknown; quantity?: unknown; price?: unknown };
const MAX_RECOMMENDATIONS = 4;

export async function emailContent(
  shop: Shop,
  templateKey: string,
  payload: EmailPayload,
  discount: DiscountOffer | null,
): Promise<EmailContent> {
  const trigger = payload.trigger ?? {};
  const storeUrl = `https://${shop.primaryDomain ?? shop.domain}`;
  let lines: Line[] = !payload.items && Array.isArray(trigger.lines) ? (trigger.lines as Line[]) : [];
  let recoveryUrl = payload.recoveryUrl ?? null;
  let currency = payload.currency ?? (typeof trigger.currency === "string" ? trigger.currency : null);
  const token = typeof trigger.token === "string" ? trigger.token : null;
  let total: ChargedTotal | null = null;
  if (!payload.items && token) {
    const checkout = await db().checkout.findUnique({ where: { shopId_token: { shopId: shop.id, token } } });
    const cart = checkout ? null : await db().cart.findUnique({ where: { shopId_token: { shopId: shop.id, token } } });
    const stored = checkout?.lineItems ?? cart?.lineItems;
    if (Array.isArray(stored)) lines = stored as Line[];
    recoveryUrl ??= checkout?.recoveryUrl ?? null;
    if (checkout?.totalPrice != null && Array.isArray(checkout.lineItems))
      total = { amount: checkout.totalPrice.toString(), kind: "total" };
    currency ??= checkout?.currency ?? cart?.currency ?? null;
  }
  // An order's own lines: what was charged is the order's total.
  if (!payload.items && !token && typeof trigger.orderId === "string" && lines.length > 0) {
    const order = await db().order.findFirst({
      where: { id: trigger.orderId, shopId: shop.id },
      select: { totalPrice: true, currency: true },
    });
    if (order) {
      total = { amount: order.totalPrice.toString(), kind: "total" };
      currency ??= order.currency;
    }
  }
  if (!payload.items && lines.length === 0 && trigger.productId) {
    lines = [{ productId: trigger.productId, title: trigger.productTitle, quantity: 1, price: trigger.price }];
  }
  const wantsRecommendations =
    isEmailTemplateKey(templateKey) && (EMAIL_CATALOGUE[templateKey].blocks as readonly string[]).includes("recommendations");
  const lineIds = lines.map((l) => shopifyNumericId(l.productId)).filter((id): id is bigint => id !== null);
  const related = !payload.recommendations && wantsRecommendations ? await relatedProductIds(shop.id, lineIds) : [];
  const products = await productsById(shop.id, [...lineIds, ...related]);
  const productUrl = (p: Product | undefined) => (p ? `${storeUrl}/products/${p.handle}` : null);

  const items =
    payload.items ??
    lines.map((l) => {
      const product = products.get(String(shopifyNumericId(l.productId)));
      return {
        title: typeof l.title === "string" ? l.title : (product?.title ?? ""),
        quantity: Math.max(1, Math.trunc(Number(l.quantity) || 1)),
        price: typeof l.price === "number" || typeof l.price === "string" ? l.price : null,
        imageUrl: product?.imageUrl ?? null,
        url: productUrl(product),
      };
    });
  // A cart has no recovery URL of its own; a cart permalink rebuilds it from variant ids.
  recoveryUrl ??= cartPermalink(storeUrl, lines) ?? (typeof trigger.url === "string" ? trigger.url : null);
  const recommendations =
    payload.recommendations ??
    related
      .map((id) => products.get(String(id)))
      .filter((p): p is Product => Boolean(p))
      .slice(0, MAX_RECOMMENDATIONS)
      .map((p) => ({ title: p.title, price: p.priceMin?.toString() ?? null, imageUrl: p.imageUrl, url: productUrl(p) }));
  const shown = items.filter((i) => i.title);
  // A line dropped for want of a title would make Shopify's total look wrong: sum what is shown instead.
  if (shown.length !== items.length) total = null;
  return { items: shown, total, recoveryUrl, recommendations, currency, discount };
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

function cartPermalink(storeUrl: string, lines: Line[]): string | null {
  const parts = lines.map((l) => {
    const variant = shopifyNumericId(l.variantId);
    return variant === null ? null : `${variant}:${Math.max(1, Math.trunc(Number(l.quantity) || 1))}`;
  });
  return parts.length > 0 && parts.every(Boolean) ? `${storeUrl}/cart/${parts.join(",")}` : null;
}
