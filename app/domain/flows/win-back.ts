import { z } from "zod";
import { DEFAULT_PRIORITIES } from "../arbitration/priority";
import type { FlowDefinitionInput } from "../journey/schema";
import {
  Days,
  EventList,
  finish,
  Incentive,
  Priority,
  ReentryDays,
  TemplateKey,
  exitRules,
  reentry,
  type CatalogueEntry,
  type CatalogueEnv,
} from "./common";

export const WIN_BACK_KEY = "win_back";

/**
 * Win-back: customers who have ordered before and then not for longer than the shop's
 * own purchase cycle (median days between a customer's orders x `cycleMultiplier`,
 * clamped), or `fallbackDays` (90) when the shop has too little history. Two emails,
 * the second with an incentive. An order reaches the goal.
 */
export const WinBackSettings = z.object({
  priority: Priority(DEFAULT_PRIORITIES.win_back),
  /** A fixed inactivity threshold in days; null = derive it from the shop's purchase cycle. */
  inactivityDays: Days.nullable().default(null),
  cycleMultiplier: z.number().min(1).max(5).default(1.5),
  minDays: Days.default(30),
  maxDays: Days.default(365),
  fallbackDays: Days.default(90),
  secondMessageDays: Days.default(7),
  incentive: Incentive({ enabled: true, value: 15, expiresInHours: 7 * 24, prefix: "MISSYOU" }),
  templates: z.object({ email1: TemplateKey.default("winback_1"), email2: TemplateKey.default("winback_2") }).prefault({}),
  offerTopic: z.string().max(64).nullable().default("offers"),
  exitEvents: EventList(["email_unsubscribed"]),
  reentryDays: ReentryDays(180),
});
export type WinBackSettings = z.output<typeof WinBackSettings>;

/** The inactivity threshold in days these settings give for a shop with this purchase cycle (null = unknown). */
export function winBackInactivityDays(s: WinBackSettings, shopPurchaseCycleDays: number | null | undefined): number {
  if (s.inactivityDays !== null) return s.inactivityDays;
  if (!shopPurchaseCycleDays || shopPurchaseCycleDays <= 0) return s.fallbackDays;
  return Math.min(s.maxDays, Math.max(s.minDays, Math.round(shopPurchaseCycleDays * s.cycleMultiplier)));
}

export function buildWinBack(input: z.input<typeof WinBackSettings> = {}, env: CatalogueEnv = {}) {
  const s = WinBackSettings.parse(input);
  const days = winBackInactivityDays(s, env.shopPurchaseCycleDays);
  const offer = s.incentive.enabled;
  const steps: FlowDefinitionInput["steps"] = [
    { id: "send_1", type: "send", channel: "email", templateKey: s.templates.email1, onNoConsent: "exit", next: "wait_2" },
    { id: "wait_2", type: "wait", duration: { days: s.secondMessageDays }, next: offer ? "discount_2" : "send_2" },
  ];
  if (offer)
    steps.push({
      id: "discount_2",
      type: "create_discount",
      kind: s.incentive.kind,
      value: s.incentive.value,
      expiresInHours: s.incentive.expiresInHours,
      prefix: s.incentive.prefix,
      next: "send_2",
    });
  steps.push({
    id: "send_2",
    type: "send",
    channel: "email",
    templateKey: s.templates.email2,
    topic: offer ? s.offerTopic : null,
    onNoConsent: "exit",
    ...(offer ? { discountStepId: "discount_2" } : {}),
  });

  return finish({
    schemaVersion: 1,
    key: WIN_BACK_KEY,
    name: "Win-back",
    priority: s.priority,
    trigger: { type: "inactivity", basis: "last_order", days },
    entry: {
      requiresConsent: "email",
      conditions: { field: "customer.ordersCount", op: "gte", value: 1 },
      reentry: reentry(s.reentryDays),
    },
    exits: exitRules(s.exitEvents),
    goal: { events: ["order_placed"], exitOnGoal: true },
    startStepId: "send_1",
    steps,
    source: { catalogueKey: WIN_BACK_KEY, settings: { ...s, derivedInactivityDays: days } },
  });
}

export const winBack: CatalogueEntry<typeof WinBackSettings> = {
  key: WIN_BACK_KEY,
  meta: {
    name: { en: "Win-back", pl: "Odzyskiwanie klientów" },
    description: {
      en: "Brings back customers who have not ordered for longer than your shop's usual purchase cycle (90 days until there is enough history), with an incentive in the second email.",
      pl: "Odzyskuje klientów, którzy nie zamawiali dłużej niż zwykły cykl zakupowy sklepu (90 dni, dopóki nie ma wystarczającej historii), z rabatem w drugim e-mailu.",
    },
  },
  defaultPriority: DEFAULT_PRIORITIES.win_back,
  defaultStatus: "off",
  settingsSchema: WinBackSettings,
  defaultSettings: WinBackSettings.parse({}),
  buildFlow: (settings, env) => buildWinBack(settings, env),
};
