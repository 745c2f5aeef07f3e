import type { CustomerFacts } from "~/domain/arbitration/types";
import type { PrismaSql, RawQuery } from "./clients.server";

// Customer rows as the journeys read them, and the set-based updates other modules
// make to them (tags, last seen, order aggregates, the consent writers' row lock).

/** A customer as the engine and arbitration see it, with the addresses to send to. */
export interface CustomerRecord extends CustomerFacts {
  shopId: string;
  emailAddress: string | null;
  phoneAddress: string | null;
  firstName: string | null;
  lastName: string | null;
  redacted: boolean;
}

const CUSTOMER_COLUMNS = `c.id, c."shopId", c.email, c.phone, c."firstName", c."lastName", c.locale, c.timezone, c."countryCode", c.tags,
  c."emailConsentState", c."smsConsentState", c."marketingPausedUntil", c."unsubscribedTopics", c."ordersCount",
  c."totalSpent"::float8 AS "totalSpent", c."firstOrderAt", c."lastOrderAt", c."lastSeenAt", c."lastEngagedAt",
  c."createdAt", c.properties, c."redactedAt",
  (SELECT s.reason FROM "Suppression" s WHERE s."shopId" = c."shopId" AND s.channel = 'email' AND s.address = c.email LIMIT 1) AS "emailSuppressed",
  (SELECT s.reason FROM "Suppression" s WHERE s."shopId" = c."shopId" AND s.channel = 'sms' AND s.address = c.phone LIMIT 1) AS "smsSuppressed"`;

const ms = (d: unknown) => (d ? new Date(d as Date | string).getTime() : null);

function toCustomerRecord(r: Record<string, unknown>): CustomerRecord {
  return {
    id: r.id as string,
    shopId: r.shopId as string,
    emailAddress: (r.email as string | null) ?? null,
    phoneAddress: (r.phone as string | null) ?? null,
    firstName: (r.firstName as string | null) ?? null,
    lastName: (r.lastName as string | null) ?? null,
    redacted: r.redactedAt != null,
    email: { address: Boolean(r.email), consent: r.emailConsentState as string, suppressed: (r.emailSuppressed as string | null) ?? null },
    sms: { address: Boolean(r.phone), consent: r.smsConsentState as string, suppressed: (r.smsSuppressed as string | null) ?? null },
    timezone: (r.timezone as string | null) ?? null,
    locale: (r.locale as string | null) ?? null,
    countryCode: (r.countryCode as string | null) ?? null,
    ordersCount: Number(r.ordersCount ?? 0),
    totalSpent: Number(r.totalSpent ?? 0),
    firstOrderAt: ms(r.firstOrderAt),
    lastOrderAt: ms(r.lastOrderAt),
    lastSeenAt: ms(r.lastSeenAt),
    lastEngagedAt: ms(r.lastEngagedAt),
    createdAt: ms(r.createdAt),
    tags: (r.tags as string[]) ?? [],
    marketingPausedUntil: ms(r.marketingPausedUntil),
    unsubscribedTopics: (r.unsubscribedTopics as string[]) ?? [],
    properties: (r.properties as Record<string, unknown> | null) ?? {},
  };
}

export async function loadCustomers(q: RawQuery, shopIds: string[], ids: string[]): Promise<Map<string, CustomerRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await q<Record<string, unknown>>(
    `SELECT ${CUSTOMER_COLUMNS} FROM "Customer" c WHERE c."shopId" = ANY($2::text[]) AND c.id = ANY($1::text[])`,
    [ids, shopIds],
  );
  return new Map(rows.map((r) => [r.id as string, toCustomerRecord(r)]));
}

/** Adds a tag unless the customer has it. */
export async function addCustomerTag(q: RawQuery, customerId: string, tag: string, at: Date): Promise<void> {
  await q(`UPDATE "Customer" SET tags = array_append(tags, $2), "updatedAt" = $3 WHERE id = $1 AND NOT ($2 = ANY(tags))`, [
    customerId,
    tag,
    at.toISOString(),
  ]);
}

