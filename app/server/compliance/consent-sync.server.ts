import type { AuditLog, Customer, Prisma } from "@prisma/client";
import type { Channel } from "~/domain/consent/consent";
import { now as clockNow } from "../clock.server";
import { db } from "../db/client.server";
import { log } from "../log.server";
import { isInfrastructureFailure } from "../worker/failure-text.server";
import { recordItemFailure } from "../worker/quarantine.server";
import type { Tx } from "../profiles/identity.server";
import { adminGraphql } from "../shopify/admin-graphql.server";

// Consent changes made here (unsubscribe link, preference center, SMS STOP, double
// opt-in) are written back to Shopify's customer marketing consent, so the merchant's
// admin and other apps see them. The queue is the audit log itself: the change's own
// transaction appends "consent.sync_pending"; a processed row becomes
// "consent.synced" (or "consent.sync_failed"/"consent.sync_skipped"), so the intent
// survives a crash or a Shopify outage and the history stays in one place.

export const SYNC_PENDING = "consent.sync_pending";
export const SYNCED = "consent.synced";
export const SYNC_FAILED = "consent.sync_failed";
export const SYNC_SKIPPED = "consent.sync_skipped";

const MAX_ATTEMPTS = 8;
// A claimed row becomes due again after this, should its worker die mid-call.
const LEASE_MS = 2 * 60_000;
const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000];

interface PendingDetails {
  channel: Channel;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
}

/** Queues a write-back for a customer Shopify knows. Call inside the consent change's transaction. */
export async function enqueueConsentSync(tx: Tx, customer: Customer, channel: Channel, at: Date): Promise<void> {
  if (customer.shopifyCustomerId === null) return;
  const details: PendingDetails = { channel, attempts: 0, nextAttemptAt: at.toISOString() };
  await tx.auditLog.create({
    data: {
      shopId: customer.shopId,
      actor: "system",
      action: SYNC_PENDING,
      subjectType: "customer",
      subjectId: customer.id,
      details: { ...details },
      at,
    },
  });
}

const EMAIL_MUTATION = `#graphql
mutation FlowmateEmailConsentUpdate($input: CustomerEmailMarketingConsentUpdateInput!) {
  customerEmailMarketingConsentUpdate(input: $input) { customer { id } userErrors { field message } }
}`;
const SMS_MUTATION = `#graphql
mutation FlowmateSmsConsentUpdate($input: CustomerSmsMarketingConsentUpdateInput!) {
  customerSmsMarketingConsentUpdate(input: $input) { customer { id } userErrors { field message } }
}`;

type UserErrors = { field: string[] | null; message: string }[];
type EmailResult = { customerEmailMarketingConsentUpdate: { userErrors: UserErrors } | null };
type SmsResult = { customerSmsMarketingConsentUpdate: { userErrors: UserErrors } | null };

// Only settled states are mirrored; Shopify has no "not_subscribed -> pending" for SMS
// and "redacted" is Shopify's own to set.
const SHOPIFY_STATE: Record<string, string> = { subscribed: "SUBSCRIBED", unsubscribed: "UNSUBSCRIBED" };

class PermanentSyncError extends Error {}

/** Sends the customer's CURRENT consent (not the queued one): a later change supersedes an earlier row. */
async function pushConsent(customer: Customer, channel: Channel, shopDomain: string): Promise<"synced" | "skipped"> {
  const state = SHOPIFY_STATE[customer[`${channel}ConsentState`]];
  if (!state || customer.shopifyCustomerId === null) return "skipped";
  const session = await db().session.findFirst({ where: { shop: shopDomain, isOnline: false }, select: { accessToken: true } });
  if (!session?.accessToken) throw new Error("no offline session for the shop");
  const level = customer[`${channel}OptInLevel`];
  const consent = {
    marketingState: state,
    ...(level ? { marketingOptInLevel: level.toUpperCase() } : {}),
    ...(customer[`${channel}ConsentUpdatedAt`] ? { consentUpdatedAt: customer[`${channel}ConsentUpdatedAt`]!.toISOString() } : {}),
  };
  const customerId = `gid://shopify/Customer/${customer.shopifyCustomerId}`;
  const gql = adminGraphql(shopDomain, session.accessToken);
  const errors =
    channel === "email"
      ? (await gql<EmailResult>(EMAIL_MUTATION, { input: { customerId, emailMarketingConsent: consent } }))
          .customerEmailMarketingConsentUpdate?.userErrors
      : (await gql<SmsResult>(SMS_MUTATION, { input: { customerId, smsMarketingConsent: consent } })).customerSmsMarketingConsentUpdate
          ?.userErrors;
  // userErrors (customer gone, no phone on file) will not change on a retry.
  if (errors?.length) throw new PermanentSyncError(errors.map((e) => e.message).join("; "));
  return "synced";
}

