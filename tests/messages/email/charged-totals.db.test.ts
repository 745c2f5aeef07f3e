import { Prisma } from "@prisma/client";
// Issue 14, finding 6: the abandoned-checkout email said "Razem 398,00 zł" for a
// checkout whose total, with tax and shipping, was 421,88 zł. A total in a message is
// what Shopify charged (the checkout's or order's total_price), or it says "Subtotal".
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import type { Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { resetClock, setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { checkoutPayload, orderPayload } from "../../capture/shopify-fixtures";
import { useTestDatabase } from "../../support/db";
import { deliver, drainWebhooks, settleJourneys } from "../../support/webhooks";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "./support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let shop: Shop;

// A checkout as Shopify sends it when tax and shipping are known: 2 x 149 + 100 = 398.00
// in lines, 23.88 shipping, VAT included in the prices, 421.88 to pay.
const taxedCheckout = checkoutPayload({
  token: "chk-taxed",
  email: "ola@example.com",
  created_at: "2026-11-24T10:00:00+01:00",
  updated_at: "2026-11-24T10:00:00+01:00",
  currency: "PLN",
  presentment_currency: "PLN",
  taxes_included: true,
  subtotal_price: "398.00",
  total_line_items_price: "398.00",
  total_tax: "78.89",
  total_discounts: "0.00",
  total_price: "421.88",
  shipping_lines: [{ code: "InPost", price: "23.88", title: "Paczkomat InPost" }],
  tax_lines: [{ price: "78.89", rate: 0.23, title: "VAT" }],
  line_items: [
    { product_id: 8000000001, variant_id: 45000000001, title: "Ethiopia Yirgacheffe 1 kg", quantity: 2, price: "149.00" },
    { product_id: 8000000002, variant_id: 45000000002, title: "Dripper V60", quantity: 1, price: "100.00" },
  ],
});

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  shop = await createShop(prisma(), { locale: "pl", timezone: "Europe/Warsaw", holdoutPercent: 0 });
  await installCatalogue(shop.id);
  await setFlowStatus(shop.id, "abandoned_checkout", "on", "test");
  await createCustomer(prisma(), shop.id, { email: "ola@example.com", firstName: "Ola", locale: "pl" });
  // A storefront line reaches a message only through the catalogue: the cart's product is in it.
  await prisma().product.create({
    data: {
      shopId: shop.id,
      shopifyProductId: 8000000002n,
      title: "Dripper V60",
      handle: "dripper-v60",
      priceMin: new Prisma.Decimal("100.00"),
      variants: [{ id: "45000000002", title: "Default", price: "100.00", sku: null }],
    },
  });
});
afterAll(async () => {
  resetClock();
  await smtp?.close();
});

function textOf(to: string) {
  const mail = smtp.received.find((m) => m.envelopeTo.includes(to));
  expect(mail, `a mail to ${to}`).toBeDefined();
  return { text: mail!.parsed.text!, html: String(mail!.parsed.html) };
}

describe("money in messages", () => {
  it("the abandoned-checkout reminder shows the checkout's total with tax and shipping, as Shopify charges it", async () => {
    setClock(new Date("2026-11-24T09:00:05Z"));
    expect((await deliver(shop.domain, "checkouts/create", taxedCheckout)).status).toBe(200);
    await settleJourneys();
    setClock(new Date("2026-11-24T10:01:00Z"));
    await settleJourneys();
    expect(await dispatchDueMessages("w")).toMatchObject({ sent: 1 });
    const { text, html } = textOf("ola@example.com");
    expect(text).toMatch(/Razem: 421,88\s*zł/);
    expect(html).toMatch(/Razem\s*<\/td>/);
    expect(html).toMatch(/421,88\s*zł/);
    expect(text).not.toMatch(/398,00/);
    // The lines themselves are still the lines.
    expect(text).toMatch(/Ethiopia Yirgacheffe 1 kg x 2: 298,00\s*zł/);
  });

  it("an order's email shows the order's total (after discount, with shipping), not the sum of its lines", async () => {
    const customer = await createCustomer(prisma(), shop.id, { email: "piotr@example.com", locale: "pl" });
    // Lines 2 x 54 + 3 x 45 = 243.00; Shopify charged 254.00 (10.00 off, shipping and tax on top).
    await deliver(shop.domain, "orders/create", orderPayload({ email: "piotr@example.com", customer: null }));
    await drainWebhooks();
    const order = await prisma().order.findFirstOrThrow({ where: { shopId: shop.id, shopifyOrderId: 5820982911946n } });
    const lines = [
      { productId: "8000000001", title: "Ethiopia Yirgacheffe 250 g", quantity: 2, price: 54 },
      { productId: "8000000010", title: "Ceramic Mug", quantity: 3, price: 45 },
    ];
    await enqueueEmail(prisma(), shop.id, customer, {
      templateKey: "post_purchase_thank_you_first",
      locale: "pl",
      nextAttemptAt: new Date("2026-11-24T10:00:00Z"),
      payload: { flowKey: "post_purchase", trigger: { orderId: order.id, value: 254, currency: "PLN", lines } },
    });
    expect(await dispatchDueMessages("w")).toMatchObject({ sent: 1 });
    const { text } = textOf("piotr@example.com");
    expect(text).toMatch(/Razem: 254,00\s*zł/);
    expect(text).not.toMatch(/243,00/);
  });

  it("lines without a Shopify total (a cart) are summed and labelled as a subtotal, in Polish and in English", async () => {
    for (const [locale, email, label] of [
      ["pl", "kasia@example.com", "Suma częściowa"],
      ["en", "kate@example.com", "Subtotal"],
    ] as const) {
      const customer = await createCustomer(prisma(), shop.id, { email, locale });
      await enqueueEmail(prisma(), shop.id, customer, {
        templateKey: "abandoned_cart_1",
        locale,
        nextAttemptAt: new Date("2026-11-24T10:00:00Z"),
        payload: {
          flowKey: "abandoned_cart",
          trigger: { lines: [{ productId: "8000000002", variantId: "45000000002", title: "Dripper V60", quantity: 2, price: "100.00" }] },
        },
      });
      expect(await dispatchDueMessages("w")).toMatchObject({ sent: 1 });
      const { text, html } = textOf(email);
      expect(text).toMatch(new RegExp(`${label}: (200,00\\s*zł|PLN\\s*200\\.00)`));
      expect(html).toMatch(new RegExp(`${label}\\s*</td>`));
      expect(text).not.toMatch(/(Razem|Total):/);
    }
  });
});
