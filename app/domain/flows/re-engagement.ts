import { z } from "zod";
import { DEFAULT_PRIORITIES } from "../arbitration/priority";
import type { FlowDefinitionInput } from "../journey/schema";
import { Days, EventList, finish, Priority, ReentryDays, TemplateKey, exitRules, reentry, type CatalogueEntry } from "./common";

export const RE_ENGAGEMENT_KEY = "re_engagement";

/**
 * Re-engagement of subscribers who have not engaged (no click, no reliable open)
 * for `inactiveDays`: a "we miss you" email, then a last-chance email, then the
 * sunset: a tag and a `suppress_marketing` (reason sunset) that stops marketing email
 * to them. Any engagement (a click, a reliable open, an order) reaches the goal and
 * ends the journey before the sunset. The runner must deliver message events as
 * customer events named `message_clicked` / `message_opened` (data.reliable).
 */
export const ReEngagementSettings = z.object({
  priority: Priority(DEFAULT_PRIORITIES.re_engagement),
  inactiveDays: Days.default(90),
  gapDays: Days.default(7),
  sunset: z
    .object({
      enabled: z.boolean().default(true),
      /** Days after the last-chance email without engagement. */
      afterDays: Days.default(7),
      tag: z.string().min(1).max(40).default("sunset"),
    })
    .prefault({}),
  templates: z
    .object({ email1: TemplateKey.default("reengagement_1"), lastChance: TemplateKey.default("reengagement_sunset") })
    .prefault({}),
  exitEvents: EventList(["email_unsubscribed"]),
  reentryDays: ReentryDays(180),
});
export type ReEngagementSettings = z.output<typeof ReEngagementSettings>;

export function buildReEngagement(input: z.input<typeof ReEngagementSettings> = {}) {
  const s = ReEngagementSettings.parse(input);
  const steps: FlowDefinitionInput["steps"] = [
    { id: "send_1", type: "send", channel: "email", templateKey: s.templates.email1, onNoConsent: "exit", next: "wait_2" },
    { id: "wait_2", type: "wait", duration: { days: s.gapDays }, next: "last_chance" },
    {
      id: "last_chance",
      type: "send",
      channel: "email",
      templateKey: s.templates.lastChance,
      onNoConsent: "exit",
      ...(s.sunset.enabled ? { next: "wait_sunset" } : {}),
    },
  ];
  if (s.sunset.enabled)
    steps.push(
      { id: "wait_sunset", type: "wait", duration: { days: s.sunset.afterDays }, next: "tag_sunset" },
      { id: "tag_sunset", type: "add_tag", tag: s.sunset.tag, next: "sunset" },
      { id: "sunset", type: "suppress_marketing", channel: "email", reason: "sunset" },
    );

  return finish({
    schemaVersion: 1,
    key: RE_ENGAGEMENT_KEY,
    name: "Re-engagement and sunset",
    priority: s.priority,
    trigger: { type: "inactivity", basis: "last_engaged", days: s.inactiveDays },
    entry: { requiresConsent: "email", reentry: reentry(s.reentryDays) },
    exits: exitRules(s.exitEvents),
    goal: {
      events: ["message_clicked", "message_opened", "order_placed"],
      where: {
        any: [
          { field: "event.name", op: "in", value: ["message_clicked", "order_placed"] },
          { field: "event.reliable", op: "eq", value: true },
        ],
      },
      exitOnGoal: true,
    },
    startStepId: "send_1",
    steps,
    source: { catalogueKey: RE_ENGAGEMENT_KEY, settings: s },
  });
}

export const reEngagement: CatalogueEntry<typeof ReEngagementSettings> = {
  key: RE_ENGAGEMENT_KEY,
  meta: {
    name: { en: "Re-engagement and sunset", pl: "Reaktywacja i wygaszanie" },
    description: {
      en: "Tries to win back subscribers who stopped opening and clicking; those who still do not engage stop receiving marketing emails, which protects your deliverability.",
      pl: "Próbuje odzyskać subskrybentów, którzy przestali otwierać i klikać; ci, którzy nadal nie reagują, przestają dostawać e-maile marketingowe, co chroni dostarczalność.",
    },
  },
  defaultPriority: DEFAULT_PRIORITIES.re_engagement,
  defaultStatus: "off",
  settingsSchema: ReEngagementSettings,
  defaultSettings: ReEngagementSettings.parse({}),
  buildFlow: (settings) => buildReEngagement(settings),
};
