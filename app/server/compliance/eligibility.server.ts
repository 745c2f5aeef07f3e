import type { Customer, Message } from "@prisma/client";
import type { Channel } from "~/domain/consent/consent";
import { now as clockNow } from "../clock.server";
import { db } from "../db/client.server";
import { findLiveCustomer } from "./customers.server";

// The one answer to "may this customer get marketing on this channel right now?",
// independent of the journey engine: the outbox dispatcher asks it again just before
// sending, so an unsubscribe that lands after enqueueing still stops the message.

export type IneligibleReason =
  | "no_consent" // not subscribed (never, withdrew, pending confirmation, redacted)
  | "paused" // "pause for 30 days" in the preference center
  | "topic_opt_out" // opted out of this message's topic
  | "suppressed" // hard bounce, complaint, manual block
  | "no_address"
  | "unknown_customer";

export type Eligibility = { allowed: true } | { allowed: false; reason: IneligibleReason };

type ConsentFields = Pick<
  Customer,
  "email" | "phone" | "emailConsentState" | "smsConsentState" | "unsubscribedTopics" | "marketingPausedUntil" | "redactedAt"
>;

export interface EligibilityOptions {
  /** The message's marketing topic (newsletter, offers, product_news), when it has one. */
  topic?: string | null;
}

/** Pure part of the check: consent, pause, topic. No database. */
export function marketingBlockReason(
  customer: ConsentFields,
  channel: Channel,
  now: Date,
  opts: EligibilityOptions = {},
): IneligibleReason | null {
  if (customer.redactedAt) return "no_consent";
  const address = channel === "email" ? customer.email : customer.phone;
  if (!address) return "no_address";
  const state = channel === "email" ? customer.emailConsentState : customer.smsConsentState;
  if (state !== "subscribed") return "no_consent";
  if (customer.marketingPausedUntil && customer.marketingPausedUntil > now) return "paused";
  if (opts.topic && customer.unsubscribedTopics.includes(opts.topic)) return "topic_opt_out";
  return null;
}

async function isSuppressed(shopId: string, channel: Channel, address: string): Promise<boolean> {
  const hit = await db().suppression.findUnique({ where: { shopId_channel_address: { shopId, channel, address } }, select: { id: true } });
  return hit !== null;
}

/**
 * Reads the profile fresh (a stale object must never let a message through) and
 * checks consent, pause, topic and the suppression list.
 */
export async function marketingEligibility(
  customer: Pick<Customer, "id" | "shopId">,
  channel: Channel,
  now: Date = clockNow(),
  opts: EligibilityOptions = {},
): Promise<Eligibility> {
  const live = await findLiveCustomer(db(), customer.shopId, customer.id);
  if (!live) return { allowed: false, reason: "unknown_customer" };
  const reason = marketingBlockReason(live, channel, now, opts);
  if (reason) return { allowed: false, reason };
  const address = (channel === "email" ? live.email : live.phone)!;
  if (await isSuppressed(live.shopId, channel, address)) return { allowed: false, reason: "suppressed" };
  return { allowed: true };
}

export async function canSendMarketing(
  customer: Pick<Customer, "id" | "shopId">,
  channel: Channel,
  now: Date = clockNow(),
  opts: EligibilityOptions = {},
): Promise<boolean> {
  return (await marketingEligibility(customer, channel, now, opts)).allowed;
}

/**
 * For the outbox dispatcher, per message: marketing needs consent (topic taken from
 * payload.topic); transactional mail only needs an address that is not suppressed.
 */
export async function messageEligibility(
  message: Pick<Message, "shopId" | "customerId" | "channel" | "purpose" | "toAddress" | "payload">,
  now: Date = clockNow(),
): Promise<Eligibility> {
  const channel = message.channel as Channel;
  if (await isSuppressed(message.shopId, channel, message.toAddress)) return { allowed: false, reason: "suppressed" };
  if (message.purpose === "transactional") return { allowed: true };
  if (!message.customerId) return { allowed: false, reason: "unknown_customer" };
  const payload = (message.payload ?? {}) as { topic?: unknown };
  const topic = typeof payload.topic === "string" ? payload.topic : null;
  return marketingEligibility({ id: message.customerId, shopId: message.shopId }, channel, now, { topic });
}
