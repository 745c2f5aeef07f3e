import { consentBlock, hasMarketingConsent } from "../arbitration/consent";
import { addDays, localToInstant, parseHHMM, resolveTimeZone, wallClock } from "../arbitration/local-time";
import type { CustomerFacts, EpochMs } from "../arbitration/types";
import { evaluate, readPath, type Scope } from "./conditions";
import { inRollout } from "./rollout";
import type { FlowDefinition, Trigger } from "./schema";
import {
  triggerSummary,
  type DecisionCommand,
  type EnrollDecision,
  type NotEnrolledReason,
  type PastEnrollment,
  type TriggerPayload,
} from "./types";

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** What entry conditions and trigger filters see: `customer` and `trigger` (no event yet). */
export function entryScope(customer: CustomerFacts, trigger: TriggerPayload): Scope {
  return {
    customer: {
      ...customer,
      hasEmail: customer.email.address,
      hasPhone: customer.sms.address,
      emailConsent: customer.email.consent,
      smsConsent: customer.sms.consent,
      properties: customer.properties ?? {},
    },
    trigger: { ...trigger.data, type: trigger.type, event: trigger.event, segmentKey: trigger.segmentKey, at: trigger.at },
  };
}

/** Does this trigger payload start this definition (type, event name / segment key, filter)? */
export function triggerMatches(definition: FlowDefinition, trigger: TriggerPayload, customer: CustomerFacts, now: EpochMs): boolean {
  const t = definition.trigger;
  if (t.type !== trigger.type) return false;
  if (t.type === "event" && !(trigger.event !== undefined && t.events.includes(trigger.event))) return false;
  if (t.type === "segment_entered" && trigger.segmentKey !== t.segmentKey) return false;
  return !t.where || evaluate(t.where, entryScope(customer, trigger), now);
}

