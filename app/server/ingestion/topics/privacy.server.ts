import { Prisma } from "@prisma/client";
import { PrivacyCustomerPayload, ShopRedactPayload } from "~/domain/capture/shopify-payloads";
import { normalizeEmail } from "~/domain/identity/normalize";
import type { Tx } from "../../profiles/identity.server";
import { DATA_REQUEST_ACTION, ERASED_ACTION } from "../../compliance/data-export.server";
import { rawQueryOf } from "../../db/sql/clients.server";
import { lockCustomers, scrubTraces, type Traces } from "../../db/sql/erasure.server";
import { dropPixelRequestsNaming, holdShopPixelInbox } from "../pixel-inbox-erasure.server";
import { parsePayload } from "./parse";
import type { TopicContext } from "./types";

/**
 * Erases a person's personal data but keeps the anonymous facts (an order happened,
 * a message was sent) so the shop's reports stay correct. The profile row remains as
 * a tombstone with consent "redacted", which also keeps them from being re-mailed.
 * Whatever identified them (email, phone, name, Shopify id, storefront client ids,
 * checkout and cart tokens, recovery URLs) goes from every row that carried it,
 * including the profiles merged into this one (tests/privacy/erasure.db.test.ts scans
 * every column of every table for them). `orderIds` are Shopify's orders_to_redact:
 * those orders are also unlinked from the profile.
 */
