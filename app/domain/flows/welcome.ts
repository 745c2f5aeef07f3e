import { z } from "zod";
import { DEFAULT_PRIORITIES } from "../arbitration/priority";
import type { FlowDefinitionInput } from "../journey/schema";
import { EventList, finish, Incentive, Priority, ReentryDays, TemplateKey, exitRules, reentry, type CatalogueEntry } from "./common";

export const WELCOME_KEY = "welcome";

/**
 * Welcome series: three emails after an email subscription (the `email_subscribed`
 * event, recorded when consent becomes subscribed, after confirmation under double
 * opt-in). The first carries a first-order code; the third reminds of it only if
 * the subscriber has not ordered yet.
 */
export const WelcomeSettings = z.object({
  priority: Priority(DEFAULT_PRIORITIES.welcome),
  /** Hours after the subscription for messages 1, 2, 3. */
  delaysHours: z
    .tuple([z.number().min(0), z.number().min(0), z.number().min(0)])
    .default([0, 48, 120])
    .refine(([a, b, c]) => a <= b && b <= c, "the delays must not decrease"),
  incentive: Incentive({ enabled: true, value: 10, expiresInHours: 14 * 24, prefix: "WELCOME" }),
  templates: z
    .object({
      email1: TemplateKey.default("welcome_1"),
      email2: TemplateKey.default("welcome_2"),
      email3: TemplateKey.default("welcome_3"),
    })
    .prefault({}),
  topic: z.string().max(64).nullable().default("newsletter"),
  exitEvents: EventList(["email_unsubscribed"]),
  reentryDays: ReentryDays(null),
});
export type WelcomeSettings = z.output<typeof WelcomeSettings>;

export function buildWelcome(input: z.input<typeof WelcomeSettings> = {}) {
  const s = WelcomeSettings.parse(input);
  const [d1, d2, d3] = s.delaysHours;
  const offer = s.incentive.enabled;
  const email = (id: string, templateKey: string, next?: string, discountStepId?: string) => ({
    id,
    type: "send" as const,
    channel: "email" as const,
    templateKey,
    topic: s.topic,
    onNoConsent: "exit" as const,
    ...(discountStepId ? { discountStepId } : {}),
    ...(next ? { next } : {}),
  });
  const steps: FlowDefinitionInput["steps"] = [];
  if (d1 > 0) steps.push({ id: "wait_1", type: "wait", duration: { hours: d1 }, anchor: "entry", next: offer ? "discount_1" : "send_1" });
  if (offer)
    steps.push({
      id: "discount_1",
      type: "create_discount",
      kind: s.incentive.kind,
      value: s.incentive.value,
      expiresInHours: s.incentive.expiresInHours,
      prefix: s.incentive.prefix,
      next: "send_1",
    });
  steps.push(email("send_1", s.templates.email1, "wait_2", offer ? "discount_1" : undefined));
  steps.push({ id: "wait_2", type: "wait", duration: { hours: Math.max(d2, 1 / 60) }, anchor: "entry", next: "send_2" });
  steps.push(email("send_2", s.templates.email2, "wait_3"));
  steps.push({
    id: "wait_3",
    type: "wait",
    duration: { hours: Math.max(d3, 1 / 60) },
    anchor: "entry",
    next: offer ? "check_3" : "send_3",
  });
  if (offer) {
    steps.push({
      id: "check_3",
      type: "condition",
      label: "Not ordered yet?",
      if: { field: "customer.ordersCount", op: "eq", value: 0 },
      then: "send_3_offer",
      else: "send_3",
    });
    steps.push(email("send_3_offer", s.templates.email3, undefined, "discount_1"));
  }
  steps.push(email("send_3", s.templates.email3));

  return finish({
    schemaVersion: 1,
    key: WELCOME_KEY,
    name: "Welcome series",
    priority: s.priority,
    trigger: { type: "event", events: ["email_subscribed"] },
    entry: { requiresConsent: "email", reentry: reentry(s.reentryDays) },
    exits: exitRules(s.exitEvents),
    goal: { events: ["order_placed"], exitOnGoal: false },
    startStepId: steps[0]!.id,
    steps,
    source: { catalogueKey: WELCOME_KEY, settings: s },
  });
}

export const welcome: CatalogueEntry<typeof WelcomeSettings> = {
  key: WELCOME_KEY,
  meta: {
    name: { en: "Welcome series", pl: "Seria powitalna" },
    description: {
      en: "Three emails to new subscribers: a welcome with a first-order code, your story, and a reminder of the code if they have not ordered yet.",
      pl: "Trzy e-maile do nowych subskrybentów: powitanie z kodem na pierwsze zamówienie, historia marki i przypomnienie o kodzie, jeśli nie złożyli jeszcze zamówienia.",
    },
  },
  defaultPriority: DEFAULT_PRIORITIES.welcome,
  defaultStatus: "off",
  settingsSchema: WelcomeSettings,
  defaultSettings: WelcomeSettings.parse({}),
  buildFlow: (settings) => buildWelcome(settings),
};
