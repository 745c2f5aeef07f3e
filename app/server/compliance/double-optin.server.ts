import type { Customer, Shop } from "@prisma/client";
import type { Locale } from "~/i18n";
import { complianceTranslator } from "~/i18n/compliance";
import { db } from "../db/client.server";
import type { Tx } from "../profiles/identity.server";
import { confirmOptInUrl } from "../security/message-links.server";
import { grantConsent } from "./consent-changes.server";
import { trySyncConsentNow } from "./consent-sync.server";
import { findLiveCustomer } from "./customers.server";

export const OPTIN_TEMPLATE = "double_optin_confirm";

/**
 * Queues the "confirm your subscription" email in the outbox, in the signup's own
 * transaction. At most one a day per customer (the idempotency key), so a shopper
 * who submits the form five times gets one email, and a bot cannot mail-bomb them.
 */
export async function enqueueOptInConfirmation(tx: Tx, shop: Shop, customer: Customer, locale: Locale, at: Date): Promise<void> {
  if (!customer.email) return;
  const day = at.toISOString().slice(0, 10);
  const t = complianceTranslator(locale);
  await tx.message.createMany({
    data: [
      {
        shopId: shop.id,
        customerId: customer.id,
        channel: "email",
        purpose: "transactional",
        idempotencyKey: `optin:${customer.id}:${day}`,
        toAddress: customer.email,
        templateKey: OPTIN_TEMPLATE,
        locale,
        subject: t("confirm.email.subject", { shop: shop.name }),
        payload: { confirmUrl: confirmOptInUrl({ shopId: shop.id, customerId: customer.id }, at.getTime()), shopName: shop.name },
        nextAttemptAt: at,
      },
    ],
    skipDuplicates: true,
  });
}

/** The confirmation click (POST): email consent becomes subscribed, confirmed_opt_in. */
export async function confirmOptIn(shopId: string, customerId: string, at: Date): Promise<Customer> {
  const result = await db().$transaction(async (tx) => {
    const customer = await findLiveCustomer(tx, shopId, customerId);
    if (!customer) throw new Error("confirm: unknown customer");
    const changed = await grantConsent(tx, customer, "email", "confirmed_opt_in", {
      at,
      source: "double_opt_in",
      evidence: { confirmed: true },
    });
    return { id: customer.id, changed };
  });
  if (result.changed) await trySyncConsentNow(shopId, result.id);
  return db().customer.findUniqueOrThrow({ where: { id: result.id } });
}
