import type { Shop } from "@prisma/client";
import { flowDisplayName } from "~/domain/flows";
import { normalizeEmail, normalizePhone } from "~/domain/identity/normalize";
import type { Locale } from "~/i18n";
import { db } from "../db/client.server";
import { CONSENT_COLUMNS } from "../profiles/consent-columns.server";

// "Why did this customer get, or not get, this message?": the decision log read back
// per customer, with the profile's consent and the flows they went through. Every
// query is scoped by the shop.

/** Decisions per page of a customer's timeline; older pages follow a cursor. */
export const TIMELINE_PAGE = 50;

export interface WhyDecision {
  id: string;
  at: string;
  customerId: string | null;
  customer: string | null;
  flow: string | null;
  stepId: string | null;
  outcome: string;
  reason: string;
  channel: string | null;
  /** A deferral's slot: when the send is tried again (ISO); null for other outcomes. */
  until: string | null;
  /** Other rules that also held a deferred send (e.g. quiet hours behind a frequency cap). */
  alsoBlockedBy: string[];
  message: { status: string; subject: string | null; sentAt: string | null } | null;
}

/** Profiles matching an email, a phone number or a Shopify customer id (exact, normalised). */
export async function findCustomers(shop: Shop, query: string) {
  const q = query.trim();
  if (!q) return [];
  const or = [];
  const email = q.includes("@") ? normalizeEmail(q) : null;
  if (email) or.push({ email });
  // A number typed without its country code is read as one of the shop's country.
  const country = (shop.postalAddress as { countryCodeV2?: unknown } | null)?.countryCodeV2;
  const phone = email ? null : normalizePhone(q, typeof country === "string" ? country : null);
  if (phone) or.push({ phone });
  if (/^\d{1,18}$/.test(q)) or.push({ shopifyCustomerId: BigInt(q) });
  if (or.length === 0) return [];
  const rows = await db().customer.findMany({
    where: { shopId: shop.id, mergedIntoId: null, OR: or },
    select: { id: true, email: true, phone: true, firstName: true, lastName: true },
    take: 10,
  });
  return rows.map((c) => ({ ...c, name: displayName(c) }));
}

