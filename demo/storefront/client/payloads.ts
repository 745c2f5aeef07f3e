// The `data` of the standard events the storefront simulator publishes, shaped like
// Shopify's (typed against @shopify/web-pixels-extension, so drifting from Shopify's
// schema fails typechecking). Runs in the browser (bundled into build/demo-storefront/storefront.js);
// pure, so tests call it directly.
import type {
  Cart,
  CartLine,
  Checkout,
  CheckoutLineItem,
  Collection,
  MailingAddress,
  MoneyV2,
  ProductVariant,
  SearchResult,
} from "@shopify/web-pixels-extension";
import type { StorefrontProduct } from "../catalog.server";

/** A product as the page knows it: the catalogue's shape. */
export type PayloadProduct = StorefrontProduct;

export interface PayloadContext {
  currency: string;
  countryCode: string;
  /** Absolute base for image URLs (Shopify's are absolute CDN URLs). */
  origin: string;
  /** Storefront language, e.g. "en" or "pl". */
  lang: string;
}

export interface PayloadLine {
  product: PayloadProduct;
  quantity: number;
}

export interface CheckoutAddressInput {
  firstName: string | null;
  lastName: string | null;
  address1: string | null;
  city: string | null;
  zip: string | null;
}

export interface CheckoutInput {
  token: string;
  lines: PayloadLine[];
  email: string | null;
  phone: string | null;
  acceptsEmailMarketing: boolean;
  acceptsSmsMarketing: boolean;
  address: CheckoutAddressInput | null;
  /** Set once the order is placed (checkout_completed). */
  orderId: string | null;
}

export interface PixelPayloads {
  money(amount: number): MoneyV2;
  variant(product: PayloadProduct): ProductVariant;
  cartLine(product: PayloadProduct, quantity: number): CartLine;
  cart(id: string | null, lines: PayloadLine[]): Cart;
  collection(id: string, title: string, products: PayloadProduct[]): Collection;
  searchResult(query: string, products: PayloadProduct[]): SearchResult;
  checkout(input: CheckoutInput): Checkout;
  /** Subtotal, shipping and total of a set of lines (free delivery from 150). */
  totals(lines: PayloadLine[]): { subtotal: number; shipping: number; total: number; tax: number };
}

export function createPixelPayloads(ctx: PayloadContext): PixelPayloads {
  // Kept inside: this function is shipped to the browser on its own.
  const FREE_FROM = 150;
  const SHIPPING = 14.99;
  const VAT = 0.23;
  const round = (n: number) => Math.round(n * 100) / 100;

  const money = (amount: number): MoneyV2 => ({ amount: round(amount), currencyCode: ctx.currency });

  const absolute = (url: string | null): string | null => {
    if (!url) return null;
    try {
      return new URL(url, ctx.origin).href;
    } catch {
      return url;
    }
  };

  const variant = (p: PayloadProduct): ProductVariant => ({
    id: p.variantId,
    image: { src: absolute(p.imageUrl) },
    price: money(Number(p.price)),
    product: {
      id: p.id,
      title: p.title,
      type: p.type || null,
      untranslatedTitle: p.title,
      url: "/products/" + p.handle,
      vendor: p.vendor,
    },
    sku: p.sku,
    title: p.variantTitle,
    untranslatedTitle: p.variantTitle,
  });

  const cartLine = (p: PayloadProduct, quantity: number): CartLine => ({
    cost: { totalAmount: money(Number(p.price) * quantity) },
    merchandise: variant(p),
    quantity,
  });

  const totals = (lines: PayloadLine[]) => {
    const subtotal = round(lines.reduce((sum, l) => sum + Number(l.product.price) * l.quantity, 0));
    const shipping = subtotal === 0 || subtotal >= FREE_FROM ? 0 : SHIPPING;
    const total = round(subtotal + shipping);
    // Polish prices include 23% VAT.
    const tax = round(total - total / (1 + VAT));
    return { subtotal, shipping, total, tax };
  };

  const cart = (id: string | null, lines: PayloadLine[]): Cart => ({
    attributes: [],
    cost: { totalAmount: money(totals(lines).subtotal) },
    id,
    lines: lines.map((l) => cartLine(l.product, l.quantity)),
    totalQuantity: lines.reduce((n, l) => n + l.quantity, 0),
  });

  const collection = (id: string, title: string, products: PayloadProduct[]): Collection => ({
    id,
    title,
    productVariants: products.map(variant),
  });

  const searchResult = (query: string, products: PayloadProduct[]): SearchResult => ({
    query,
    productVariants: products.map(variant),
  });

  const mailingAddress = (a: CheckoutAddressInput, phone: string | null): MailingAddress => ({
    address1: a.address1,
    address2: null,
    city: a.city,
    country: ctx.countryCode === "PL" ? "Poland" : null,
    countryCode: ctx.countryCode,
    firstName: a.firstName,
    lastName: a.lastName,
    phone,
    province: null,
    provinceCode: null,
    zip: a.zip,
  });

  const checkout = (input: CheckoutInput): Checkout => {
    const t = totals(input.lines);
    const lineItems: CheckoutLineItem[] = input.lines.map((l) => ({
      discountAllocations: [],
      finalLinePrice: money(Number(l.product.price) * l.quantity),
      id: l.product.variantId,
      properties: [],
      quantity: l.quantity,
      sellingPlanAllocation: null,
      title: l.product.title,
      variant: variant(l.product),
    }));
    const address = input.address && (input.address.address1 || input.address.lastName) ? mailingAddress(input.address, input.phone) : null;
    return {
      attributes: [],
      billingAddress: address,
      buyerAcceptsEmailMarketing: input.acceptsEmailMarketing,
      buyerAcceptsSmsMarketing: input.acceptsSmsMarketing,
      currencyCode: ctx.currency,
      delivery: {
        selectedDeliveryOptions: [
          {
            cost: money(t.shipping),
            costAfterDiscounts: money(t.shipping),
            description: null,
            handle: "standard",
            title: "Standard",
            type: "shipping",
          },
        ],
      },
      discountApplications: [],
      discountsAmount: money(0),
      email: input.email,
      lineItems,
      localization: {
        country: { isoCode: ctx.countryCode },
        language: { isoCode: ctx.lang.toUpperCase() },
        market: { handle: ctx.countryCode.toLowerCase(), id: null },
      },
      order: input.orderId ? { id: input.orderId, customer: { id: null, isFirstOrder: null } } : null,
      phone: input.phone,
      shippingAddress: address,
      shippingLine: { price: money(t.shipping) },
      smsMarketingPhone: input.acceptsSmsMarketing ? input.phone : null,
      subtotalPrice: money(t.subtotal),
      token: input.token,
      totalPrice: money(t.total),
      totalTax: money(t.tax),
      transactions: input.orderId
        ? [{ amount: money(t.total), gateway: "bogus", paymentMethod: { name: "Bogus Gateway", type: "creditCard" } }]
        : [],
    };
  };

  return { money, variant, cartLine, cart, collection, searchResult, checkout, totals };
}
