/**
 * Standard events shaped like Shopify's documented payloads, typed against
 * the package's own declarations so a fixture drifting from the real schema
 * fails typechecking rather than silently passing the wire tests.
 */
import type {
  Context,
  MoneyV2,
  PixelEventsCheckoutCompleted,
  PixelEventsProductViewed,
  ProductVariant,
} from "@shopify/web-pixels-extension";
import type { WireEvent } from "../../extensions/web-pixel/src/wire";

// A literal instead of importing the EventType enum: index.test.ts mocks the
// package, and importing its runtime values here would couple the two.
const STANDARD = "standard" as PixelEventsProductViewed["type"];

const usd = (amount: number): MoneyV2 => ({ amount, currencyCode: "USD" });

function context(href: string, title: string, referrer: string): Context {
  const url = new URL(href);
  const location = {
    hash: url.hash,
    host: url.host,
    hostname: url.hostname,
    href: url.href,
    origin: url.origin,
    pathname: url.pathname,
    port: url.port,
    protocol: url.protocol,
    search: url.search,
  };
  return {
    document: { characterSet: "UTF-8", location, referrer, title },
    navigator: {
      cookieEnabled: true,
      language: "en-US",
      languages: ["en-US", "en"],
      userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    },
    window: {
      innerHeight: 1014,
      innerWidth: 1512,
      location,
      origin: url.origin,
      outerHeight: 1117,
      outerWidth: 1512,
      pageXOffset: 0,
      pageYOffset: 412,
      screen: { height: 982, width: 1512 },
      screenX: 0,
      screenY: 37,
      scrollX: 0,
      scrollY: 412,
    },
  };
}

export const SHOP_DOMAIN = "flowmate-demo.myshopify.com";
export const CLIENT_ID = "0c9a1c2e-8f11-4a5b-9d3e-5c1f2b7d4e61";

const variant: ProductVariant = {
  id: "44012345678901",
  image: { src: "//flowmate-demo.myshopify.com/cdn/shop/files/linen-shirt-sand.jpg?v=1715701234" },
  price: usd(68),
  product: {
    id: "8123456789012",
    title: "Linen Camp Shirt",
    type: "Shirts",
    untranslatedTitle: "Linen Camp Shirt",
    url: "/products/linen-camp-shirt",
    vendor: "FlowMate Demo",
  },
  sku: "LCS-SAND-M",
  title: "Sand / M",
  untranslatedTitle: "Sand / M",
};

export const productViewedEvent: PixelEventsProductViewed = {
  id: "sh-7f1c2a3b-4D5E-4F60-A718-293A4B5C6D7E",
  name: "product_viewed",
  type: STANDARD,
  timestamp: "2024-05-14T17:45:02.341Z",
  clientId: CLIENT_ID,
  seq: 3,
  context: context(
    "https://flowmate-demo.myshopify.com/products/linen-camp-shirt?variant=44012345678901",
    "Linen Camp Shirt – FlowMate Demo",
    "https://flowmate-demo.myshopify.com/collections/summer",
  ),
  data: { productVariant: variant },
};

const address = {
  address1: "151 O'Connor St",
  address2: null,
  city: "Ottawa",
  country: "Canada",
  countryCode: "CA",
  firstName: "Ada",
  lastName: "Lovelace",
  phone: null,
  province: "Ontario",
  provinceCode: "ON",
  zip: "K2P 2L8",
};

export const checkoutCompletedEvent: PixelEventsCheckoutCompleted = {
  id: "sh-a1b2c3d4-E5F6-4A7B-8C9D-0E1F2A3B4C5D",
  name: "checkout_completed",
  type: STANDARD,
  timestamp: "2024-05-14T17:51:40.902Z",
  clientId: CLIENT_ID,
  seq: 11,
  context: context(
    "https://flowmate-demo.myshopify.com/checkouts/cn/Z2NwLXVzLWVhc3QxOjAxSFg/thank-you",
    "Thank you for your purchase! – FlowMate Demo",
    "https://flowmate-demo.myshopify.com/",
  ),
  data: {
    checkout: {
      attributes: [],
      billingAddress: address,
      buyerAcceptsEmailMarketing: true,
      buyerAcceptsSmsMarketing: false,
      currencyCode: "USD",
      delivery: {
        selectedDeliveryOptions: [
          {
            cost: usd(8),
            costAfterDiscounts: usd(8),
            description: null,
            handle: "shopify-Standard-8.00",
            title: "Standard",
            type: "shipping",
          },
        ],
      },
      discountApplications: [],
      discountsAmount: usd(0),
      email: "ada@example.com",
      lineItems: [
        {
          discountAllocations: [],
          finalLinePrice: usd(136),
          id: "44012345678901",
          properties: [],
          quantity: 2,
          sellingPlanAllocation: null,
          title: "Linen Camp Shirt",
          variant,
        },
      ],
      localization: {
        country: { isoCode: "CA" },
        language: { isoCode: "en" },
        market: { handle: "ca", id: "gid://shopify/Market/21876457" },
      },
      order: {
        customer: { id: "7012345678901", isFirstOrder: true },
        id: "5601234567890",
      },
      phone: null,
      shippingAddress: address,
      shippingLine: { price: usd(8) },
      smsMarketingPhone: null,
      subtotalPrice: usd(136),
      token: "c1-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
      totalPrice: usd(144),
      totalTax: usd(0),
      transactions: [
        {
          amount: usd(144),
          gateway: "shopify_payments",
          paymentMethod: { name: "visa", type: "creditCard" },
        },
      ],
    },
  },
};

/** A minimal but valid wire event for batcher tests, optionally padded to a size. */
export function wireEvent(n: number, padBytes = 0): WireEvent {
  return {
    id: `sh-test-${n}`,
    name: "page_viewed",
    timestamp: new Date(Date.UTC(2024, 4, 14, 17, 0, n)).toISOString(),
    clientId: CLIENT_ID,
    seq: n,
    context: { url: `https://${SHOP_DOMAIN}/pages/${n}`, referrer: "", title: `Page ${n}`, language: "en-US" },
    data: padBytes > 0 ? { pad: "x".repeat(padBytes) } : {},
  };
}