export interface SyncResult {
  synced: number;
  skipped: number;
  failed: number;
  retrying: number;
}

/**
 * Processes due write-backs. Called inline right after a change (best effort, that
 * customer only) and by the worker for everything else.
 */
export async function syncPendingConsentToShopify(
  opts: { shopId?: string; customerId?: string; limit?: number; now?: Date } = {},
): Promise<SyncResult> {
  const at = opts.now ?? clockNow();
  const result: SyncResult = { synced: 0, skipped: 0, failed: 0, retrying: 0 };
  const rows = await db().auditLog.findMany({
    where: {
      action: SYNC_PENDING,
      ...(opts.shopId ? { shopId: opts.shopId } : {}),
      ...(opts.customerId ? { subjectId: opts.customerId } : {}),
    },
    orderBy: { id: "asc" },
    take: opts.limit ?? 100,
  });
  for (const row of rows) {
    let outcome: keyof SyncResult | null;
    try {
      outcome = await processRow(row, at);
    } catch (err) {
      // A row this code cannot handle (its details unreadable): counted, and set aside
      // on the second failure, so the rows behind it are still written back.
      if (isInfrastructureFailure(err)) throw err;
      await recordItemFailure({ kind: "consent-write-back", itemId: String(row.id), shopId: row.shopId }, err);
      outcome = "failed";
    }
    if (outcome) result[outcome]++;
  }
  return result;
}

async function processRow(row: AuditLog, at: Date): Promise<keyof SyncResult | null> {
  const details = row.details as unknown as PendingDetails;
  if (new Date(details.nextAttemptAt) > at) return null;
  // Compare-and-set on the details: of two workers, one claims the row; the lease
  // makes it due again if this one dies before writing the outcome.
  const claimed: PendingDetails = {
    ...details,
    attempts: details.attempts + 1,
    nextAttemptAt: new Date(at.getTime() + LEASE_MS).toISOString(),
  };
  const won = await db().auditLog.updateMany({
    where: { id: row.id, action: SYNC_PENDING, details: { equals: row.details as Prisma.InputJsonValue } },
    data: { details: { ...claimed } },
  });
  if (won.count === 0) return null;

  const finish = (action: string, extra: Record<string, unknown>) =>
    db().auditLog.update({ where: { id: row.id }, data: { action, details: { ...claimed, ...extra, finishedAt: at.toISOString() } } });
  try {
    const [customer, shop] = await Promise.all([
      db().customer.findFirst({ where: { id: row.subjectId ?? "", shopId: row.shopId } }),
      db().shop.findUnique({ where: { id: row.shopId }, select: { domain: true } }),
    ]);
    if (!customer || !shop || customer.redactedAt) {
      await finish(SYNC_SKIPPED, { reason: "customer_gone" });
      return "skipped";
    }
    const outcome = await pushConsent(customer, details.channel, shop.domain);
    await finish(outcome === "synced" ? SYNCED : SYNC_SKIPPED, { state: customer[`${details.channel}ConsentState`] });
    return outcome;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof PermanentSyncError || claimed.attempts >= MAX_ATTEMPTS) {
      log.warn("consent write-back to Shopify failed for good", { shopId: row.shopId, row: String(row.id), err: message });
      await finish(SYNC_FAILED, { lastError: message });
      return "failed";
    }
    const delay = BACKOFF_MS[Math.min(claimed.attempts - 1, BACKOFF_MS.length - 1)]!;
    await db().auditLog.update({
      where: { id: row.id },
      data: { details: { ...claimed, lastError: message, nextAttemptAt: new Date(at.getTime() + delay).toISOString() } },
    });
    return "retrying";
  }
}

/** The inline, best-effort attempt after a change: a failure stays queued for the worker. */
export async function trySyncConsentNow(shopId: string, customerId: string): Promise<void> {
  try {
    await syncPendingConsentToShopify({ shopId, customerId });
  } catch (err) {
    log.warn("inline consent write-back failed; the worker retries", { shopId, err: String(err) });
  }
}
