import type { Locale, MessageKey, Translate } from "~/i18n";
import { isMessageKey } from "~/i18n";
import { stepRefs } from "../journey/graph";
import type { Condition, ConditionValue, FixedDuration, FlowDefinition, Reentry, Step } from "../journey/schema";
import { storedLabel } from "./stored-words";

// How a flow definition reads to a merchant (EN/PL): durations, conditions, event
// names and the names of steps ("email 2", "Wait before email 2"). Shared by the
// timeline and the change log's diff, so both say the same thing the same way.

export interface Wording {
  t: Translate;
  locale: Locale;
}

const UNITS = ["days", "hours", "minutes"] as const;
export type DurationUnit = (typeof UNITS)[number];

/** A fixed duration as one amount and unit: {hours: 48} -> 48 hours; {days: 1, hours: 12} -> 36 hours. */
export function durationAmount(d: FixedDuration): { amount: number; unit: DurationUnit } {
  const minutes = (d.minutes ?? 0) + (d.hours ?? 0) * 60 + (d.days ?? 0) * 1440;
  const given = UNITS.filter((u) => (d[u] ?? 0) > 0);
  if (given.length === 1) return { amount: d[given[0]!]!, unit: given[0]! };
  if (minutes % 60 === 0) return { amount: minutes / 60, unit: "hours" };
  return { amount: minutes, unit: "minutes" };
}

function number(w: Wording, n: number): string {
  return new Intl.NumberFormat(w.locale === "pl" ? "pl-PL" : "en-US", { maximumFractionDigits: 2 }).format(n);
}

/** "1 hour", "24 godziny", "3 days". */
export function formatDuration(w: Wording, d: FixedDuration): string {
  const { amount, unit } = durationAmount(d);
  const category = Number.isInteger(amount) ? new Intl.PluralRules(w.locale).select(amount) : "other";
  return w.t(`flow.duration.${unit}.${category === "zero" || category === "two" ? "other" : category}` as MessageKey, {
    count: number(w, amount),
  });
}

/** "24 h", "3 d": short, for the diff's before -> after. */
export function shortDuration(w: Wording, d: FixedDuration): string {
  const { amount, unit } = durationAmount(d);
  return w.t(`flow.short.${unit}`, { n: number(w, amount) });
}

export function hoursDuration(hours: number): FixedDuration {
  return hours % 24 === 0 && hours >= 48 ? { days: hours / 24 } : { hours };
}

/** checkout_started -> "checkout started" / "rozpoczęcie checkoutu"; an event without a name of its own reads as its words. */
export function eventWords(events: readonly string[], w: Wording): string {
  return events
    .map((e) => {
      const key = `flow.event.${e}`;
      return isMessageKey(key) ? w.t(key) : e.replace(/[_:.-]+/g, " ");
    })
    .join(w.t("flow.or"));
}

export function fieldWords(field: string, w: Wording): string {
  const key = `flow.fieldName.${field}`;
  return isMessageKey(key) ? w.t(key) : field;
}

export function valueWords(value: ConditionValue | undefined, w: Wording): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (typeof value === "object") return fieldWords(value.ref, w);
  if (typeof value === "number") return number(w, value);
  if (typeof value === "boolean") return w.t(value ? "flow.bool.true" : "flow.bool.false");
  return String(value);
}

/** "checkout value ≥ 50", "customer's order count = 0 and …". */
export function conditionWords(c: Condition, w: Wording): string {
  if ("all" in c) return c.all.map((x) => conditionWords(x, w)).join(w.t("flow.and"));
  if ("any" in c) return c.any.map((x) => conditionWords(x, w)).join(w.t("flow.or"));
  if ("not" in c) return w.t("flow.not", { condition: conditionWords(c.not, w) });
  const value = c.op === "exists" || c.op === "not_exists" ? "" : ` ${valueWords(c.value, w)}`;
  return `${fieldWords(c.field, w)} ${w.t(`flow.op.${c.op}`)}${value}`;
}