/** Enrollment.contextKey for this trigger: the value at the trigger's contextKeyPath, as a string; null when none. */
export function contextKeyOf(definition: FlowDefinition, trigger: TriggerPayload): string | null {
  const path = definition.trigger.contextKeyPath;
  if (!path) return null;
  const v = readPath(trigger.data, path);
  if (v === undefined || v === null || v === "") return null;
  // Ids are strings or numbers; an object key is compared by its JSON, not as "[object Object]".
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * The entry decision, checked in this order (the first failing rule is the reason):
 * 1. `trigger_mismatch`: the payload is not this flow's trigger (or its filter fails);
 * 2. `already_enrolled`: an enrollment with the same contextKey exists (any status:
 *    the same checkout never enrolls twice), or, unless re-entry is `always`, one is
 *    still active;
 * 3. `reentry_never` / `reentry_window`: the re-entry rule (once ever / at most once
 *    per N hours, counted from the last entry);
 * 4. `entry_condition`: the definition's entry conditions are false;
 * 5. `no_consent`: the flow needs marketing consent (email, sms, any) the customer lacks;
 * 6. `not_in_rollout`: outside the flow's staged rollout share.
 * The holdout does not stop entry: held-out customers walk the flow without sends.
 */
export function shouldEnroll(
  definition: FlowDefinition,
  trigger: TriggerPayload,
  customer: CustomerFacts,
  history: readonly PastEnrollment[],
  now: EpochMs,
  rollout: { flowId: string; percent: number },
): EnrollDecision {
  const no = (reason: NotEnrolledReason, details: Record<string, unknown> = {}): EnrollDecision => {
    const decision: DecisionCommand = {
      type: "decision",
      outcome: "not_enrolled",
      reason,
      stepId: null,
      at: now,
      details: { flowKey: definition.key, trigger: triggerSummary(trigger), ...details },
    };
    return { enroll: false, reason, decision };
  };

  if (!triggerMatches(definition, trigger, customer, now)) return no("trigger_mismatch");

  const contextKey = contextKeyOf(definition, trigger);
  if (contextKey !== null && history.some((h) => h.contextKey === contextKey)) return no("already_enrolled", { contextKey });
  const reentry = definition.entry.reentry;
  if (reentry.mode !== "always" && history.some((h) => h.status === "active")) return no("already_enrolled", { active: true });
  if (history.length > 0 && reentry.mode === "never") return no("reentry_never");
  if (history.length > 0 && reentry.mode === "window") {
    const last = Math.max(...history.map((h) => h.enteredAt));
    const eligibleAt = last + reentry.hours * HOUR;
    if (now < eligibleAt) return no("reentry_window", { lastEnteredAt: last, eligibleAt, windowHours: reentry.hours });
  }

  if (definition.entry.conditions && !evaluate(definition.entry.conditions, entryScope(customer, trigger), now))
    return no("entry_condition");

  const need = definition.entry.requiresConsent;
  if (!hasMarketingConsent(customer, need, now)) {
    const channels = need === "any" ? (["email", "sms"] as const) : need === "none" ? [] : [need];
    const causes = Object.fromEntries(channels.map((ch) => [ch, consentBlock(customer, ch, "marketing", null, now)?.cause ?? null]));
    return no("no_consent", { requires: need, causes });
  }

  if (!inRollout(customer.id, rollout.flowId, rollout.percent)) return no("not_in_rollout", { percent: rollout.percent });

  return { enroll: true, contextKey };
}

// ---------------------------------------------------------------------------
// Scheduled triggers: the runner's periodic sweep asks these per candidate customer.
// ---------------------------------------------------------------------------

type DateTriggerDef = Extract<Trigger, { type: "date" }>;
type InactivityTriggerDef = Extract<Trigger, { type: "inactivity" }>;

/** Month and day of the customer's date for this trigger, or null when unknown. */
function anniversaryOf(
  t: DateTriggerDef,
  customer: CustomerFacts,
  timeZone: string,
): { month: number; day: number; year: number | null } | null {
  const fromMs = (ms: EpochMs | null | undefined) => {
    if (ms === null || ms === undefined) return null;
    const w = wallClock(ms, timeZone);
    return { month: w.month, day: w.day, year: w.year };
  };
  if (t.dateField === "first_order") return fromMs(customer.firstOrderAt);
  if (t.dateField === "signup") return fromMs(customer.createdAt);
  const raw = readPath(customer.properties ?? {}, t.dateField === "birthday" ? "birthday" : (t.property ?? ""));
  if (typeof raw !== "string") return typeof raw === "number" ? fromMs(raw) : null;
  const m = /^(?:(\d{4})-|--)?(\d{2})-(\d{2})/.exec(raw.trim());
  if (!m) return null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { month, day, year: m[1] ? Number(m[1]) : null };
}

/**
 * Is a date trigger (birthday, first-order or signup anniversary, a date property)
 * due for this customer now? Due on the recipient's local day (date + offsetDays)
 * from `localTime` on. The payload's `occurrence` (YYYY-MM-DD of that day) is the
 * contextKey, so a sweep running every hour enrolls once per year.
 * Anniversaries of an event (first order, signup) start one year after it; 29 Feb
 * falls on 28 Feb in other years.
 */
export function matchDateTrigger(
  t: DateTriggerDef,
  customer: CustomerFacts,
  now: EpochMs,
  shopTimeZone: string,
): { due: true; trigger: TriggerPayload } | { due: false } {
  const tz = resolveTimeZone(customer.timezone, shopTimeZone);
  const date = anniversaryOf(t, customer, tz);
  if (!date) return { due: false };
  const today = wallClock(now, tz);
  if (today.minuteOfDay < parseHHMM(t.localTime)) return { due: false };
  for (const year of [today.year - 1, today.year, today.year + 1]) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const day = date.month === 2 && date.day === 29 && !leap ? 28 : date.day;
    const target = addDays(year, date.month, day, t.offsetDays);
    if (target.year !== today.year || target.month !== today.month || target.day !== today.day) continue;
    if (t.dateField !== "birthday" && date.year !== null && year <= date.year) return { due: false };
    const occurrence = `${target.year}-${String(target.month).padStart(2, "0")}-${String(target.day).padStart(2, "0")}`;
    return {
      due: true,
      trigger: {
        type: "date",
        at: localToInstant(today.year, today.month, today.day, parseHHMM(t.localTime), tz),
        data: { occurrence, dateField: t.dateField, years: date.year !== null ? year - date.year : null },
      },
    };
  }
  return { due: false };
}

/** The instant inactivity is measured from, or null when there is none. */
export function inactivityBasisAt(t: InactivityTriggerDef, customer: CustomerFacts): EpochMs | null {
  if (t.basis === "last_order") return customer.lastOrderAt;
  if (t.basis === "last_engaged") return customer.lastEngagedAt ?? customer.createdAt ?? null;
  return customer.lastSeenAt ?? customer.createdAt ?? null;
}

/**
 * Is an inactivity trigger due (no order / engagement / visit for `days`)? The
 * payload's `occurrence` is the basis instant, so one lapse enrolls at most once and
 * a new order (or click) followed by a new lapse may enroll again.
 */
export function matchInactivityTrigger(
  t: InactivityTriggerDef,
  customer: CustomerFacts,
  now: EpochMs,
): { due: true; trigger: TriggerPayload } | { due: false } {
  const basisAt = inactivityBasisAt(t, customer);
  if (basisAt === null || now - basisAt < t.days * DAY) return { due: false };
  return {
    due: true,
    trigger: {
      type: "inactivity",
      at: now,
      data: { occurrence: `${t.basis}:${basisAt}`, basis: t.basis, basisAt, inactiveDays: Math.floor((now - basisAt) / DAY) },
    },
  };
}
