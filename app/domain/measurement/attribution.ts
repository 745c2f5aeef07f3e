// Last-touch attribution of one order, as a pure function of what the customer was sent
// and did. The set-based recomputation (app/server/db/sql/conversions.server.ts,
// reattributeShop) states the same rules in SQL; tests/measurement/attribution-shop.db.test.ts
// checks that the two agree on a randomized shop. Change one, change the other.
//
// Rules:
// - A touch is a reliable click on one of the customer's messages (an SMS short-link
//   click is a click of the SMS), or a reliable open when the shop counts opens (then
//   labelled "open"). It counts when it happened within the message channel's window
//   before the order: processedAt - window <= at <= processedAt.
// - The last touch wins; at the same instant a click beats an open; then the larger
//   message id (compared by code units, COLLATE "C" in SQL), so the choice is stable.
// - No touch: the last message sent within its channel's window before the order
//   "influenced" it (shown apart, never summed into attributed revenue).
// - Transactional messages never attribute; only email and SMS are channels.
// - Bound: a touch counts only on a message sent at most window + MESSAGE_LOOKBACK_EXTRA_DAYS
//   before the order, so the touches of one order are found with bounded index reads
//   (a click on a month-old email is not a touch of today's order).

export const DAY_MS = 86_400_000;
/** How much older than the attribution window a clicked message may be. */
export const MESSAGE_LOOKBACK_EXTRA_DAYS = 30;

export type ConversionKind = "click" | "open" | "influenced";

export interface AttributionSettings {
  attributionEmailDays: number;
  attributionSmsDays: number;
  attributeOpens: boolean;
}

export interface CandidateMessage {
  id: string;
  flowId: string | null;
  stepId: string | null;
  variant: string | null;
  channel: string;
  purpose: string;
  sentAt: Date | null;
}

export interface CandidateTouch {
  messageId: string;
  /** MessageEvent.type */
  type: "clicked" | "opened";
  reliable: boolean;
  at: Date;
}

export interface Attribution {
  kind: ConversionKind;
  message: CandidateMessage;
  /** The click, open or send the order is credited to. */
  touchAt: Date;
}

export const ATTRIBUTION_CHANNELS = ["email", "sms"] as const;

/** The attribution window of a channel, in days. */
export function windowDays(channel: string, s: AttributionSettings): number {
  return channel === "sms" ? s.attributionSmsDays : s.attributionEmailDays;
}

/** The longest window of the shop: what bounds the reads of candidates. */
export function maxWindowDays(s: AttributionSettings): number {
  return Math.max(s.attributionEmailDays, s.attributionSmsDays);
}

/** Earliest sentAt of a message that may carry a touch of an order placed at `processedAt`. */
export function earliestMessageSentAt(processedAt: Date, s: AttributionSettings): Date {
  return new Date(processedAt.getTime() - (maxWindowDays(s) + MESSAGE_LOOKBACK_EXTRA_DAYS) * DAY_MS);
}

/** Earliest touch of an order placed at `processedAt`, over all channels. */
export function earliestTouchAt(processedAt: Date, s: AttributionSettings): Date {
  return new Date(processedAt.getTime() - maxWindowDays(s) * DAY_MS);
}

function eligible(m: CandidateMessage): m is CandidateMessage & { sentAt: Date } {
  return m.purpose !== "transactional" && (ATTRIBUTION_CHANNELS as readonly string[]).includes(m.channel) && m.sentAt !== null;
}

