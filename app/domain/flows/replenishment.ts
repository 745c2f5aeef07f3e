import { z } from "zod";
import { DEFAULT_PRIORITIES } from "../arbitration/priority";
import type { FlowDefinitionInput, RuntimeNeed } from "../journey/schema";
import type { TriggerPayload } from "../journey/types";
import {
  Days,
  EventList,
  finish,
  Priority,
  TemplateKey,
  exitRules,
  otherOrder,
  reentry,
  sameOrder,
  type CatalogueEntry,
  type TriggerEnrichment,
} from "./common";

export const REPLENISHMENT_KEY = "replenishment";
/** The customer's learned intervals feed enrichTrigger. */
const REPLENISHMENT_NEEDS: RuntimeNeed[] = ["learnedReorderIntervals"];

/**
 * Replenishment: a reminder shortly before a consumable bought in this order runs out.
 * The interval per product is configured (productIntervals) or learned from repeat
 * purchases (learnReorderIntervalDays), else `defaultIntervalDays` when
 * applyToAllProducts. The runner calls `enrichTrigger` on the order_placed payload
 * before shouldEnroll: it sets data.reorderIntervalDays (the shortest interval among
 * the order's products); orders without one do not match the trigger. Reordering
 * reaches the goal.
 */
export const ReplenishmentSettings = z.object({
  priority: Priority(DEFAULT_PRIORITIES.replenishment),
  /** Product id (Shopify numeric id as a string) -> days a purchase lasts. */
  productIntervals: z.record(z.string(), Days).default({}),
  useLearned: z.boolean().default(true),
  applyToAllProducts: z.boolean().default(false),
  defaultIntervalDays: Days.default(30),
  remindDaysBefore: z.number().min(0).max(60).default(3),
  followUp: z.object({ enabled: z.boolean().default(true), afterDays: Days.default(7) }).prefault({}),
  templates: z
    .object({ reminder: TemplateKey.default("replenishment_reminder"), followUp: TemplateKey.default("replenishment_reminder") })
    .prefault({}),
  exitEvents: EventList(["order_cancelled"]),
});
export type ReplenishmentSettings = z.output<typeof ReplenishmentSettings>;

/** The order's reorder interval in days under these settings, or null when no product qualifies. */
export function replenishmentIntervalDays(
  s: ReplenishmentSettings,
  productIds: readonly string[],
  learned: Record<string, number> = {},
): number | null {
  const intervals = productIds
    .map(
      (id) =>
        s.productIntervals[id] ?? (s.useLearned ? learned[id] : undefined) ?? (s.applyToAllProducts ? s.defaultIntervalDays : undefined),
    )
    .filter((d): d is number => typeof d === "number" && d > 0);
  return intervals.length ? Math.min(...intervals) : null;
}

function enrichTrigger(s: ReplenishmentSettings, trigger: TriggerPayload, extra: TriggerEnrichment): TriggerPayload {
  const lines = Array.isArray(trigger.data.lines) ? (trigger.data.lines as { productId?: unknown }[]) : [];
  const ids = lines
    .map((l) => (typeof l?.productId === "string" || typeof l?.productId === "number" ? String(l.productId) : null))
    .filter((x): x is string => x !== null);
  const days = replenishmentIntervalDays(s, ids, extra.learnedIntervalDays ?? {});
  if (days === null) return trigger;
  return { ...trigger, data: { ...trigger.data, reorderIntervalDays: days } };
}

export function buildReplenishment(input: z.input<typeof ReplenishmentSettings> = {}) {
  const s = ReplenishmentSettings.parse(input);
  const email = (id: string, templateKey: string, next?: string) => ({
    id,
    type: "send" as const,
    channel: "email" as const,
    templateKey,
    onNoConsent: "exit" as const,
    ...(next ? { next } : {}),
  });
  const steps: FlowDefinitionInput["steps"] = [
    {
      id: "wait_reorder",
      type: "wait",
      label: "Until shortly before it runs out",
      duration: {
        fromPath: "trigger.reorderIntervalDays",
        unit: "days",
        offset: -s.remindDaysBefore,
        fallback: s.defaultIntervalDays,
        min: 1,
      },
      anchor: "entry",
      next: "reminder",
    },
    email("reminder", s.templates.reminder, s.followUp.enabled ? "wait_follow_up" : undefined),
  ];
  if (s.followUp.enabled)
    steps.push(
      { id: "wait_follow_up", type: "wait", duration: { days: s.followUp.afterDays }, next: "follow_up" },
      email("follow_up", s.templates.followUp),
    );

  return finish({
    schemaVersion: 1,
    key: REPLENISHMENT_KEY,
    name: "Replenishment",
    priority: s.priority,
    trigger: {
      type: "event",
      events: ["order_placed"],
      where: { field: "trigger.reorderIntervalDays", op: "gt", value: 0 },
      contextKeyPath: "orderId",
    },
    entry: { requiresConsent: "email", reentry: reentry(0) },
    exits: exitRules(s.exitEvents, sameOrder()),
    goal: { events: ["order_placed"], where: otherOrder(), exitOnGoal: true },
    startStepId: "wait_reorder",
    steps,
    source: { catalogueKey: REPLENISHMENT_KEY, settings: s },
    needs: REPLENISHMENT_NEEDS,
  });
}

export const replenishment: CatalogueEntry<typeof ReplenishmentSettings> = {
  key: REPLENISHMENT_KEY,
  meta: {
    name: { en: "Replenishment", pl: "Uzupełnienie zapasu" },
    description: {
      en: "Reminds customers to reorder shortly before a product they bought usually runs out, using your intervals or the ones learned from repeat purchases.",
      pl: "Przypomina o ponownym zamówieniu tuż przed tym, jak kupiony produkt zwykle się kończy, według ustawionych odstępów lub wyliczonych z powtórnych zakupów.",
    },
  },
  defaultPriority: DEFAULT_PRIORITIES.replenishment,
  defaultStatus: "off",
  settingsSchema: ReplenishmentSettings,
  defaultSettings: ReplenishmentSettings.parse({}),
  buildFlow: (settings) => buildReplenishment(settings),
  enrichTrigger,
  needs: REPLENISHMENT_NEEDS,
};
