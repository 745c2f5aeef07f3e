// The journey runner enqueues { flowKey, trigger, discount request }: the dispatcher
// fills in the checkout's lines and recovery link, product pictures, recommendations
// and the discount code at send time.
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import { Prisma, type Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, resetClock } from "~/server/clock.server";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { verifyToken } from "~/server/security/signed-token.server";
import { useTestDatabase } from "../../support/db";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "./support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let shop: Shop;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  shop = await createShop(prisma());
  const product = (id: number, title: string, handle: string, price: string) => ({
    shopId: shop.id,
    shopifyProductId: BigInt(id),
    title,
    handle,
    imageUrl: `https://cdn.kawa.example.com/${handle}.png`,
    priceMin: new Prisma.Decimal(price),
  });
  await prisma().product.createMany({
    data: [
      product(101, "Ethiopia Yirgacheffe 250 g", "ethiopia", "54.00"),
      product(102, "Hand Grinder", "grinder", "289.00"),
      product(103, "Ceramic Mug", "mug", "45.00"),
    ],
  });
  await prisma().productAffinity.createMany({
    data: [
      { shopId: shop.id, shopifyProductId: 101n, relatedProductId: 102n, score: 0.9, computedAt: new Date() },
      { shopId: shop.id, shopifyProductId: 101n, relatedProductId: 103n, score: 0.5, computedAt: new Date() },
    ],
  });
});
afterAll(async () => {
  resetClock();
  await smtp?.close();
});

/** Where the plain-text part's call to action really leads (the signed destination). */
function ctaDestination(text: string, label: string): string {
  const url = new RegExp(`${label}: (\\S+)`).exec(text)![1]!;
  const verified = verifyToken("click", url.slice(url.lastIndexOf("/") + 1));
  return verified.ok ? verified.claims.url! : "";
}

describe("send-time content", () => {
  it("renders the checkout named by the trigger, with its recovery link, product pictures and recommendations", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    await prisma().checkout.create({
      data: {
        shopId: shop.id,
        token: "chk_1",
        customerId: customer.id,
        currency: "PLN",
        lineItems: [{ productId: "101", variantId: "9001", title: "Ethiopia Yirgacheffe 250 g", quantity: 2, price: "54.00" }],
        recoveryUrl: "https://kawa.example.com/checkouts/chk_1/recover?key=k1",
      },
    });
    await prisma().discountCode.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        idempotencyKey: "enr_1:offer",
        code: "COMEBACK-7KQ4M2XA",
        shopifyId: "gid://shopify/DiscountCodeNode/1",
        kind: "percentage",
        value: new Prisma.Decimal(15),
      },
    });
    await enqueueEmail(prisma(), shop.id, customer, {
      templateKey: "abandoned_checkout_2",
      payload: {
        flowKey: "abandoned_checkout",
        trigger: { token: "chk_1", value: 108 },
        discount: { idempotencyKey: "enr_1:offer", kind: "percentage", value: 15, expiresInHours: 48, prefix: "comeback" },
      },
    });
    expect(await dispatchDueMessages("w")).toMatchObject({ sent: 1 });
    const mail = smtp.received.at(-1)!;
    const html = String(mail.parsed.html);
    expect(html).toContain("Ethiopia Yirgacheffe 250 g");
    expect(html).toContain('src="https://cdn.kawa.example.com/ethiopia.png"');
    expect(html).toContain("PLN\u00a0108.00");
    expect(html).toContain("Hand Grinder");
    expect(html).toContain("Ceramic Mug");
    expect(ctaDestination(mail.parsed.text!, "Return to checkout")).toMatch(
      /^https:\/\/kawa\.example\.com\/checkouts\/chk_1\/recover\?key=k1&utm_source=flowmate/,
    );
  });

  it("prints the discount code created for the journey's request, and links a cart permalink built from the trigger's lines", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    await prisma().discountCode.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        idempotencyKey: "enr_2:offer",
        code: "WRACAJ-2345ABCD",
        shopifyId: "gid://shopify/DiscountCodeNode/2",
        kind: "percentage",
        value: new Prisma.Decimal(10),
      },
    });
    await enqueueEmail(prisma(), shop.id, customer, {
      templateKey: "abandoned_checkout_3",
      payload: {
        flowKey: "abandoned_checkout",
        trigger: {
          lines: [
            {
              productId: "gid://shopify/Product/103",
              variantId: "gid://shopify/ProductVariant/9003",
              title: "Ceramic Mug",
              quantity: 1,
              price: 45,
            },
          ],
        },
        discount: { idempotencyKey: "enr_2:offer" },
      },
    });
    expect(await dispatchDueMessages("w")).toMatchObject({ sent: 1 });
    const mail = smtp.received.at(-1)!;
    expect(mail.parsed.subject).toBe("A gift to help you finish your order");
    expect(mail.parsed.text).toContain("10% off your order with code: WRACAJ-2345ABCD");
    expect(String(mail.parsed.html)).toContain('src="https://cdn.kawa.example.com/mug.png"');
    expect(ctaDestination(mail.parsed.text!, "Complete my order")).toMatch(
      /^https:\/\/kawa\.example\.com\/cart\/9003:1\?utm_source=flowmate/,
    );
  });

  it("retries a discount that cannot be created, and fails the message with the reason after the last attempt", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const message = await enqueueEmail(prisma(), shop.id, customer, {
      templateKey: "winback_2",
      payload: { flowKey: "winback", discount: { idempotencyKey: "enr_3:offer", kind: "percentage", value: 20, prefix: "back" } },
    });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await dispatchDueMessages("w");
      const row = await prisma().message.findUniqueOrThrow({ where: { id: message.id } });
      expect(row.status).toBe(attempt < 5 ? "pending" : "failed");
      advanceClock(row.nextAttemptAt.getTime() - Date.now() + 60_000);
    }
    expect(await prisma().decision.findMany({ where: { messageId: message.id } })).toMatchObject([{ reason: "discount_unavailable" }]);
    expect(smtp.received.filter((m) => m.envelopeTo.includes(customer.email!))).toHaveLength(0);
  });
});
