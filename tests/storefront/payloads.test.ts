import type { Checkout, ProductVariant } from "@shopify/web-pixels-extension";
import { describe, expect, it } from "vitest";
import { DEMO_PRODUCTS } from "../../demo/seed/demo-shop";
import { createPixelPayloads, type PayloadProduct } from "../../demo/storefront/client/payloads";

const products: PayloadProduct[] = DEMO_PRODUCTS.map((p) => ({
  id: String(p.id),
  variantId: String(p.variantId),
  variantTitle: "Default Title",
  sku: null,
  title: p.title,
  handle: p.handle,
  type: p.productType,
  vendor: "Kawa & Co.",
  price: p.price,
  imageUrl: `/dev/storefront/image/${p.handle}.svg`,
}));
const coffee = products[0]!; // 54.00
const kettle = products.find((p) => p.handle === "gooseneck-kettle")!; // 219.00
const payloads = createPixelPayloads({ currency: "PLN", countryCode: "PL", origin: "http://localhost:3100", lang: "pl" });

describe("standard event data (shaped like Shopify's)", () => {
  it("product_viewed: productVariant with price, product and an absolute image", () => {
    const variant: ProductVariant = payloads.variant(coffee);
    expect(variant).toEqual({
      id: "45000000001",
      image: { src: "http://localhost:3100/dev/storefront/image/ethiopia-yirgacheffe-250-g.svg" },
      price: { amount: 54, currencyCode: "PLN" },
      product: {
        id: "8000000001",
        title: "Ethiopia Yirgacheffe 250 g",
        type: "coffee",
        untranslatedTitle: "Ethiopia Yirgacheffe 250 g",
        url: "/products/ethiopia-yirgacheffe-250-g",
        vendor: "Kawa & Co.",
      },
      sku: null,
      title: "Default Title",
      untranslatedTitle: "Default Title",
    });
  });

  it("product_added_to_cart: cartLine with merchandise, quantity and line cost", () => {
    expect(payloads.cartLine(coffee, 3)).toMatchObject({
      cost: { totalAmount: { amount: 162, currencyCode: "PLN" } },
      merchandise: { id: "45000000001", product: { id: "8000000001" } },
      quantity: 3,
    });
  });

  it("cart_viewed: the cart with its lines, quantity and cost", () => {
    const cart = payloads.cart("c0ffee", [
      { product: coffee, quantity: 2 },
      { product: kettle, quantity: 1 },
    ]);
    expect(cart).toMatchObject({
      id: "c0ffee",
      totalQuantity: 3,
      cost: { totalAmount: { amount: 327, currencyCode: "PLN" } },
      attributes: [],
    });
    expect(cart.lines.map((l) => [l.merchandise.id, l.quantity])).toEqual([
      ["45000000001", 2],
      [kettle.variantId, 1],
    ]);
  });

  it("collection_viewed and search_submitted list product variants", () => {
    expect(payloads.collection("480000000002", "Kawa", [coffee])).toMatchObject({
      id: "480000000002",
      title: "Kawa",
      productVariants: [{ id: "45000000001" }],
    });
    expect(payloads.searchResult("kettle", [kettle])).toMatchObject({ query: "kettle", productVariants: [{ id: kettle.variantId }] });
  });

  it("checkout events: token, contact, consent, totals, line items and (once paid) the order", () => {
    const lines = [{ product: coffee, quantity: 1 }];
    const started: Checkout = payloads.checkout({
      token: "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
      lines,
      email: null,
      phone: null,
      acceptsEmailMarketing: false,
      acceptsSmsMarketing: false,
      address: null,
      orderId: null,
    });
    expect(started).toMatchObject({
      token: "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
      email: null,
      phone: null,
      currencyCode: "PLN",
      order: null,
      shippingAddress: null,
      transactions: [],
      // Under 150 zł: paid delivery.
      subtotalPrice: { amount: 54, currencyCode: "PLN" },
      shippingLine: { price: { amount: 14.99, currencyCode: "PLN" } },
      totalPrice: { amount: 68.99, currencyCode: "PLN" },
      localization: { country: { isoCode: "PL" }, language: { isoCode: "PL" } },
    });
    expect(started.totalTax.amount).toBeCloseTo(68.99 - 68.99 / 1.23, 2);
    expect(started.lineItems).toEqual([
      expect.objectContaining({
        id: "45000000001",
        quantity: 1,
        title: "Ethiopia Yirgacheffe 250 g",
        finalLinePrice: { amount: 54, currencyCode: "PLN" },
        variant: payloads.variant(coffee),
      }),
    ]);

    const completed = payloads.checkout({
      token: "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
      lines: [{ product: kettle, quantity: 1 }],
      email: "anna@example.com",
      phone: "+48512345678",
      acceptsEmailMarketing: true,
      acceptsSmsMarketing: true,
      address: { firstName: "Anna", lastName: "Nowak", address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850" },
      orderId: "6900000001",
    });
    expect(completed).toMatchObject({
      email: "anna@example.com",
      phone: "+48512345678",
      smsMarketingPhone: "+48512345678",
      buyerAcceptsEmailMarketing: true,
      buyerAcceptsSmsMarketing: true,
      order: { id: "6900000001", customer: { id: null, isFirstOrder: null } },
      // From 150 zł: free delivery.
      totalPrice: { amount: 219, currencyCode: "PLN" },
      shippingAddress: {
        firstName: "Anna",
        lastName: "Nowak",
        address1: "ul. Prosta 12",
        city: "Warszawa",
        zip: "00-850",
        countryCode: "PL",
        country: "Poland",
      },
      transactions: [{ amount: { amount: 219, currencyCode: "PLN" }, gateway: "bogus" }],
    });
  });
});
