import { consentBlock } from "./consent";
import { formatHHMM } from "./local-time";
import { capsAndPriority } from "./priority";
import { quietHoursCheck, quietHoursFor } from "./quiet-hours";
import type { BlockPolicy, Channel, CustomerFacts, EpochMs, OtherEnrollment, Purpose, RecentSend, ShopSettings } from "./types";

const HOUR = 3_600_000;
const MAX_SLOT_SEARCH = 64;

/** One message a flow wants to send now. */
export interface SendRequest {
  channel: Channel;
  purpose: Purpose;
  /** Preference-center topic (newsletter, offers, product_news), or null. */
  topic: string | null;
  /** Priority of the sending flow (Flow.priority). */
  priority: number;
  /** What to do when caps block the send (default defer). */
  onCap: BlockPolicy;
  /** What to do when a higher-priority flow holds the slot (default defer). */
  onConflict: BlockPolicy;
  /** When this send first became due (its first arbitration); defaults to now. */
  dueSince?: EpochMs;
  /** Give up (skip `deferral_expired`) rather than send later than dueSince + this. */
  maxDeferHours?: number | null;
  /** The flow's exclusion rule (Flow.excludeAfterOrderHours): no marketing within this many hours of the customer's last order. */
  excludeAfterOrderHours?: number | null;
}

/** The customer's situation at this moment, as the runner read it. */
export interface ArbitrationContext {
  customer: CustomerFacts;
  shop: ShopSettings;
  recentSends: readonly RecentSend[];
  otherEnrollments: readonly OtherEnrollment[];
  /** The enrollment is in its flow's holdout (Enrollment.holdout, see isInFlowHoldout). */
  holdout: boolean;
  /** The enrollment asking, so it never conflicts with itself. */
  enrollmentId?: string;
}

export type SkipReason =
  | "no_address"
  | "no_consent"
  | "suppressed"
  | "frequency_cap"
  | "lost_priority"
  | "quiet_hours"
  | "sms_window"
  | "recent_order"
  | "deferral_expired";
/**
 * The rules that can postpone a send: the shop's quiet hours, the 08:00-21:00 SMS window,
 * caps, priorities, and the flow's "not within N hours of an order" exclusion.
 */
export type DeferReason = "quiet_hours" | "sms_window" | "frequency_cap" | "lost_priority" | "recent_order";

export type Arbitration =
  | { outcome: "send"; reason: "allowed"; details: Record<string, unknown> }
  | { outcome: "holdout"; reason: "holdout"; details: Record<string, unknown> }
  | { outcome: "skip"; reason: SkipReason; details: Record<string, unknown> }
  | { outcome: "defer"; reason: DeferReason; until: EpochMs; details: Record<string, unknown> };

type Block = { reason: DeferReason; until: EpochMs | null; details: Record<string, unknown> };

/**
 * Arbitration before every send, in this order:
 * 1. consent for the channel and purpose (and an address, no suppression) -> skip;
 * 2. time and slot rules, all checked together: quiet hours on the recipient's wall
 *    clock (marketing), the 08:00-21:00 SMS window (every SMS), and, for marketing,
 *    frequency caps and flow priorities -> defer to the next allowed slot, or skip as
 *    the step's onCap / onConflict say;
 * 3. marketing only: the flow's holdout -> `holdout` (nothing is sent, the flow walks
 *    on, so lift can be measured against exactly what would have been sent).
 * A deferral goes to the earliest instant that passes every rule at once, so one
 * decision is logged per postponement, not one per rule. Its reason is the rule that
 * blocks longest at `now` (the one the send really waits for: a capped send asked at
 * 23:00 waits for the cap, not for 08:00), `details.until` the slot, and
 * `details.alsoBlockedBy` any other rule met on the way.
 */
