import type { Customer } from "@prisma/client";
import type { Channel, OptInLevel } from "~/domain/consent/consent";
import { applyConsentToLocked } from "../profiles/consent.server";
import { lockLiveCustomer } from "../profiles/customer-lock.server";
import type { Tx } from "../profiles/identity.server";
import { enqueueConsentSync } from "./consent-sync.server";

// A shopper's own action (a click, a form, a text message) is the newest word on
// their consent. applyConsentToLocked ignores updates older than what the profile holds,
// so when the stored time is ahead of ours (clock skew, a future-dated import) the
// change is dated just after it rather than silently dropped.
//
// Each change below decides on the customer's row locked and read afresh, not on the
// caller's copy: a consent webhook committed since that copy was read must count
// (an unsubscribe click that saw a stale "unsubscribed" would do nothing).
function effectiveAt(customer: Customer, channel: Channel, at: Date): Date {
  const current = customer[`${channel}ConsentUpdatedAt`];
  return current && current >= at ? new Date(current.getTime() + 1) : at;
}

export interface ChangeContext {
  at: Date;
  source: string;
  evidence?: Record<string, unknown>;
}

/** Withdraws consent on one channel; false when there was nothing to withdraw. */
export async function withdrawConsent(
  tx: Tx,
  profile: Pick<Customer, "id" | "shopId">,
  channel: Channel,
  ctx: ChangeContext,
): Promise<boolean> {
  const customer = await lockLiveCustomer(tx, profile);
  const state = customer[`${channel}ConsentState`];
  // Idempotent; and a redacted profile stays redacted (that state already blocks everything).
  if (state === "unsubscribed" || state === "redacted") return false;
  const applied = await applyConsentToLocked(
    tx,
    customer,
    {
      channel,
      state: "unsubscribed",
      optInLevel: (customer[`${channel}OptInLevel`] as OptInLevel | null) ?? null,
      at: effectiveAt(customer, channel, ctx.at),
      receivedAt: ctx.at,
      source: ctx.source,
    },
    ctx.evidence,
  );
  if (applied) await enqueueConsentSync(tx, customer, channel, ctx.at);
  return applied;
}

/** Grants consent on one channel; false when the profile already had it at this level or better. */
export async function grantConsent(
  tx: Tx,
  profile: Pick<Customer, "id" | "shopId">,
  channel: Channel,
  level: OptInLevel,
  ctx: ChangeContext,
): Promise<boolean> {
  const customer = await lockLiveCustomer(tx, profile);
  const state = customer[`${channel}ConsentState`];
  if (state === "redacted") return false;
  const currentLevel = customer[`${channel}OptInLevel`];
  // A confirmed opt-in is never downgraded to a single one by a repeated signup.
  if (state === "subscribed" && (currentLevel === level || currentLevel === "confirmed_opt_in")) return false;
  const applied = await applyConsentToLocked(
    tx,
    customer,
    { channel, state: "subscribed", optInLevel: level, at: effectiveAt(customer, channel, ctx.at), receivedAt: ctx.at, source: ctx.source },
    ctx.evidence,
  );
  if (applied) await enqueueConsentSync(tx, customer, channel, ctx.at);
  return applied;
}

/** Marks email consent pending confirmation (double opt-in). Not mirrored to Shopify until confirmed. */
export async function markConsentPending(tx: Tx, profile: Pick<Customer, "id" | "shopId">, ctx: ChangeContext): Promise<boolean> {
  const customer = await lockLiveCustomer(tx, profile);
  if (customer.emailConsentState === "pending" || customer.emailConsentState === "redacted") return false;
  return applyConsentToLocked(
    tx,
    customer,
    {
      channel: "email",
      state: "pending",
      optInLevel: null,
      at: effectiveAt(customer, "email", ctx.at),
      receivedAt: ctx.at,
      source: ctx.source,
    },
    ctx.evidence,
  );
}
