import type { Shop } from "@prisma/client";
import { db } from "../db/client.server";
import { CONSENT_COLUMNS } from "../profiles/consent-columns.server";

// A customer's right of access (GDPR/RODO art. 15; Shopify's customers/data_request):
// everything Flowmate holds on the profiles a request matched, in one JSON document
// for the merchant to pass on. Built when the merchant downloads it, never stored: a
// second copy of the personal data would be one more thing to secure and erase.

/** The audit actions customers/data_request and an erasure write (app/server/ingestion/topics/privacy.server.ts). */
export const DATA_REQUEST_ACTION = "privacy.data_requested";
export const ERASED_ACTION = "customer.redacted";

export interface DataRequestDetails {
  dataRequestId: string | number | null;
  profiles: string[];
}

export function dataRequestDetails(details: unknown): DataRequestDetails {
  const d = (details ?? {}) as { dataRequestId?: unknown; profiles?: unknown };
  return {
    dataRequestId: typeof d.dataRequestId === "string" || typeof d.dataRequestId === "number" ? d.dataRequestId : null,
    profiles: Array.isArray(d.profiles) ? d.profiles.filter((p): p is string => typeof p === "string") : [],
  };
}

/** JSON has no BigInt or Decimal: both become strings, dates ISO strings. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}

/** Every query is scoped by the shop and the request's profiles. */
export async function exportCustomerData(shop: Shop, customerIds: string[], at: Date) {
  const where = { shopId: shop.id, customerId: { in: customerIds } };
  const [profiles, identities, consent, orders, checkouts, carts, events, messages, journeys, decisions] = await Promise.all([
    db().customer.findMany({
      where: { shopId: shop.id, id: { in: customerIds } },
      select: {
        id: true,
        email: true,
        phone: true,
        firstName: true,
        lastName: true,
        locale: true,
        timezone: true,
        countryCode: true,
        tags: true,
        ...CONSENT_COLUMNS,
        ordersCount: true,
        totalSpent: true,
        firstOrderAt: true,
        lastOrderAt: true,
        lastSeenAt: true,
        lastEngagedAt: true,
        properties: true,
        redactedAt: true,
        createdAt: true,
      },
    }),
    db().clientIdentity.findMany({ where, select: { clientId: true, firstSeenAt: true, lastSeenAt: true } }),
    db().consentRecord.findMany({
      where,
      orderBy: { occurredAt: "asc" },
      select: { channel: true, state: true, optInLevel: true, source: true, occurredAt: true, evidence: true },
    }),
    db().order.findMany({
      where,
      orderBy: { processedAt: "asc" },
      select: {
        name: true,
        email: true,
        currency: true,
        totalPrice: true,
        discountCodes: true,
        financialStatus: true,
        fulfillmentStatus: true,
        processedAt: true,
        cancelledAt: true,
        lines: { select: { title: true, quantity: true, price: true } },
      },
    }),
    db().checkout.findMany({
      where,
      select: { email: true, phone: true, currency: true, totalPrice: true, lineItems: true, completedAt: true, createdAt: true },
    }),
    db().cart.findMany({ where, select: { currency: true, totalPrice: true, lineItems: true, createdAt: true } }),
    db().event.findMany({ where, orderBy: { occurredAt: "asc" }, select: { name: true, source: true, occurredAt: true, data: true } }),
    db().message.findMany({
      where,
      orderBy: { createdAt: "asc" },
      select: {
        channel: true,
        purpose: true,
        templateKey: true,
        subject: true,
        toAddress: true,
        status: true,
        sentAt: true,
        createdAt: true,
        events: { select: { type: true, url: true, occurredAt: true } },
      },
    }),
    db().enrollment.findMany({
      where,
      orderBy: { enteredAt: "asc" },
      select: { flow: { select: { name: true } }, status: true, holdout: true, enteredAt: true, finishedAt: true, exitReason: true },
    }),
    db().decision.findMany({ where, orderBy: { at: "asc" }, select: { outcome: true, reason: true, stepId: true, at: true } }),
  ]);
  return plain({
    format: "flowmate-customer-data/1",
    generatedAt: at.toISOString(),
    shop: { domain: shop.domain, name: shop.name },
    profiles,
    storefrontVisitorIds: identities,
    consentHistory: consent,
    orders,
    checkouts,
    carts,
    storefrontEvents: events,
    messages,
    journeys: journeys.map(({ flow, ...j }) => ({ flow: flow.name, ...j })),
    decisions,
  }) as Record<string, unknown>;
}
