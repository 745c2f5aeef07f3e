import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_TEMPLATE_KEYS } from "~/domain/messages/catalogue";
import { closeMailTransport } from "~/server/channels/email/transport.server";
import { seedDemoShop } from "~/server/dev/seed-demo.server";
import { startSmtpSink, sunkMails } from "~/server/dev/smtp-sink.server";
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