export function arbitrateSend(req: SendRequest, ctx: ArbitrationContext, now: EpochMs): Arbitration {
  const base = { channel: req.channel, purpose: req.purpose, ...(req.topic ? { topic: req.topic } : {}) };
  const consent = consentBlock(ctx.customer, req.channel, req.purpose, req.topic, now);
  if (consent) return { outcome: "skip", reason: consent.reason, details: { ...base, cause: consent.cause } };

  const blocksAt = (t: EpochMs): Block[] => {
    const blocks = timeBlocks(t, req, ctx);
    if (req.purpose === "marketing") {
      const slot = capsAndPriority(
        req.channel,
        req.priority,
        t,
        ctx.recentSends,
        ctx.otherEnrollments,
        ctx.shop.frequencyCaps,
        ctx.enrollmentId,
      );
      if (slot) blocks.push(slot);
      const recent = recentOrderBlock(t, req, ctx);
      if (recent) blocks.push(recent);
    }
    return blocks;
  };

  const atNow = blocksAt(now);
  const first = binding(atNow);
  if (!first) {
    if (req.purpose === "marketing" && ctx.holdout) return { outcome: "holdout", reason: "holdout", details: base };
    return { outcome: "send", reason: "allowed", details: base };
  }
  if (first.until === null)
    return { outcome: "skip", reason: first.reason, details: { ...base, ...first.details, cause: "no_allowed_window" } };
  const policy: BlockPolicy = first.reason === "frequency_cap" ? req.onCap : first.reason === "lost_priority" ? req.onConflict : "defer";
  if (policy === "skip") return { outcome: "skip", reason: first.reason, details: { ...base, ...first.details } };

  // The next allowed slot: keep moving to the latest free time of the rules still blocking.
  let until = first.until;
  const also = new Set<DeferReason>(atNow.map((b) => b.reason).filter((r) => r !== first.reason));
  for (let i = 0; i < MAX_SLOT_SEARCH; i++) {
    const b = binding(blocksAt(until));
    if (!b) break;
    if (b.until === null) return { outcome: "skip", reason: b.reason, details: { ...base, ...b.details, cause: "no_allowed_window" } };
    if (b.reason !== first.reason) also.add(b.reason);
    until = Math.max(b.until, until + 60_000);
  }
  const alsoBlockedBy = also.size ? { alsoBlockedBy: [...also] } : {};
  const dueSince = req.dueSince ?? now;
  if (req.maxDeferHours != null && until > dueSince + req.maxDeferHours * HOUR) {
    return {
      outcome: "skip",
      reason: "deferral_expired",
      details: {
        ...base,
        blockedBy: first.reason,
        ...first.details,
        ...alsoBlockedBy,
        dueSince,
        wouldSendAt: until,
        maxDeferHours: req.maxDeferHours,
      },
    };
  }
  return { outcome: "defer", reason: first.reason, until, details: { ...base, ...first.details, ...alsoBlockedBy, until } };
}

/**
 * The flow's exclusion rule: a marketing message waits until `excludeAfterOrderHours`
 * have passed since the customer's last order (a promotion right after a purchase
 * reads as pushy, and the order may already be what it promotes).
 */
function recentOrderBlock(t: EpochMs, req: SendRequest, ctx: ArbitrationContext): Block | null {
  const hours = req.excludeAfterOrderHours;
  const last = ctx.customer.lastOrderAt;
  if (!hours || hours <= 0 || last === null) return null;
  const until = last + hours * HOUR;
  if (t >= until) return null;
  return { reason: "recent_order", until, details: { lastOrderAt: last, excludeAfterOrderHours: hours } };
}

/** Of the rules blocking at one instant, the one that frees last (never-free first). */
function binding(blocks: Block[]): Block | null {
  let best: Block | null = null;
  for (const b of blocks) {
    if (b.until === null) return b;
    if (!best || b.until > best.until!) best = b;
  }
  return best;
}

/**
 * Quiet hours and the SMS window, told apart so the log names the one that holds the
 * send: each is checked on its own, and the combined windows give the slot both allow.
 */
function timeBlocks(t: EpochMs, req: SendRequest, ctx: ArbitrationContext): Block[] {
  const blocks: Block[] = [];
  const combined = quietHoursCheck(t, req.channel, req.purpose, ctx.customer, ctx.shop);
  if (combined.allowedAt !== null && combined.allowedAt <= t) return blocks;
  const details = { timeZone: combined.timeZone, allowed: combined.windows.map((w) => `${formatHHMM(w.start)}-${formatHHMM(w.end)}`) };
  // The channel's own quiet hours alone (checked as email's, which has no SMS window).
  const channelQuiet = quietHoursFor(req.channel, ctx.shop);
  const quiet =
    req.purpose === "marketing" && channelQuiet
      ? quietHoursCheck(t, "email", "marketing", ctx.customer, { ...ctx.shop, quietHours: channelQuiet, quietHoursByChannel: undefined })
      : null;
  const sms = req.channel === "sms" ? quietHoursCheck(t, "sms", "transactional", ctx.customer, ctx.shop) : null;
  const quietUntil = quiet && quiet.allowedAt !== t ? quiet.allowedAt : undefined;
  const smsUntil = sms && sms.allowedAt !== t ? sms.allowedAt : undefined;
  // Whichever of the two frees later is named; when both free together, or together
  // they leave no time at all, quiet hours: the rule the merchant set.
  const reason: DeferReason =
    combined.allowedAt !== null &&
    smsUntil !== undefined &&
    (quietUntil === undefined || (smsUntil !== null && quietUntil !== null && smsUntil > quietUntil))
      ? "sms_window"
      : "quiet_hours";
  blocks.push({ reason, until: combined.allowedAt, details });
  return blocks;
}
