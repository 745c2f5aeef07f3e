import { DEFAULT_FREQUENCY_CAPS } from "~/domain/arbitration/caps";
import { DEFAULT_QUIET_HOURS } from "~/domain/arbitration/quiet-hours";
import type { CustomerFacts, FrequencyCaps, OtherEnrollment, RecentSend, ShopSettings } from "~/domain/arbitration/types";
import type { RawQuery } from "../db/client.server";

// Set-based loaders: one query per kind of fact for a whole batch of customers, so a
// batch of enrollments costs a handful of round trips, not a handful per enrollment.

export interface CustomerRecord extends CustomerFacts {
  shopId: string;
  emailAddress: string | null;
  phoneAddress: string | null;
  firstName: string | null;
  lastName: string | null;
  redacted: boolean;
}

const ms = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : null);

export async function loadCustomers(q: RawQuery, shopIds: string[], ids: string[]): Promise<Map<string, CustomerRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await q<Record<string, unknown>>(
    `SELECT c.id, c."shopId", c.email, c.phone, c."firstName", c."lastName", c.locale, c.timezone, c."countryCode", c.tags,
            c."emailConsentState", c."smsConsentState", c."marketingPausedUntil", c."unsubscribedTopics", c."ordersCount",
            c."totalSpent"::float8 AS "totalSpent", c."firstOrderAt", c."lastOrderAt", c."lastSeenAt", c."lastEngagedAt",
            c."createdAt", c.properties, c."redactedAt",
            (SELECT s.reason FROM "Suppression" s WHERE s."shopId" = c."shopId" AND s.channel = 'email' AND s.address = c.email LIMIT 1) AS "emailSuppressed",
            (SELECT s.reason FROM "Suppression" s WHERE s."shopId" = c."shopId" AND s.channel = 'sms' AND s.address = c.phone LIMIT 1) AS "smsSuppressed"
     FROM "Customer" c WHERE c."shopId" = ANY($2::text[]) AND c.id = ANY($1::text[])`,
    [ids, shopIds],
  );
  return new Map(
    rows.map((r) => [
      r.id as string,
      {
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
        firstOrderAt: ms(r.firstOrderAt as Date),
        lastOrderAt: ms(r.lastOrderAt as Date),
        lastSeenAt: ms(r.lastSeenAt as Date),
        lastEngagedAt: ms(r.lastEngagedAt as Date),
        createdAt: ms(r.createdAt as Date),
        tags: (r.tags as string[]) ?? [],
        marketingPausedUntil: ms(r.marketingPausedUntil as Date),
        unsubscribedTopics: (r.unsubscribedTopics as string[]) ?? [],
        properties: (r.properties as Record<string, unknown> | null) ?? {},
      },
    ]),
  );
}

export async function loadShops(q: RawQuery, ids: string[]): Promise<Map<string, ShopSettings & { installed: boolean; name: string; url: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await q<Record<string, unknown>>(
    `SELECT id, name, domain, "primaryDomain", timezone, locale, "quietHoursStart", "quietHoursEnd", "frequencyCaps", "holdoutPercent", "installState"
     FROM "Shop" WHERE id = ANY($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id as string,
      {
        id: r.id as string,
        timezone: r.timezone as string,
        locale: r.locale as string,
        quietHours:
          r.quietHoursStart === r.quietHoursEnd
            ? null
            : { startMinute: Number(r.quietHoursStart ?? DEFAULT_QUIET_HOURS.startMinute), endMinute: Number(r.quietHoursEnd ?? DEFAULT_QUIET_HOURS.endMinute) },
        frequencyCaps: { ...DEFAULT_FREQUENCY_CAPS, ...((r.frequencyCaps as Partial<FrequencyCaps> | null) ?? {}) },
        holdoutPercent: Number(r.holdoutPercent ?? 0),
        installed: r.installState === "installed",
        name: r.name as string,
        url: `https://${(r.primaryDomain as string | null) ?? (r.domain as string)}`,
      },
    ]),
  );
}

/** Messages of these customers since `since` that count against caps (queued ones included). */
export async function loadRecentSends(q: RawQuery, shopIds: string[], customerIds: string[], since: Date): Promise<Map<string, RecentSend[]>> {
  const out = new Map<string, RecentSend[]>();
  if (customerIds.length === 0) return out;
  const rows = await q<Record<string, unknown>>(
    `SELECT m."customerId", m.channel, m.purpose, COALESCE(m."sentAt", m."createdAt") AS at, f.key, f.priority
     FROM "Message" m LEFT JOIN "Flow" f ON f.id = m."flowId"
     WHERE m."shopId" = ANY($3::text[]) AND m."customerId" = ANY($1::text[]) AND m.status IN ('pending', 'sending', 'sent', 'unknown')
       AND COALESCE(m."sentAt", m."createdAt") >= $2`,
    [customerIds, since.toISOString(), shopIds],
  );
  for (const r of rows) {
    const list = out.get(r.customerId as string) ?? [];
    list.push({
      channel: r.channel as RecentSend["channel"],
      purpose: r.purpose as RecentSend["purpose"],
      at: ms(r.at as Date)!,
      flowKey: (r.key as string | null) ?? null,
      priority: r.priority == null ? null : Number(r.priority),
    });
    out.set(r.customerId as string, list);
  }
  return out;
}

/**
 * Other running enrollments that plan a send soon enough to compete for the same
 * slot (the priority check); one that only waits far ahead cannot collide yet.
 */
export async function loadActiveEnrollments(q: RawQuery, shopIds: string[], customerIds: string[], horizon: Date): Promise<Map<string, OtherEnrollment[]>> {
  const out = new Map<string, OtherEnrollment[]>();
  if (customerIds.length === 0) return out;
  const rows = await q<Record<string, unknown>>(
    `SELECT e.id, e."customerId", f.key, f.priority, e."plannedSendAt", e."plannedSendChannel"
     FROM "Enrollment" e JOIN "Flow" f ON f.id = e."flowId"
     WHERE e."shopId" = ANY($2::text[]) AND e."customerId" = ANY($1::text[]) AND e.status = 'active'
       AND e."plannedSendAt" IS NOT NULL AND e."plannedSendAt" <= $3`,
    [customerIds, shopIds, horizon.toISOString()],
  );
  for (const r of rows) {
    const list = out.get(r.customerId as string) ?? [];
    list.push({
      enrollmentId: r.id as string,
      flowKey: r.key as string,
      priority: Number(r.priority),
      nextSendAt: ms(r.plannedSendAt as Date),
      nextSendChannel: (r.plannedSendChannel as OtherEnrollment["nextSendChannel"]) ?? null,
    });
    out.set(r.customerId as string, list);
  }
  return out;
}

/** The longest cap window of any shop, so one query covers every customer's caps. */
export function capWindowStart(shops: Iterable<ShopSettings>, now: number): Date {
  let hours = 24 * 7;
  for (const s of shops) for (const rules of Object.values(s.frequencyCaps)) for (const r of rules) hours = Math.max(hours, r.windowHours);
  return new Date(now - hours * 3_600_000);
}
