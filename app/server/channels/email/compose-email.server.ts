import type { Customer, Message, Shop } from "@prisma/client";
import type { SendMailOptions } from "nodemailer";
import { catalogueEntry } from "~/domain/messages/catalogue";
import type { EmailRenderContext } from "~/domain/messages/email-context";
import { isDiscountRequest, parseEmailPayload } from "~/domain/messages/email-payload";
import { emailContentFor } from "~/domain/messages/message-content";
import { shopLinkPolicy } from "~/domain/messages/shop-links";
import { resolveLocale } from "~/i18n";
import { now } from "../../clock.server";
import { confirmOptInUrl, linkEnv, preferencesUrl, unsubscribeUrl, type RecipientRef } from "../../security/message-links.server";
import { FEEDBACK_HEADER, feedbackHeaderToken } from "../../security/feedback-tokens.server";
import type { EmailContent } from "./email-content.server";
import { linkTracker } from "./link-tracking.server";
import { renderEmail, type RenderedEmail } from "./render-email.server";

export interface ComposedEmail {
  mail: SendMailOptions & { messageId: string; html: string; envelope: { from: string; to: string[] } };
  rendered: RenderedEmail;
}

/** Deterministic: a resend of the same row carries the same Message-ID, so it is recognisably one message. */
export function messageIdHeader(messageId: string, shopDomain: string): string {
  return `<${messageId}@flowmate.${shopDomain}>`;
}

/** Language: the customer's, else the shop's, else English. */
export function emailLocale(customer: Pick<Customer, "locale"> | null, shop: Pick<Shop, "locale">) {
  return resolveLocale(customer?.locale, shop.locale);
}

export interface ComposeOptions {
  /** The Flow row's key, for utm_campaign when the payload does not name one. */
  flowKey?: string | null;
  /** Lines, links, recommendations and discount resolved at send time; else taken from the payload as is. */
  content?: EmailContent;
}

/**
 * Everything that goes on the wire for one outbox row: rendered parts, tracked links,
 * open pixel, sender identity and the headers bulk-sender rules ask for.
 */
export async function composeEmail(
  message: Message,
  shop: Shop,
  customer: Customer | null,
  opts: ComposeOptions = {},
): Promise<ComposedEmail> {
  const payload = parseEmailPayload(message.payload);
  const content = opts.content ?? {
    items: payload.items ?? [],
    total: null,
    recoveryUrl: payload.recoveryUrl ?? null,
    recommendations: payload.recommendations ?? [],
    currency: payload.currency ?? null,
    discount: payload.discount && !isDiscountRequest(payload.discount) ? payload.discount : null,
  };
  const entry = catalogueEntry(message.templateKey);
  const marketing = message.purpose === "marketing" || entry.purpose === "marketing";
  const ref: RecipientRef = { shopId: shop.id, customerId: customer?.id ?? "", messageId: message.id, channel: "email" };
  const env = linkEnv();
  const base = env.base;
  const unsubscribe = marketing ? unsubscribeUrl(ref, env) : undefined;
  const context: EmailRenderContext = {
    shop: {
      name: shop.name,
      url: `https://${shop.primaryDomain ?? shop.domain}`,
      currency: shop.currency,
      postalAddress: asObject(shop.postalAddress),
      branding: asObject(shop.branding),
    },
    customer: {
      firstName: customer?.firstName ?? payload.customer?.firstName,
      lastName: customer?.lastName ?? payload.customer?.lastName,
      email: message.toAddress,
      properties: asObject(customer?.properties) as Record<string, unknown> | null,
    },
    links: {
      unsubscribeUrl: unsubscribe,
      preferencesUrl: marketing ? preferencesUrl(ref, env) : undefined,
      viewInBrowser: payload.viewInBrowser,
      recoveryUrl: content.recoveryUrl,
      reviewUrl: payload.reviewUrl,
      confirmUrl: payload.confirmUrl ?? (entry.cta === "confirmUrl" ? confirmOptInUrl(ref, now().getTime(), env) : undefined),
    },
    items: content.items,
    total: content.total,
    discount: content.discount,
    recommendations: content.recommendations,
    currency: content.currency ?? shop.currency,
    assetBaseUrl: base,
  };
  const locale = emailLocale(customer, shop);
  const rendered = await renderEmail({
    templateKey: message.templateKey,
    locale,
    context,
    subject: payload.subject ?? null,
    content: payload.content ? emailContentFor(payload.content, locale) : null,
  });
  const track = linkTracker({
    ref,
    env,
    shopLinks: shopLinkPolicy(shop),
    utm: { campaign: payload.flowKey ?? opts.flowKey ?? message.templateKey, content: message.templateKey },
  });
  const from = shop.senderEmail ?? `no-reply@${new URL(base).hostname}`;
  const messageId = messageIdHeader(message.id, shop.domain);
  return {
    rendered,
    mail: {
      from: { name: shop.senderName ?? shop.name, address: from },
      to: message.toAddress,
      replyTo: shop.replyTo ?? undefined,
      subject: rendered.subject,
      text: track.text(rendered.text),
      html: track.html(rendered.html),
      messageId,
      envelope: { from, to: [message.toAddress] },
      headers: {
        // Names this message, signed, in the bounces and spam complaints that come back
        // (feedback-tokens.server.ts); prepared: a token has no spaces to fold at.
        [FEEDBACK_HEADER]: { prepared: true, value: feedbackHeaderToken({ ...ref, messageId: message.id }, env.secret) },
        ...(unsubscribe
          ? {
              // RFC 8058 one-click: mailbox providers POST "List-Unsubscribe=One-Click" to the URL.
              "List-Unsubscribe": `<${unsubscribe}>`,
              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
          : {}),
      },
    },
  };
}

function asObject(value: unknown): Record<string, string | null | undefined> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, string | null | undefined>) : null;
}
