import { z } from "zod";
import { DEFAULT_PRIORITIES } from "../arbitration/priority";
import type { FlowDefinitionInput } from "../journey/schema";
import { EventList, finish, Hours, Incentive, Priority, ReentryDays, TemplateKey, exitRules, reentry, type CatalogueEntry } from "./common";

export const ABANDONED_CART_KEY = "abandoned_cart";

/**
 * Abandoned cart: an identified shopper (known email, marketing consent) added to
 * cart and did not start a checkout. Starting a checkout hands over to the abandoned
 * checkout flow (exit); an order reaches the goal.
 */
export const AbandonedCartSettings = z.object({
  priority: Priority(DEFAULT_PRIORITIES.abandoned_cart),
  delayHours: Hours.default(2),
  followUp: z
    .object({
      enabled: z.boolean().default(false),
      /** Hours after the add to cart. */
      afterHours: Hours.default(24),
      templateKey: TemplateKey.default("abandoned_cart_1"),
    })
    .prefault({}),
  /** In the last message only, and only above minCartValue. Off by default. */
  incentive: Incentive({ enabled: false, value: 10, expiresInHours: 48, prefix: "CART", minCartValue: 50 }),
  templates: z.object({ email1: TemplateKey.default("abandoned_cart_1") }).prefault({}),
  maxDeferHours: Hours.nullable().default(24),
  exitEvents: EventList(["checkout_started", "checkout_completed"]),
  reentryDays: ReentryDays(7),
});
export type AbandonedCartSettings = z.output<typeof AbandonedCartSettings>;

export function buildAbandonedCart(input: z.input<typeof AbandonedCartSettings> = {}) {
  const s = AbandonedCartSettings.parse(input);
  const email = (id: string, templateKey: string, next?: string, discountStepId?: string) => ({
    id,
    type: "send" as const,
    channel: "email" as const,
    templateKey,
    maxDeferHours: s.maxDeferHours,
    onNoConsent: "exit" as const,
    ...(discountStepId ? { discountStepId } : {}),
    ...(next ? { next } : {}),
  });
  const follow = s.followUp.enabled;
  const lastTemplate = follow ? s.followUp.templateKey : s.templates.email1;
  const lastId = follow ? "send_2" : "send_1";
  const offerStart = s.incentive.enabled ? "check_value" : lastId;

  const steps: FlowDefinitionInput["steps"] = [
    { id: "wait_1", type: "wait", duration: { hours: s.delayHours }, anchor: "entry", next: follow ? "send_1" : offerStart },
  ];
  if (follow)
    steps.push(email("send_1", s.templates.email1, "wait_2"), {
      id: "wait_2",
      type: "wait",
      duration: { hours: Math.max(s.followUp.afterHours, s.delayHours) },
      anchor: "entry",
      next: offerStart,
    });
  if (s.incentive.enabled)
    steps.push(
      {
        id: "check_value",
        type: "condition",
        if: { field: "trigger.value", op: "gte", value: s.incentive.minCartValue },
        then: "discount",
        else: lastId,
      },
      {
        id: "discount",
        type: "create_discount",
        kind: s.incentive.kind,
        value: s.incentive.value,
        expiresInHours: s.incentive.expiresInHours,
        prefix: s.incentive.prefix,
        next: `${lastId}_offer`,
      },
      email(`${lastId}_offer`, lastTemplate, undefined, "discount"),
    );
  steps.push(email(lastId, lastTemplate));

  return finish({
    schemaVersion: 1,
    key: ABANDONED_CART_KEY,
    name: "Abandoned cart",
    priority: s.priority,
    trigger: { type: "event", events: ["product_added_to_cart"], contextKeyPath: "cartToken" },
    entry: { requiresConsent: "email", reentry: reentry(s.reentryDays) },
    exits: exitRules(s.exitEvents),
    goal: { events: ["order_placed"], exitOnGoal: true },
    startStepId: "wait_1",
    steps,
    source: { catalogueKey: ABANDONED_CART_KEY, settings: s },
  });
}

export const abandonedCart: CatalogueEntry<typeof AbandonedCartSettings> = {
  key: ABANDONED_CART_KEY,
  meta: {
    name: { en: "Abandoned cart", pl: "Porzucony koszyk" },
    description: {
      en: "Reminds known shoppers of what they left in their cart when they did not go on to checkout.",
      pl: "Przypomina znanym klientom o produktach pozostawionych w koszyku, jeśli nie przeszli do finalizacji zamówienia.",
    },
  },
  defaultPriority: DEFAULT_PRIORITIES.abandoned_cart,
  defaultStatus: "off",
  settingsSchema: AbandonedCartSettings,
  defaultSettings: AbandonedCartSettings.parse({}),
  buildFlow: (settings) => buildAbandonedCart(settings),
};