export async function redactProfile(
  tx: Tx,
  shop: { id: string; domain: string },
  customerId: string,
  at: Date,
  reason: string,
  orderIds: bigint[] = [],
): Promise<void> {
  const shopId = shop.id;
  // Pixel requests a worker is expanding right now become events (and client links)
  // before anything is read here; the shop's others wait until this commits.
  await holdShopPixelInbox(rawQueryOf(tx), shopId);
  const customerIds = await withMergedProfiles(tx, shopId, customerId);
  // Their rows stay as they are until this commits: a concurrent customers/update cannot write back what is erased.
  await lockCustomers(rawQueryOf(tx), shopId, customerIds);
  const people = await tx.customer.findMany({
    where: { shopId, id: { in: customerIds } },
    select: { email: true, phone: true, shopifyCustomerId: true },
  });
  const emails = people.flatMap((c) => (c.email ? [c.email] : []));
  const phones = people.flatMap((c) => (c.phone ? [c.phone] : []));
  const shopifyIds = people.flatMap((c) => (c.shopifyCustomerId != null ? [c.shopifyCustomerId] : []));
  const clientIds = (
    await tx.clientIdentity.findMany({ where: { shopId, customerId: { in: customerIds } }, select: { clientId: true } })
  ).map((c) => c.clientId);
  const ordersWhere: Prisma.OrderWhereInput = {
    shopId,
    OR: [
      { customerId: { in: customerIds } },
      { shopifyCustomerId: { in: shopifyIds } },
      { email: { in: emails } },
      { shopifyOrderId: { in: orderIds } },
    ],
  };
  const orders = await tx.order.findMany({ where: ordersWhere, select: { checkoutToken: true, cartToken: true } });
  const checkoutsWhere: Prisma.CheckoutWhereInput = {
    shopId,
    OR: [
      { customerId: { in: customerIds } },
      { email: { in: emails } },
      { phone: { in: phones } },
      { token: { in: orders.flatMap((o) => (o.checkoutToken ? [o.checkoutToken] : [])) } },
    ],
  };
  const checkouts = await tx.checkout.findMany({ where: checkoutsWhere, select: { token: true, recoveryUrl: true } });
  const enrollmentKeys = await tx.enrollment.findMany({
    where: { shopId, customerId: { in: customerIds }, contextKey: { not: null } },
    select: { contextKey: true },
  });
  const cartTokens = orders.flatMap((o) => (o.cartToken ? [o.cartToken] : []));
  const messageIds = (
    await tx.message.findMany({
      where: { shopId, OR: [{ customerId: { in: customerIds } }, { toAddress: { in: [...emails, ...phones] } }] },
      select: { id: true },
    })
  ).map((m) => m.id);

  const traces: Traces = {
    strings: [
      ...emails,
      ...phones,
      ...phones.map((p) => p.replace(/^\+/, "")),
      ...clientIds,
      ...cartTokens,
      ...checkouts.flatMap((c) => [c.token, ...(c.recoveryUrl ? [c.recoveryUrl] : [])]),
      ...orders.flatMap((o) => (o.checkoutToken ? [o.checkoutToken] : [])),
      // Checkout tokens, or an order id for order-triggered flows: only this person's.
      ...enrollmentKeys.flatMap((e) => (e.contextKey && !/^\d+$/.test(e.contextKey) ? [e.contextKey] : [])),
    ],
    numbers: shopifyIds.map(String),
  };
  // Requests still waiting in the pixel inbox (compressed, invisible to a column scan).
  await dropPixelRequestsNaming(rawQueryOf(tx), shopId, [...emails, ...phones, ...clientIds]);
  // Rows that hold traces in free text go first, while the rows that name them still link them.
  await scrubTraces(rawQueryOf(tx), { shopId, shopDomain: shop.domain, customerIds, clientIds, messageIds }, traces);

  await tx.customer.updateMany({
    where: { shopId, id: { in: customerIds } },
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
  const where = { shopId, customerId: { in: customerIds } };
  await tx.clientIdentity.deleteMany({ where: { shopId, OR: [{ customerId: { in: customerIds } }, { clientId: { in: clientIds } }] } });
  await tx.event.updateMany({
    where: { shopId, OR: [where, { clientId: { in: clientIds } }] },
    data: { data: Prisma.DbNull, clientId: null },
  });
  if (orderIds.length) await tx.order.updateMany({ where: { shopId, shopifyOrderId: { in: orderIds } }, data: { customerId: null } });
  await tx.order.updateMany({
    where: ordersWhere,
    data: { email: null, landingSite: null, shopifyCustomerId: null, checkoutToken: null, cartToken: null },
  });
  await tx.checkout.deleteMany({ where: checkoutsWhere });
  await tx.cart.deleteMany({ where: { shopId, OR: [where, { clientId: { in: clientIds } }, { token: { in: cartTokens } }] } });
  await tx.message.updateMany({
    where: { shopId, id: { in: messageIds } },
    data: { toAddress: "redacted", payload: Prisma.DbNull, subject: null },
  });
  await tx.consentRecord.updateMany({ where, data: { evidence: Prisma.DbNull } });
  await tx.suppression.deleteMany({ where: { shopId, address: { in: [...emails, ...phones] } } });
  await tx.enrollment.updateMany({
    where: { ...where, status: "active" },
    data: { status: "exited", exitReason: "redacted", finishedAt: at, nextWakeAt: null, plannedSendAt: null, plannedSendChannel: null },
  });
  await tx.auditLog.create({
    data: { shopId, actor: "shopify", action: ERASED_ACTION, subjectType: "customer", subjectId: customerId, details: { reason }, at },
  });
}

/** The profile and every profile merged into it (merges chain: a loser may have absorbed others before). */
async function withMergedProfiles(tx: Tx, shopId: string, customerId: string): Promise<string[]> {
  const all = new Set([customerId]);
  let frontier = [customerId];
  for (let hops = 0; frontier.length && hops < 10; hops++) {
    const next = await tx.customer.findMany({ where: { shopId, mergedIntoId: { in: frontier } }, select: { id: true } });
    frontier = next.map((c) => c.id).filter((id) => !all.has(id));
    for (const id of frontier) all.add(id);
  }
  return [...all];
}

async function findProfiles(tx: Tx, shopId: string, c: { id?: bigint | null; email?: string | null; phone?: string | null }) {
  const or: Prisma.CustomerWhereInput[] = [];
  if (c.id != null) or.push({ shopifyCustomerId: c.id });
  const email = normalizeEmail(c.email);
  if (email) or.push({ email });
  return or.length ? tx.customer.findMany({ where: { shopId, OR: or }, select: { id: true } }) : [];
}

/** customers/redact (GDPR erasure, sent 10 days after the merchant's request, or 6 months after the last order). */
export async function handleCustomerRedact({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const p = parsePayload(PrivacyCustomerPayload, payload);
  const orderIds = (p.orders_to_redact ?? []).map((o) => BigInt(o));
  for (const { id } of await findProfiles(tx, shop.id, p.customer)) {
    await redactProfile(tx, shop, id, at, "customers/redact", orderIds);
  }
  // Orders of a guest checkout (no profile) are matched by their Shopify ids.
  if (orderIds.length) {
    await tx.order.updateMany({
      where: { shopId: shop.id, shopifyOrderId: { in: orderIds } },
      data: { customerId: null, email: null, landingSite: null, shopifyCustomerId: null, checkoutToken: null, cartToken: null },
    });
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
