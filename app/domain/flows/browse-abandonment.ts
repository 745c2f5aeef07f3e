import { z } from "zod";
import { DEFAULT_PRIORITIES } from "../arbitration/priority";
import { EventList, finish, Hours, Priority, ReentryDays, TemplateKey, exitRules, reentry, type CatalogueEntry } from "./common";

export const BROWSE_ABANDONMENT_KEY = "browse_abandonment";

/**
 * Browse abandonment: one email a couple of hours after an identified shopper viewed
 * a product and did nothing more. At most once per 14 days per customer (re-entry
 * window). Low priority: when a more valuable flow holds the slot the reminder is
 * skipped (logged `lost_priority`) rather than sent late.
 */
export const BrowseAbandonmentSettings = z.object({
  priority: Priority(DEFAULT_PRIORITIES.browse_abandonment),
  delayHours: Hours.default(2),
  templates: z.object({ email1: TemplateKey.default("browse_abandonment_1") }).prefault({}),
  topic: z.string().max(64).nullable().default("product_news"),
  /** skip (default) or defer when a higher-priority flow holds the slot. */
  onConflict: z.enum(["skip", "defer"]).default("skip"),
  maxDeferHours: Hours.nullable().default(24),
  exitEvents: EventList(["product_added_to_cart", "checkout_started"]),
  /** The per-customer suppression: at most one browse-abandonment journey per this many days. */
  reentryDays: ReentryDays(14),
});
export type BrowseAbandonmentSettings = z.output<typeof BrowseAbandonmentSettings>;

export function buildBrowseAbandonment(input: z.input<typeof BrowseAbandonmentSettings> = {}) {
  const s = BrowseAbandonmentSettings.parse(input);
  return finish({
    schemaVersion: 1,
    key: BROWSE_ABANDONMENT_KEY,
    name: "Browse abandonment",
    priority: s.priority,
    trigger: { type: "event", events: ["product_viewed"] },
    entry: { requiresConsent: "email", reentry: reentry(s.reentryDays) },
    exits: exitRules(s.exitEvents),
    goal: { events: ["order_placed"], exitOnGoal: true },
    startStepId: "wait_1",
    steps: [
      { id: "wait_1", type: "wait", duration: { hours: s.delayHours }, anchor: "entry", next: "send_1" },
      {
        id: "send_1",
        type: "send",
        channel: "email",
        templateKey: s.templates.email1,
        topic: s.topic,
        onConflict: s.onConflict,
        onNoConsent: "exit",
        maxDeferHours: s.maxDeferHours,
      },
    ],
    source: { catalogueKey: BROWSE_ABANDONMENT_KEY, settings: s },
  });
}

export const browseAbandonment: CatalogueEntry<typeof BrowseAbandonmentSettings> = {
  key: BROWSE_ABANDONMENT_KEY,
  meta: {
    name: { en: "Browse abandonment", pl: "Porzucone przeglądanie" },
    description: {
      en: "One gentle email about the product a known shopper looked at, at most once every 14 days.",
      pl: "Jeden delikatny e-mail o produkcie, który oglądał znany klient, najwyżej raz na 14 dni.",
    },
  },
  defaultPriority: DEFAULT_PRIORITIES.browse_abandonment,
  defaultStatus: "off",
  settingsSchema: BrowseAbandonmentSettings,
  defaultSettings: BrowseAbandonmentSettings.parse({}),
  buildFlow: (settings) => buildBrowseAbandonment(settings),
};
