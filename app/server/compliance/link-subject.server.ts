import type { Customer, Shop } from "@prisma/client";
import type { Locale } from "~/i18n";
import { shopperLocale } from "~/i18n/compliance";
import type { Channel } from "~/domain/consent/consent";
import { db } from "../db/client.server";
import type { TokenPurpose } from "../security/signed-token.server";
import { readLinkToken } from "../security/message-links.server";
import { findLiveCustomer } from "./customers.server";

export interface LinkSubjectContext {
  shop: Shop;
  customer: Customer;
  channel: Channel;
  messageId: string | null;
  locale: Locale;
}

export type LinkSubjectResult = { ok: true; subject: LinkSubjectContext } | { ok: false; reason: string };

/**
 * A signed link's shop and customer. The signature alone is not enough: the claims
 * must name an existing customer of an existing shop (a token signed for a deleted
 * shop, or edited to point elsewhere, is refused).
 */
export async function loadLinkSubject(purpose: TokenPurpose, token: string | undefined, nowMs: number): Promise<LinkSubjectResult> {
  const read = readLinkToken(purpose, token, nowMs);
  if (!read.ok) return read;
  const { shopId, customerId, channel, messageId } = read.claims;
  const shop = await db().shop.findUnique({ where: { id: shopId } });
  if (!shop) return { ok: false, reason: "unknown_shop" };
  const customer = await findLiveCustomer(db(), shop.id, customerId);
  if (!customer) return { ok: false, reason: "unknown_customer" };
  return {
    ok: true,
    subject: {
      shop,
      customer,
      channel: channel === "sms" ? "sms" : "email",
      messageId: messageId ?? null,
      locale: shopperLocale(customer.locale, shop.locale),
    },
  };
}