/** What the page calls a customer: their name, else their email or phone. */
function displayName(c: { firstName: string | null; lastName: string | null; email: string | null; phone: string | null }): string | null {
  return [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || c.phone || null;
}

/** The shop's latest decisions, for the page before a search. */
export async function recentDecisions(shop: Shop, locale: Locale, take = 25): Promise<WhyDecision[]> {
  const rows = await db().decision.findMany({ where: { shopId: shop.id }, orderBy: [{ at: "desc" }, { id: "desc" }], take });
  return describeDecisions(shop, rows, locale);
}

/**
 * A customer's profile, flows and decision timeline, newest first, one page at a time:
 * `before` is the id of the last decision on the previous page (a cursor, so decisions
 * written while the merchant reads do not shift the pages).
 */
export async function customerWhy(shop: Shop, customerId: string, locale: Locale, opts: { before?: string | null } = {}) {
  const customer = await db().customer.findFirst({
    where: { id: customerId, shopId: shop.id },
    select: {
      id: true,
      email: true,
      phone: true,
      firstName: true,
      lastName: true,
      locale: true,
      redactedAt: true,
      ...CONSENT_COLUMNS,
      lastEngagedAt: true,
    },
  });
  if (!customer) return null;
  const cursor = await decisionCursor(shop.id, customerId, opts.before);
  const [page, enrollments, suppressions] = await Promise.all([
    db().decision.findMany({
      where: {
        shopId: shop.id,
        customerId,
        ...(cursor ? { OR: [{ at: { lt: cursor.at } }, { at: cursor.at, id: { lt: cursor.id } }] } : {}),
      },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: TIMELINE_PAGE + 1,
    }),
    db().enrollment.findMany({
      where: { shopId: shop.id, customerId },
      orderBy: { enteredAt: "desc" },
      select: {
        id: true,
        status: true,
        holdout: true,
        enteredAt: true,
        finishedAt: true,
        exitReason: true,
        flow: { select: { key: true, name: true } },
      },
    }),
    db().suppression.findMany({
      where: { shopId: shop.id, address: { in: [customer.email, customer.phone].filter((a): a is string => Boolean(a)) } },
      select: { channel: true, reason: true, createdAt: true },
    }),
  ]);
  const decisions = page.slice(0, TIMELINE_PAGE);
  return {
    /** Whether this page starts after a cursor (so a link back to the newest makes sense). */
    paged: cursor !== null,
    /** The cursor of the next, older page; null on the last page. */
    olderBefore: page.length > TIMELINE_PAGE ? decisions.at(-1)!.id.toString() : null,
    customer: {
      ...customer,
      name: displayName(customer),
      emailConsentUpdatedAt: customer.emailConsentUpdatedAt?.toISOString() ?? null,
      smsConsentUpdatedAt: customer.smsConsentUpdatedAt?.toISOString() ?? null,
      marketingPausedUntil: customer.marketingPausedUntil?.toISOString() ?? null,
      lastEngagedAt: customer.lastEngagedAt?.toISOString() ?? null,
      redactedAt: customer.redactedAt?.toISOString() ?? null,
    },
    suppressions: suppressions.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
    enrollments: enrollments.map((e) => ({
      id: e.id,
      flow: flowDisplayName(e.flow, locale),
      status: e.status,
      holdout: e.holdout,
      enteredAt: e.enteredAt.toISOString(),
      finishedAt: e.finishedAt?.toISOString() ?? null,
      exitReason: e.exitReason,
    })),
    decisions: await describeDecisions(shop, decisions, locale),
  };
}

/** The decision a page starts after, if it is this customer's in this shop. */
async function decisionCursor(shopId: string, customerId: string, before: string | null | undefined) {
  if (!before || !/^\d{1,19}$/.test(before)) return null;
  return db().decision.findFirst({ where: { id: BigInt(before), shopId, customerId }, select: { id: true, at: true } });
}

type DecisionRow = Awaited<ReturnType<ReturnType<typeof db>["decision"]["findMany"]>>[number];

async function describeDecisions(shop: Shop, rows: DecisionRow[], locale: Locale): Promise<WhyDecision[]> {
  const ids = (pick: (r: DecisionRow) => string | null) => [...new Set(rows.map(pick).filter((x): x is string => Boolean(x)))];
  const [flows, messages, customers] = await Promise.all([
    db().flow.findMany({ where: { shopId: shop.id, id: { in: ids((r) => r.flowId) } }, select: { id: true, key: true, name: true } }),
    db().message.findMany({
      where: { shopId: shop.id, id: { in: ids((r) => r.messageId) } },
      select: { id: true, status: true, subject: true, sentAt: true, channel: true },
    }),
    db().customer.findMany({
      where: { shopId: shop.id, id: { in: ids((r) => r.customerId) } },
      select: { id: true, email: true, phone: true, firstName: true, lastName: true },
    }),
  ]);
  const flowName = new Map(flows.map((f) => [f.id, flowDisplayName(f, locale)]));
  const message = new Map(messages.map((m) => [m.id, m]));
  const who = new Map(customers.map((c) => [c.id, displayName(c)]));
  return rows.map((r) => {
    const m = r.messageId ? message.get(r.messageId) : undefined;
    const details = (r.details ?? {}) as { channel?: unknown; until?: unknown; wouldSendAt?: unknown; alsoBlockedBy?: unknown };
    const until = r.outcome === "defer" ? details.until : r.reason === "deferral_expired" ? details.wouldSendAt : undefined;
    return {
      id: r.id.toString(),
      at: r.at.toISOString(),
      customerId: r.customerId,
      customer: r.customerId ? (who.get(r.customerId) ?? null) : null,
      flow: r.flowId ? (flowName.get(r.flowId) ?? null) : null,
      stepId: r.stepId,
      outcome: r.outcome,
      reason: r.reason,
      channel: m?.channel ?? (typeof details.channel === "string" ? details.channel : null),
      until: typeof until === "number" && Number.isFinite(until) ? new Date(until).toISOString() : null,
      alsoBlockedBy: Array.isArray(details.alsoBlockedBy) ? details.alsoBlockedBy.filter((x): x is string => typeof x === "string") : [],
      message: m ? { status: m.status, subject: m.subject, sentAt: m.sentAt?.toISOString() ?? null } : null,
    };
  });
}