/** Locks the row for the rest of the transaction (the lock the UPDATE that follows takes anyway). */
export async function lockCustomerRow(tx: PrismaSql, shopId: string, id: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Customer" WHERE id = ${id} AND "shopId" = ${shopId} FOR NO KEY UPDATE`;
}

/** The customers these visitors are stitched to were seen at `at` (never moved back). */
export async function touchVisitorsCustomers(tx: PrismaSql, shopId: string, clientIds: string[], at: Date): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Customer" c SET "lastSeenAt" = ${at}
    FROM "ClientIdentity" ci
    WHERE ci."shopId" = ${shopId} AND c."shopId" = ${shopId} AND c.id = ci."customerId" AND ci."clientId" = ANY(${clientIds}::text[])
      AND (c."lastSeenAt" IS NULL OR c."lastSeenAt" < ${at})`;
}

/** Order count, spend and first/last order dates (what RFM and win-back read), recomputed from the customer's orders. */
export async function refreshOrderAggregates(tx: PrismaSql, shopId: string, customerId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Customer" c SET
      "ordersCount" = COALESCE(s.n, 0), "totalSpent" = COALESCE(s.total, 0),
      "firstOrderAt" = s.first, "lastOrderAt" = s.last
    FROM (SELECT count(*)::int AS n, sum("totalPrice") AS total, min("processedAt") AS first, max("processedAt") AS last
          FROM "Order" WHERE "shopId" = ${shopId} AND "customerId" = ${customerId} AND "cancelledAt" IS NULL) s
    WHERE c.id = ${customerId} AND c."shopId" = ${shopId}`;
}

/** What the time-trigger sweep pre-filters on: a customer's lapse since a date, or having a date at all. */
export type CandidateFilter =
  | { kind: "inactive"; basis: "last_order" | "last_engaged" | "last_seen"; before: Date }
  | { kind: "has_date"; field: "birthday" | "first_order" | "signup" | "property" }
  | { kind: "none" };

function candidateSql(f: CandidateFilter): string {
  if (f.kind === "inactive") {
    if (f.basis === "last_order") return `c."lastOrderAt" <= $5`;
    if (f.basis === "last_engaged") return `COALESCE(c."lastEngagedAt", c."createdAt") <= $5`;
    return `COALESCE(c."lastSeenAt", c."createdAt") <= $5`;
  }
  if (f.kind === "has_date") {
    if (f.field === "first_order") return `c."firstOrderAt" IS NOT NULL`;
    if (f.field === "signup") return `true`;
    return `c.properties IS NOT NULL`;
  }
  return "false";
}

/**
 * Live customers of a shop who pass the filter and are neither in the flow (active, or
 * entered since `since`) nor refused by it since `since`, in id order. Read unlocked:
 * the caller decides after taking the entry locks.
 */
export async function timeTriggerCandidates(
  q: RawQuery,
  shopId: string,
  flowId: string,
  filter: CandidateFilter,
  since: Date,
  limit: number,
): Promise<string[]> {
  const rows = await q<{ id: string }>(
    `SELECT c.id FROM "Customer" c
     WHERE c."shopId" = $1 AND c."mergedIntoId" IS NULL AND c."redactedAt" IS NULL AND (${candidateSql(filter)})
       AND NOT EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."shopId" = $1 AND e."flowId" = $2 AND e."customerId" = c.id
                       AND (e.status = 'active' OR e."enteredAt" > $3))
       -- Asked within the day and refused (no consent...): the log says so once, not every sweep.
       AND NOT EXISTS (SELECT 1 FROM "Decision" d WHERE d."shopId" = $1 AND d."customerId" = c.id AND d."flowId" = $2
                       AND d.outcome = 'not_enrolled' AND d.at > $3)
     ORDER BY c.id LIMIT $4`,
    [shopId, flowId, since.toISOString(), limit, ...(filter.kind === "inactive" ? [filter.before.toISOString()] : [])],
  );
  return rows.map((r) => r.id);
}
