import crypto from "node:crypto";
import type { Customer, Message, Shop } from "@prisma/client";
import { z } from "zod";
import { catalogueEntry } from "~/domain/messages/catalogue";
import { isDiscountRequest, parseEmailPayload } from "~/domain/messages/email-payload";
import type { Locale } from "~/i18n";
import { db } from "../db/client.server";
import { now } from "../clock.server";
import { composeEmail } from "../channels/email/compose-email.server";
import { emailContent } from "../channels/email/email-content.server";
import { mailTransport } from "../channels/email/transport.server";
import { shopEmailSendingOptions } from "../channels/shop-sending.server";

/**
 * Preview and test send for the admin: the real composer (templates, branding,
 * tracked links, headers) on sample content from the shop's own catalogue. Test
 * sends go only to the shop's internal addresses (sender, reply-to and the
 * addresses listed in settings.testRecipients), never to a customer, and never
 * through the outbox, so they touch no caps, consent or reports.
 *
 * Messages that list products get two of the shop's products as the trigger's lines,
 * as a checkout, cart or order brings them, and the composer fills items and
 * recommendations exactly as for a real send: recommendations appear only where the
 * shop's product affinities name some for those lines (none until the recommendation
 * model exists), never invented for the preview. Messages that list no products (a
 * welcome, a win-back) get no lines and so no recommendations: a preview never shows
 * more than a real send would.
 */
export async function sampleMessage(
  shop: Shop,
  templateKey: string,
  locale: Locale,
  to: string,
  own: { payload?: Record<string, unknown>; purpose?: "marketing" | "transactional"; items?: boolean } = {},
): Promise<Message> {
  const entry = catalogueEntry(templateKey); // throws on an unknown template
  const products = await db().product.findMany({
    where: { shopId: shop.id, status: "active", deletedAt: null },
    take: 2,
    orderBy: { title: "asc" },
  });
  const url = `https://${shop.primaryDomain ?? shop.domain}`;
  const lines = products.map((p) => ({
    productId: String(p.shopifyProductId),
    title: p.title,
    quantity: 1,
    price: p.priceMin?.toString() ?? null,
  }));
  const at = now();
  return {
    id: `preview-${crypto.randomUUID()}`,
    shopId: shop.id,
    customerId: null,
    enrollmentId: null,
    flowId: null,
    stepId: null,
    channel: "email",
    purpose: own.purpose ?? entry.purpose,
    idempotencyKey: `preview:${crypto.randomUUID()}`,
    status: "pending",
    toAddress: to,
    templateKey,
    locale,
    variant: null,
    subject: null,
    payload: {
      customer: { firstName: locale === "pl" ? "Anna" : "Alex" },
      trigger: (own.items ?? entry.blocks.includes("items")) ? { lines } : {},
      recoveryUrl: `${url}/cart`,
      reviewUrl: `${url}/products/${products[0]?.handle ?? ""}#reviews`,
      currency: shop.currency,
      discount: {
        code: "PREVIEW-10OFF",
        kind: "percentage",
        value: "10",
        expiresAt: new Date(at.getTime() + 72 * 3_600_000).toISOString(),
      },
      ...own.payload,
    },
    messageIdHeader: null,
    providerId: null,
    attempts: 0,
    nextAttemptAt: at,
    leaseOwner: null,
    leaseExpiresAt: null,
    sentAt: null,
    error: null,
    createdAt: at,
    updatedAt: at,
  };
}

export async function previewEmail(shop: Shop, templateKey: string, locale: Locale) {
  const message = await sampleMessage(shop, templateKey, locale, shop.senderEmail ?? `preview@${shop.domain}`);
  const composed = await composeSample(message, shop, locale);
  return { subject: composed.rendered.subject, html: composed.rendered.html, text: composed.rendered.text };
}

export function internalAddresses(shop: Shop): string[] {
  const listed = z.object({ testRecipients: z.array(z.string().email()).default([]) }).safeParse(shop.settings ?? {});
  return [
    ...new Set(
      [shop.senderEmail, shop.replyTo, ...(listed.success ? listed.data.testRecipients : [])]
        .filter((a): a is string => Boolean(a))
        .map((a) => a.toLowerCase()),
    ),
  ];
}

export async function sendTestEmail(
  shop: Shop,
  templateKey: string,
  locale: Locale,
  to: string,
  actor: string,
): Promise<{ messageId: string }> {
  const address = to.trim().toLowerCase();
  if (!internalAddresses(shop).includes(address)) {
    throw new TestSendRefused(
      `Test sends go only to the shop's internal addresses: ${internalAddresses(shop).join(", ") || "(none configured)"}`,
    );
  }
  const message = await sampleMessage(shop, templateKey, locale, address);
  const composed = await composeSample(message, shop, locale);
  // As a real send goes: through the shop's own provider and signed with its DKIM key when it has them.
  const via = await shopEmailSendingOptions(shop.id);
  const info = await mailTransport(via.smtpUrl).sendMail({
    ...composed.mail,
    ...(via.dkim ? { dkim: via.dkim } : {}),
    subject: `[TEST] ${composed.mail.subject}`,
  });
  await db().auditLog.create({
    data: { shopId: shop.id, actor, action: "message.test_sent", details: { templateKey, locale, to: "internal" }, at: now() },
  });
  return { messageId: String(info.messageId ?? composed.mail.messageId) };
}

export class TestSendRefused extends Error {}

/** As the dispatcher composes a send: the content (lines, recommendations) filled from the shop's data first. */
export async function composeSample(message: Message, shop: Shop, locale: Locale, customer?: Customer | null) {
  const payload = parseEmailPayload(message.payload);
  const discount = payload.discount && !isDiscountRequest(payload.discount) ? payload.discount : null;
  const content = await emailContent(shop, message.templateKey, payload, discount);
  // A chosen customer is shown in the chosen language, as that customer would read it in it.
  return composeEmail(message, shop, customer ? { ...customer, locale } : previewRecipient(locale), { content });
}

/** The composer reads only the language from a preview's recipient; there is no real customer. */
function previewRecipient(locale: Locale): Customer {
  return { locale } as Customer;
}