/** Code-unit comparison, as PostgreSQL's COLLATE "C" orders text. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The touch an order is attributed to, the message that influenced it, or null. */
export function attributeOrderTo(
  order: { processedAt: Date },
  messages: readonly CandidateMessage[],
  touches: readonly CandidateTouch[],
  settings: AttributionSettings,
): Attribution | null {
  const placed = order.processedAt.getTime();
  const byId = new Map(messages.filter(eligible).map((m) => [m.id, m]));
  const withinWindow = (m: CandidateMessage, at: number) => at <= placed && at >= placed - windowDays(m.channel, settings) * DAY_MS;
  const lookback = (m: CandidateMessage & { sentAt: Date }) =>
    m.sentAt.getTime() <= placed && m.sentAt.getTime() >= placed - (windowDays(m.channel, settings) + MESSAGE_LOOKBACK_EXTRA_DAYS) * DAY_MS;

  let best: Attribution | null = null;
  for (const t of touches) {
    if (!t.reliable) continue;
    if (t.type !== "clicked" && !(t.type === "opened" && settings.attributeOpens)) continue;
    const m = byId.get(t.messageId);
    if (!m || !lookback(m) || !withinWindow(m, t.at.getTime())) continue;
    const candidate: Attribution = { kind: t.type === "clicked" ? "click" : "open", message: m, touchAt: t.at };
    if (!best || laterTouch(candidate, best)) best = candidate;
  }
  if (best) return best;

  for (const m of byId.values()) {
    if (!withinWindow(m, m.sentAt.getTime())) continue;
    const candidate: Attribution = { kind: "influenced", message: m, touchAt: m.sentAt };
    if (!best || laterTouch(candidate, best)) best = candidate;
  }
  return best;
}

/** Whether a beats b: later, then click before open, then the larger message id. */
function laterTouch(a: Attribution, b: Attribution): boolean {
  const dt = a.touchAt.getTime() - b.touchAt.getTime();
  if (dt !== 0) return dt > 0;
  if (a.kind !== b.kind) return a.kind === "click";
  return compareIds(a.message.id, b.message.id) > 0;
}

/** A Conversion row as far as the rollups read it. */
export interface ConversionFigures {
  kind: ConversionKind;
  flowId: string | null;
  stepId: string | null;
  variant: string | null;
  channel: string | null;
  revenueCents: number;
  /** The order's processedAt: the rollup day is its shop-local day. */
  at: Date;
}

/** One FlowDaily row's change, money in cents (revenue² in cents²): exact integer sums. */
export interface AttributionRollupChange {
  flowId: string;
  at: Date;
  stepId: string;
  variant: string;
  channel: string;
  attributedOrders: number;
  attributedRevenueCents: number;
  attributedRevenueSqCents: number;
  influencedOrders: number;
  influencedRevenueCents: number;
}

/**
 * What replacing `previous` by `next` does to the attribution figures: the old row's
 * contribution out, the new one's in, merged per FlowDaily row (`dayOf` maps the order's
 * instant to its shop-local day key), rows with no change left out, in key order (every
 * writer moving several rollup rows locks them in the same order). Conversions of
 * messages outside flows have no FlowDaily row.
 */
export function attributionRollupChanges(
  previous: ConversionFigures | null,
  next: ConversionFigures | null,
  dayOf: (at: Date) => string,
): AttributionRollupChange[] {
  const merged = new Map<string, AttributionRollupChange>();
  const add = (c: ConversionFigures | null, sign: 1 | -1) => {
    if (!c?.flowId) return;
    const key = [c.flowId, dayOf(c.at), c.stepId ?? "", c.variant ?? "", c.channel ?? ""];
    const id = key.join("\u0000");
    const row = merged.get(id) ?? {
      flowId: c.flowId,
      at: c.at,
      stepId: c.stepId ?? "",
      variant: c.variant ?? "",
      channel: c.channel ?? "",
      attributedOrders: 0,
      attributedRevenueCents: 0,
      attributedRevenueSqCents: 0,
      influencedOrders: 0,
      influencedRevenueCents: 0,
    };
    if (c.kind === "influenced") {
      row.influencedOrders += sign;
      row.influencedRevenueCents += sign * c.revenueCents;
    } else {
      row.attributedOrders += sign;
      row.attributedRevenueCents += sign * c.revenueCents;
      row.attributedRevenueSqCents += sign * c.revenueCents * c.revenueCents;
    }
    merged.set(id, row);
  };
  add(previous, -1);
  add(next, 1);
  return [...merged.entries()]
    .filter(
      ([, r]) =>
        r.attributedOrders !== 0 ||
        r.attributedRevenueCents !== 0 ||
        r.attributedRevenueSqCents !== 0 ||
        r.influencedOrders !== 0 ||
        r.influencedRevenueCents !== 0,
    )
    .sort(([a], [b]) => compareIds(a, b))
    .map(([, r]) => r);
}
