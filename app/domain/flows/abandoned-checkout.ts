import { z } from "zod";
import { DEFAULT_PRIORITIES } from "../arbitration/priority";
import type { FlowDefinitionInput } from "../journey/schema";
import { EventList, finish, Hours, Incentive, Priority, ReentryDays, TemplateKey, exitRules, reentry, type CatalogueEntry } from "./common";

export const ABANDONED_CHECKOUT_KEY = "abandoned_checkout";

/**
 * Abandoned checkout: reminders 1 h, 24 h and 72 h after a checkout with contact
 * details was started and not completed. An incentive only in the last message and
 * only when the checkout is worth at least `incentive.minCartValue`. An optional SMS
 * reminder in between. Any order reaches the goal and ends the flow; a completed
 * checkout exits it.
 */
export const AbandonedCheckoutSettings = z.object({
  priority: Priority(DEFAULT_PRIORITIES.abandoned_checkout),
  /** Hours after the checkout for emails 1, 2, 3. */
  delaysHours: z
    .tuple([z.number().positive(), z.number().positive(), z.number().positive()])
    .default([1, 24, 72])
    .refine(([a, b, c]) => a <= b && b <= c, "the delays must not decrease"),
  incentive: Incentive({ enabled: true, value: 10, expiresInHours: 48, prefix: "COMEBACK", minCartValue: 50 }),
  sms: z
    .object({
      enabled: z.boolean().default(false),
      /** Hours after the checkout (between emails 1 and 2). */
      afterHours: Hours.default(4),
      templateKey: TemplateKey.default("abandoned_checkout_sms_1"),
    })
    .prefault({}),
  templates: z
    .object({
      email1: TemplateKey.default("abandoned_checkout_1"),
      email2: TemplateKey.default("abandoned_checkout_2"),
      email3: TemplateKey.default("abandoned_checkout_3"),
    })
    .prefault({}),
  /** A reminder postponed (caps, quiet hours, priorities) by more than this is dropped as stale (logged `deferral_expired`). */
  maxDeferHours: Hours.nullable().default(24),
  exitEvents: EventList(["checkout_completed"]),
  reentryDays: ReentryDays(3),
});
export type AbandonedCheckoutSettings = z.output<typeof AbandonedCheckoutSettings>;

export function buildAbandonedCheckout(input: z.input<typeof AbandonedCheckoutSettings> = {}) {
  const s = AbandonedCheckoutSettings.parse(input);
  const [d1, d2, d3] = s.delaysHours;
  const smsOn = s.sms.enabled;
  const offer = s.incentive.enabled;
  const email = (id: string, templateKey: string, next?: string, discountStepId?: string) => ({
    id,
    type: "send" as const,
    channel: "email" as const,
    templateKey,
    maxDeferHours: s.maxDeferHours,
    // Email-only: nothing else could reach the shopper once email consent is gone.
    onNoConsent: smsOn ? ("skip" as const) : ("exit" as const),
    ...(discountStepId ? { discountStepId } : {}),
    ...(next ? { next } : {}),
  });
  const steps: FlowDefinitionInput["steps"] = [
    { id: "wait_1", type: "wait", duration: { hours: d1 }, anchor: "entry", next: "send_1" },
    email("send_1", s.templates.email1, smsOn ? "wait_sms" : "wait_2"),
  ];
  if (smsOn)
    steps.push(
      { id: "wait_sms", type: "wait", duration: { hours: s.sms.afterHours }, anchor: "entry", next: "send_sms" },
      {
        id: "send_sms",
        type: "send",
        channel: "sms",
        templateKey: s.sms.templateKey,
        maxDeferHours: s.maxDeferHours,
        onNoConsent: "skip",
        next: "wait_2",
      },
    );
  steps.push(
    { id: "wait_2", type: "wait", duration: { hours: d2 }, anchor: "entry", next: "send_2" },
    email("send_2", s.templates.email2, "wait_3"),
    { id: "wait_3", type: "wait", duration: { hours: d3 }, anchor: "entry", next: offer ? "check_value" : "send_3" },
  );
  if (offer)
    steps.push(
      {
        id: "check_value",
        type: "condition",
        label: "Checkout worth an incentive?",
        if: { field: "trigger.value", op: "gte", value: s.incentive.minCartValue },
        then: "discount_3",
        else: "send_3",
      },
      {
        id: "discount_3",
        type: "create_discount",
        kind: s.incentive.kind,
        value: s.incentive.value,
        expiresInHours: s.incentive.expiresInHours,
        prefix: s.incentive.prefix,
        next: "send_3_offer",
      },
      email("send_3_offer", s.templates.email3, undefined, "discount_3"),
    );
  steps.push(email("send_3", s.templates.email3));

  return finish({
    schemaVersion: 1,
    key: ABANDONED_CHECKOUT_KEY,
    name: "Abandoned checkout",
    priority: s.priority,
    trigger: {
      type: "event",
      events: ["checkout_started", "checkout_updated"],
      where: { field: "trigger.completed", op: "neq", value: true },
      contextKeyPath: "token",
    },
    entry: { requiresConsent: smsOn ? "any" : "email", reentry: reentry(s.reentryDays) },
    exits: exitRules(s.exitEvents),
    goal: { events: ["order_placed"], exitOnGoal: true },
    startStepId: "wait_1",
    steps,
    source: { catalogueKey: ABANDONED_CHECKOUT_KEY, settings: s },
  });
}

export const abandonedCheckout: CatalogueEntry<typeof AbandonedCheckoutSettings> = {
  key: ABANDONED_CHECKOUT_KEY,
  meta: {
    name: { en: "Abandoned checkout", pl: "Porzucony checkout" },
    description: {
      en: "Reminds shoppers who left checkout after 1 hour, 24 hours and 72 hours; the last reminder can carry a discount for larger carts.",
      pl: "Przypomina klientom, którzy przerwali finalizację zamówienia, po 1 godzinie, 24 i 72 godzinach; ostatnie przypomnienie może zawierać rabat przy większych koszykach.",
    },
  },
  defaultPriority: DEFAULT_PRIORITIES.abandoned_checkout,
  defaultStatus: "off",
  settingsSchema: AbandonedCheckoutSettings,
  defaultSettings: AbandonedCheckoutSettings.parse({}),
  buildFlow: (settings) => buildAbandonedCheckout(settings),
};
