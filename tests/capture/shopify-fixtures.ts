// Webhook payloads shaped like Shopify's REST webhook bodies (2026-10), trimmed to the
// fields a real delivery always carries plus the ones the app reads.

export function customerPayload(over: Record<string, unknown> = {}) {
  return {
    id: 7064055069303,
    email: "  Bob.Norman@Example.com ",
    phone: "+48 601 234 567",
    created_at: "2026-11-01T10:00:00+01:00",
    updated_at: "2026-11-01T10:00:00+01:00",
    first_name: "Bob",
    last_name: "Norman",
    state: "enabled",
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    tags: "VIP, newsletter",
    currency: "PLN",
    locale: "pl",
    default_address: { country_code: "PL", city: "Kraków" },
    email_marketing_consent: { state: "subscribed", opt_in_level: "confirmed_opt_in", consent_updated_at: "2026-11-01T10:00:00+01:00" },
    sms_marketing_consent: {
      state: "not_subscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: null,
      consent_collected_from: "OTHER",
    },
    admin_graphql_api_id: "gid://shopify/Customer/7064055069303",
    ...over,
  };
}

export function orderPayload(over: Record<string, unknown> = {}) {
  return {
    id: 5820982911946,
    admin_graphql_api_id: "gid://shopify/Order/5820982911946",
    name: "#1001",
    email: "bob.norman@example.com",
    phone: null,
    created_at: "2026-11-20T12:00:00+01:00",
    updated_at: "2026-11-20T12:00:05+01:00",
    processed_at: "2026-11-20T12:00:00+01:00",
    cancelled_at: null,
    currency: "PLN",
    total_price: "254.00",
    subtotal_price: "244.00",
    total_discounts: "10.00",
    discount_codes: [{ code: "WELCOME10", amount: "10.00", type: "fixed_amount" }],
    financial_status: "paid",
    fulfillment_status: null,
    source_name: "web",
    landing_site: "/products/ceramic-mug?utm_source=flowmate&utm_medium=email",
    checkout_token: "chk-abc-123",
    cart_token: "cart-xyz-789",
    buyer_accepts_marketing: true,
    billing_address: { country_code: "PL" },
    customer: customerPayload({ email_marketing_consent: undefined, sms_marketing_consent: undefined }),
    line_items: [
      {
        id: 1,
        product_id: 8000000001,
        variant_id: 45000000001,
        title: "Ethiopia Yirgacheffe 250 g",
        quantity: 2,
        price: "54.00",
        sku: "ETH",
      },
      { id: 2, product_id: 8000000010, variant_id: 45000000010, title: "Ceramic Mug", quantity: 3, price: "45.00", sku: "MUG" },
    ],
    ...over,
  };
}

export function checkoutPayload(over: Record<string, unknown> = {}) {
  return {
    id: 9818200792552,
    token: "chk-abc-123",
    cart_token: "cart-xyz-789",
    email: "carla@example.com",
    phone: null,
    customer: null,
    created_at: "2026-11-20T11:50:00+01:00",
    updated_at: "2026-11-20T11:55:00+01:00",
    completed_at: null,
    currency: "PLN",
    presentment_currency: "PLN",
    total_price: "129.00",
    abandoned_checkout_url: "https://demo-shop.myshopify.com/123/checkouts/chk-abc-123/recover?key=secret",
    billing_address: null,
    line_items: [{ product_id: 8000000003, variant_id: 45000000003, title: "Brazil Santos 1 kg", quantity: 1, price: "129.00" }],
    ...over,
  };
}

export function productPayload(over: Record<string, unknown> = {}) {
  return {
    id: 632910392,
    title: "Hand Grinder Steel",
    handle: "hand-grinder-steel",
    body_html: "<p>Grinds.</p>",
    vendor: "Kawa & Co.",
    product_type: "equipment",
    status: "active",
    tags: "grinder, steel",
    created_at: "2026-10-01T10:00:00+02:00",
    updated_at: "2026-11-10T10:00:00+01:00",
    image: { src: "https://cdn.shopify.com/s/files/grinder.jpg" },
    images: [{ src: "https://cdn.shopify.com/s/files/grinder.jpg" }],
    variants: [
      { id: 808950810, title: "Default Title", price: "289.00", sku: "GRIND-1", inventory_quantity: 12 },
      { id: 808950811, title: "Pro", price: "349.00", sku: "GRIND-2", inventory_quantity: 3 },
    ],
    ...over,
  };
}
