import type { Customer } from "@prisma/client";
import { consentUpdateApplies, type ConsentUpdate } from "~/domain/consent/consent";
import { lockLiveCustomer } from "./customer-lock.server";
import type { Tx } from "./identity.server";

/**
 * Applies a consent change if it is not older than what the profile holds, and
 * appends it to the consent history either way (the audit trail keeps stale
 * updates too, marked as not applied). `profile` only names the customer: the
 * decision is made on the row as locked now (see customer-lock.server.ts), since a
 * copy read earlier in the transaction may predate a concurrent consent change.
 */
export async function applyConsent(
  tx: Tx,
  profile: Pick<Customer, "id" | "shopId">,
  u: ConsentUpdate & { receivedAt: Date },
  evidence?: Record<string, unknown>,
): Promise<boolean> {
  return applyConsentToLocked(tx, await lockLiveCustomer(tx, profile), u, evidence);
}

/**
 * applyConsent for a caller that has already locked the row and read it afresh
 * (lockLiveCustomer) to decide on it: the same decision, without locking and reading
 * the row a second time.
 */
export async function applyConsentToLocked(
  tx: Tx,
  customer: Customer,
  u: ConsentUpdate & { receivedAt: Date },
  evidence?: Record<string, unknown>,
): Promise<boolean> {
  // Erased while we waited: the tombstone keeps "redacted", and its history no evidence.
  if (customer.redactedAt) return false;
  const current = {
    state: customer[`${u.channel}ConsentState`],
    at: customer[`${u.channel}ConsentUpdatedAt`],
  };
  const applies = consentUpdateApplies(current, u);
  if (applies) {
    await tx.customer.update({
      where: { id: customer.id },
      data: {
        [`${u.channel}ConsentState`]: u.state,
        [`${u.channel}OptInLevel`]: u.optInLevel,
        [`${u.channel}ConsentSource`]: u.source,
        [`${u.channel}ConsentUpdatedAt`]: u.at,
      },
    });
  }
  if (applies && current.state !== u.state && (u.state === "subscribed" || u.state === "unsubscribed")) {
    // Flows start on subscription (welcome) and stop on withdrawal.
    const at = u.at ?? u.receivedAt;
    await tx.event.createMany({
      data: [
        {
          shopId: customer.shopId,
          customerId: customer.id,
          name: `${u.channel}_${u.state}`,
          source: "consent",
          sourceId: `consent:${customer.id}:${u.channel}:${u.state}:${at.toISOString()}`,
          occurredAt: at,
          data: { source: u.source, optInLevel: u.optInLevel },
        },
      ],
      skipDuplicates: true,
    });
  }
  if (applies || current.state !== u.state) {
    await tx.consentRecord.create({
      data: {
        shopId: customer.shopId,
        customerId: customer.id,
        channel: u.channel,
        state: u.state,
        optInLevel: u.optInLevel,
        source: u.source,
        occurredAt: u.at ?? u.receivedAt,
        evidence: { ...evidence, applied: applies },
      },
    });
  }
  return applies;
}
