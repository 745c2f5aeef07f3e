import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_CATALOGUE, EMAIL_TEMPLATE_KEYS } from "~/domain/messages/catalogue";
import { closeMailTransport } from "~/server/channels/email/transport.server";
import { seedDemoShop } from "../../demo/seed/seed-demo-shop.server";
import { startSmtpSink, sunkMails } from "../../demo/standins/smtp-sink.server";
import { previewEmail, sendTestEmail, TestSendRefused } from "~/server/admin/message-preview.server";
import { freePort } from "../support/ports";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
let sink: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  await seedDemoShop();
  sink = await startSmtpSink(await freePort());
  process.env.SMTP_URL = `smtp://127.0.0.1:${sink.port}`;
});
afterAll(async () => {
  closeMailTransport();
  delete process.env.SMTP_URL;
  await sink.close();
});

describe("preview and test send", () => {
  it("previews every catalogue message in English and Polish with the shop's products and address", async () => {
    const shop = await getDb().prisma.shop.findFirstOrThrow();
    for (const key of EMAIL_TEMPLATE_KEYS) {
      for (const locale of ["en", "pl"] as const) {
        const p = await previewEmail(shop, key, locale);
        expect(p.subject.length, `${key} ${locale}`).toBeGreaterThan(0);
        expect(p.html).toContain("ul. Prosta 12");
      }
    }
    const abandoned = await previewEmail(shop, "abandoned_checkout_1", "pl");
    expect(abandoned.html).toContain("Brazil Santos 1 kg"); // a product of the shop, alphabetically among the first
  });

  it("shows recommendations only as a real send would: from the shop's product affinities, never invented", async () => {
    const shop = await getDb().prisma.shop.findFirstOrThrow();
    const withRecommendations = EMAIL_TEMPLATE_KEYS.filter((key) =>
      (EMAIL_CATALOGUE[key].blocks as readonly string[]).includes("recommendations"),
    );
    expect(withRecommendations.length).toBeGreaterThan(5);
    // Nothing computes affinities yet (the recommendation model is coming): no block at all.
    expect(await getDb().prisma.productAffinity.count()).toBe(0);
    for (const key of withRecommendations) {
      expect((await previewEmail(shop, key, "en")).html, key).not.toContain("You might also like");
      expect((await previewEmail(shop, key, "pl")).html, key).not.toContain("Może Ci się spodobać");
    }

    // Once affinities name a related product, a message listing products shows it, as a send would.
    const [related, ...others] = await getDb().prisma.product.findMany({ where: { shopId: shop.id }, orderBy: { title: "desc" } });
    await getDb().prisma.productAffinity.createMany({
      data: others.map((p) => ({
        shopId: shop.id,
        shopifyProductId: p.shopifyProductId,
        relatedProductId: related!.shopifyProductId,
        score: 1,
        computedAt: new Date(),
      })),
    });
    try {
      const checkout = await previewEmail(shop, "abandoned_checkout_2", "en");
      expect(checkout.html).toContain("You might also like");
      expect(checkout.html).toContain(related!.title);
      // A welcome lists no products, so a real one recommends none, and neither does its preview.
      expect((await previewEmail(shop, "welcome_1", "en")).html).not.toContain("You might also like");
    } finally {
      await getDb().prisma.productAffinity.deleteMany({ where: { shopId: shop.id } });
    }
  });

  it("sends a test to an internal address through SMTP, marked as a test", async () => {
    const shop = await getDb().prisma.shop.findFirstOrThrow();
    await sendTestEmail(shop, "welcome_1", "pl", shop.senderEmail!, "test");
    const mail = sunkMails()[0]!;
    expect(mail.subject).toMatch(/^\[TEST\] /);
    expect(mail.to).toContain(shop.senderEmail!);
    expect(await getDb().prisma.message.count()).toBe(0); // outside the outbox: no caps, no reports
  });

  it("refuses a customer's address", async () => {
    const shop = await getDb().prisma.shop.findFirstOrThrow();
    const customer = await getDb().prisma.customer.findFirstOrThrow({ where: { shopId: shop.id } });
    await expect(sendTestEmail(shop, "welcome_1", "en", customer.email!, "test")).rejects.toBeInstanceOf(TestSendRefused);
  });
});
