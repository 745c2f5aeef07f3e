// Shared vocabulary of the arbitration layer and the journey engine.
//
// TIME: every instant in these shapes is a number of epoch milliseconds (UTC), as
// produced by `Date.prototype.getTime()`. It is JSON-safe, unambiguous and cheap to
// compare; the runner converts with `new Date(ms)` at the database boundary.

export type Channel = "email" | "sms";
export const CHANNELS: readonly Channel[] = ["email", "sms"];

/** Marketing needs consent and obeys caps, quiet hours, priorities and the holdout. */
export type Purpose = "marketing" | "transactional";

/** Epoch milliseconds, UTC. */
export type EpochMs = number;

/** What the profile says about one channel. */
export interface ChannelFacts {
  /** An address exists (email for email, an E.164 phone for SMS). */
  address: boolean;
  /** Customer.emailConsentState / smsConsentState: subscribed | not_subscribed | unsubscribed | pending | redacted | invalid. */
  consent: string;
  /** Suppression row reason for this address, if any: hard_bounce | complaint | manual | sunset. */
  suppressed?: string | null;
}

/** The customer as the runner reads it from the database at the moment of the call. */
export interface CustomerFacts {
  id: string;
  email: ChannelFacts;
  sms: ChannelFacts;
  /** IANA zone of the recipient, when known. */
  timezone: string | null;
  locale: string | null;
  countryCode?: string | null;
  ordersCount: number;
  totalSpent: number;
  firstOrderAt: EpochMs | null;
  lastOrderAt: EpochMs | null;
  lastSeenAt?: EpochMs | null;
  /** Last click or reliable open. */
  lastEngagedAt?: EpochMs | null;
  createdAt?: EpochMs | null;
  tags: string[];
  /** "Pause for 30 days" in the preference center: no marketing before this instant. */
  marketingPausedUntil: EpochMs | null;
  /** Marketing topics the customer opted out of (newsletter, offers, product_news, ...). */
  unsubscribedTopics: string[];
  /** Customer.properties (birthday, custom fields). */
  properties?: Record<string, unknown>;
  /** Keys of the segments the customer is in right now, when the runner knows them. */
  segments?: string[];
}

/** One rule: at most `count` marketing messages on the channel in any `windowHours`. */
export interface FrequencyCapRule {
  count: number;
  windowHours: number;
}

/** Shop.frequencyCaps: `{email: [{count, windowHours}], sms: [...]}`. */
export type FrequencyCaps = Record<Channel, FrequencyCapRule[]>;

export interface QuietHours {
  /** Minutes after local midnight when quiet hours begin (1260 = 21:00). */
  startMinute: number;
  /** Minutes after local midnight when they end (480 = 08:00). Wraps over midnight when smaller than start. */
  endMinute: number;
}

export interface ShopSettings {
  id: string;
  /** IANA zone of the shop, the fallback for recipients without one. */
  timezone: string;
  locale: string;
  /** Shop.quietHoursStart/End; null = no shop quiet hours (the SMS window still applies). */
  quietHours: QuietHours | null;
  /**
   * Quiet hours of one channel when they differ from `quietHours` (Shop.quietHoursSmsStart/End);
   * a channel absent here uses `quietHours`, null = none on that channel.
   */
  quietHoursByChannel?: Partial<Record<Channel, QuietHours | null>>;
  /** Whose wall clock quiet hours are read on: the recipient's (default, falling back to the shop's) or always the shop's. */
  quietHoursBasis?: "recipient" | "shop";
  frequencyCaps: FrequencyCaps;
  holdoutPercent: number;
}

/** A message already sent (or enqueued) to this customer, within the longest cap window. */
export interface RecentSend {
  channel: Channel;
  purpose: Purpose;
  at: EpochMs;
  /** Flow.key of the flow that sent it; null for campaigns and one-offs. */
  flowKey: string | null;
  /** The sending flow's priority; null when not sent by a flow. */
  priority: number | null;
  /**
   * Optional: a holdout decision passed as a virtual send, so that held-out customers
   * are paced exactly like treated ones. Counted like a real send.
   */
  heldOut?: boolean;
}

/** Another active enrollment of the same customer (never the one being stepped). */
export interface OtherEnrollment {
  enrollmentId: string;
  flowKey: string;
  priority: number;
  /** When that enrollment plans its next send (see `plannedSend` in journey/engine), or null. */
  nextSendAt: EpochMs | null;
  nextSendChannel: Channel | null;
}

/** How a send step handles a block. */
export type BlockPolicy = "defer" | "skip";
