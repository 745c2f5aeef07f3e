import { z } from "zod";

// What a template may use. Everything except the shop's name is optional: a missing
// first name or an empty cart renders a sensible email, never "undefined".

const text = z.string().max(2000);
const money = z.union([z.number(), z.string().max(32)]);

/** Shopify's billingAddress shape (install) and the schema's {address1, city, zip, country}. */
export const PostalAddress = z.object({
  company: text.nullish(),
  address1: text.nullish(),
  address2: text.nullish(),
  city: text.nullish(),
  zip: text.nullish(),
  province: text.nullish(),
  country: text.nullish(),
  countryCodeV2: text.nullish(),
});
export type PostalAddress = z.infer<typeof PostalAddress>;

export const Branding = z.object({
  logoUrl: text.nullish(),
  primaryColor: text.nullish(),
  accentColor: text.nullish(),
});

export const LineItem = z.object({
  title: text,
  variantTitle: text.nullish(),
  quantity: z.number().int().positive().default(1),
  price: money.nullish(),
  imageUrl: text.nullish(),
  url: text.nullish(),
});
export type LineItem = z.input<typeof LineItem>;

export const RecommendedProduct = z.object({
  title: text,
  price: money.nullish(),
  imageUrl: text.nullish(),
  url: text.nullish(),
});
export type RecommendedProduct = z.input<typeof RecommendedProduct>;

export const DiscountOffer = z.object({
  code: z.string().min(1).max(64),
  kind: z.enum(["percentage", "fixed_amount", "free_shipping"]).default("percentage"),
  value: money.nullish(),
  expiresAt: z.union([z.date(), z.string()]).nullish(),
});
export type DiscountOffer = z.input<typeof DiscountOffer>;

export const EmailLinks = z.object({
  unsubscribeUrl: text.nullish(),
  preferencesUrl: text.nullish(),
  viewInBrowser: text.nullish(),
  recoveryUrl: text.nullish(),
  reviewUrl: text.nullish(),
  confirmUrl: text.nullish(),
  shopUrl: text.nullish(),
});
export type EmailLinks = z.input<typeof EmailLinks>;

/**
 * What the shopper was or will be charged, when Shopify said so: a checkout's or an
 * order's total_price (tax, shipping and discounts included). Without it the items
 * block shows the sum of its lines, labelled as a subtotal.
 */
export const ChargedTotal = z.object({ amount: money, kind: z.literal("total") });
export type ChargedTotal = z.input<typeof ChargedTotal>;

export const EmailRenderContext = z.object({
  shop: z.object({
    name: z.string().min(1).max(255),
    url: text.nullish(),
    currency: z.string().length(3).nullish(),
    postalAddress: PostalAddress.nullish(),
    branding: Branding.nullish(),
  }),
  customer: z
    .object({
      firstName: text.nullish(),
      lastName: text.nullish(),
      email: text.nullish(),
      properties: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
  links: EmailLinks.default({}),
  items: z.array(LineItem).max(50).default([]),
  total: ChargedTotal.nullish(),
  discount: DiscountOffer.nullish(),
  recommendations: z.array(RecommendedProduct).max(12).default([]),
  currency: z.string().length(3).nullish(),
  /** Base for relative image and product URLs (the demo store serves images from the app). */
  assetBaseUrl: text.nullish(),
});
export type EmailRenderContext = z.input<typeof EmailRenderContext>;