/** "enters once per customer", "enters at most once per 2 days". */
export function reentryWords(r: Reentry, w: Wording): string {
  return r.mode === "window"
    ? w.t("flow.reentry.window", { duration: formatDuration(w, hoursDuration(r.hours)) })
    : w.t(`flow.reentry.${r.mode}`);
}

/** What "after the trigger" is for this flow: "the checkout", "the order", or "entering the flow". */
export function anchorWords(def: FlowDefinition, w: Wording): string {
  const events = def.trigger.type === "event" ? def.trigger.events : [];
  const first = events[0] ?? "";
  if (first.startsWith("checkout_")) return w.t("flow.anchor.checkout");
  if (first === "product_added_to_cart" || first.startsWith("cart_")) return w.t("flow.anchor.cart");
  if (first === "order_placed") return w.t("flow.anchor.order");
  if (first === "product_viewed") return w.t("flow.anchor.view");
  if (first === "email_subscribed" || first === "sms_subscribed") return w.t("flow.anchor.signup");
  return w.t("flow.anchor.entry");
}

/**
 * Names of the steps a merchant reads: sends as "email 2" / "SMS 1", numbered by
 * their place along the path (two alternative third emails are both "email 3"); a
 * wait as "Wait before email 2"; others by kind.
 */
export function stepNames(def: FlowDefinition, w: Wording): Map<string, string> {
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const sendNumber = new Map<string, number>();
  const visit = (id: string | undefined, counts: { email: number; sms: number }, seen: Set<string>) => {
    if (!id || seen.has(id)) return;
    const st = byId.get(id);
    if (!st) return;
    seen.add(id);
    let next = counts;
    if (st.type === "send") {
      next = { ...counts, [st.channel]: counts[st.channel] + 1 };
      if (!sendNumber.has(id)) sendNumber.set(id, next[st.channel]);
    }
    for (const r of stepRefs(st)) visit(r.id, next, new Set(seen));
  };
  visit(def.startStepId, { email: 0, sms: 0 }, new Set());

  const names = new Map<string, string>();
  const sendName = (st: Step, capital: boolean) =>
    st.type === "send"
      ? w.t(`flow.name.${capital ? (st.channel === "email" ? "Email" : "Sms") : st.channel}`, { n: sendNumber.get(st.id) ?? "?" })
      : "";
  for (const st of def.steps) names.set(st.id, st.type === "send" ? sendName(st, true) : "");
  for (const st of def.steps) {
    if (st.type === "send") continue;
    if (st.type === "wait" || st.type === "wait_window") {
      const send = firstSendAfter(st, byId);
      names.set(st.id, send ? w.t("flow.name.waitBefore", { name: sendName(send, false) }) : w.t("flow.name.wait"));
    } else if (st.type === "condition") names.set(st.id, storedLabel(st.label, w) ?? w.t("flow.name.condition"));
    else if (st.type === "create_discount") names.set(st.id, w.t("flow.name.discount"));
    else names.set(st.id, storedLabel(st.label, w) ?? w.t("flow.name.step", { id: st.id }));
  }
  return names;
}

/** The send a wait leads to along plain `next` links (waits, discounts, tags in between). */
function firstSendAfter(st: Step, byId: Map<string, Step>): Step | undefined {
  let cur: Step | undefined = st;
  for (let i = 0; cur && i < 20; i++) {
    const refs = stepRefs(cur);
    if (refs.length !== 1 || !refs[0]!.id) return undefined;
    cur = byId.get(refs[0]!.id);
    if (cur?.type === "send") return cur;
  }
  return undefined;
}

/** "10%", "15 (fixed amount)", "free shipping". */
export function discountWords(st: { kind: string; value: number }, w: Wording): string {
  if (st.kind === "percentage") return `${number(w, st.value)}%`;
  if (st.kind === "free_shipping") return w.t("flow.kind.free_shipping");
  return `${number(w, st.value)} (${w.t("flow.kind.fixed_amount")})`;
}
