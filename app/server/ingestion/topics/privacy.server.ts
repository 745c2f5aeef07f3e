import { Prisma } from "@prisma/client";
import { PrivacyCustomerPayload, ShopRedactPayload } from "~/domain/capture/shopify-payloads";
import { normalizeEmail } from "~/domain/identity/normalize";
import type { Tx } from "../../profiles/identity.server";
import { DATA_REQUEST_ACTION, ERASED_ACTION } from "../../compliance/data-export.server";
import { parsePayload } from "./parse";
import type { TopicContext } from "./types";

/**
 * Erases a person's personal data but keeps the anonymous facts (an order happened,
 * a message was sent) so the shop's reports stay correct. The profile row remains as
 * a tombstone with consent "redacted", which also keeps them from being re-mailed.
 */
export async function redactProfile(tx: Tx, shopId: string, customerId: string, at: Date, reason: string): Promise<void> {
  const where = { shopId, customerId };
  await tx.customer.update({
    where: { id: customerId },
    data: {
      email: null,
      phone: null,
      shopifyCustomerId: null,
      firstName: null,
      lastName: null,
      countryCode: null,
      tags: [],
      properties: Prisma.DbNull,
      emailConsentState: "redacted",
      smsConsentState: "redacted",
      redactedAt: at,
    },
  });
  await tx.clientIdentity.deleteMany({ where });
  await tx.event.updateMany({ where, data: { data: Prisma.DbNull, clientId: null } });
  await tx.order.updateMany({ where, data: { email: null, landingSite: null } });
  await tx.checkout.deleteMany({ where });
  await tx.cart.deleteMany({ where });
  await tx.message.updateMany({ where, data: { toAddress: "redacted", payload: Prisma.DbNull, subject: null } });
  await tx.consentRecord.updateMany({ where, data: { evidence: Prisma.DbNull } });
  await tx.enrollment.updateMany({
    where: { ...where, status: "active" },
    data: { status: "exited", exitReason: "redacted", finishedAt: at, nextWakeAt: null },
  });
  await tx.auditLog.create({
    data: { shopId, actor: "shopify", action: ERASED_ACTION, subjectType: "customer", subjectId: customerId, details: { reason }, at },
  });
}

async function findProfiles(tx: Tx, shopId: string, c: { id?: bigint | null; email?: string | null }) {
  const or: Prisma.CustomerWhereInput[] = [];
  if (c.id != null) or.push({ shopifyCustomerId: c.id });
  const email = normalizeEmail(c.email);
  if (email) or.push({ email });
  return or.length ? tx.customer.findMany({ where: { shopId, OR: or }, select: { id: true } }) : [];
}

/** customers/redact (GDPR erasure, sent 10 days after the merchant's request, or 6 months after the last order). */
export async function handleCustomerRedact({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const p = parsePayload(PrivacyCustomerPayload, payload);
  for (const { id } of await findProfiles(tx, shop.id, p.customer)) {
    await redactProfile(tx, shop.id, id, at, "customers/redact");
  }
  // Orders of a guest checkout (no profile) are matched by their Shopify ids.
  const orderIds = (p.orders_to_redact ?? []).map((o) => BigInt(o));
  if (orderIds.length) {
    await tx.order.updateMany({ where: { shopId: shop.id, shopifyOrderId: { in: orderIds } }, data: { email: null, landingSite: null } });
  }
}

/**
 * customers/data_request: the merchant must hand the customer their data. We record
 * the request with what we hold (by reference, not by copying personal data into the
 * log); the merchant downloads the export from the admin's privacy page, built then
 * (app/server/compliance/data-export.server.ts).
 */
export async function handleDataRequest({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const p = parsePayload(PrivacyCustomerPayload, payload);
  const profiles = await findProfiles(tx, shop.id, p.customer);
  const ids = profiles.map((x) => x.id);
  const [events, orders, messages, consents] = await Promise.all([
    tx.event.count({ where: { shopId: shop.id, customerId: { in: ids } } }),
    tx.order.count({ where: { shopId: shop.id, customerId: { in: ids } } }),
    tx.message.count({ where: { shopId: shop.id, customerId: { in: ids } } }),
    tx.consentRecord.count({ where: { shopId: shop.id, customerId: { in: ids } } }),
  ]);
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor: "shopify",
      action: DATA_REQUEST_ACTION,
      subjectType: "customer",
      subjectId: ids[0] ?? null,
      details: { dataRequestId: p.data_request?.id ?? null, profiles: ids, held: { events, orders, messages, consents } },
      at,
    },
  });
}

/** shop/redact (48 h after uninstall): everything of the shop goes. */
export async function handleShopRedact({ tx, shop, payload, deliveryId }: TopicContext): Promise<void> {
  parsePayload(ShopRedactPayload, payload);
  await tx.webhookDelivery.deleteMany({ where: { shopDomain: shop.domain, NOT: { id: deliveryId } } });
  await tx.session.deleteMany({ where: { shop: shop.domain } });
  await tx.shop.delete({ where: { id: shop.id } }); // every tenant table cascades from Shop
}
