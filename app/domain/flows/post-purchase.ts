import { z } from "zod";
import { DEFAULT_PRIORITIES } from "../arbitration/priority";
import type { FlowDefinitionInput } from "../journey/schema";
import {
  Days,
  EventList,
  finish,
  Hours,
  Priority,
  TemplateKey,
  exitRules,
  otherOrder,
  reentry,
  sameOrder,
  type CatalogueEntry,
} from "./common";

export const POST_PURCHASE_KEY = "post_purchase";

/**
 * Post-purchase, per order: a thank-you that differs for first-time and repeat buyers
 * (customer.ordersCount counts this order), a review request N days after the order's
 * fulfillment (waiting for `fulfillment_created` of this order, at most
 * `review.waitForFulfillmentDays`), and a cross-sell. A cancelled order exits; the
 * customer's next order reaches the goal (and starts its own post-purchase journey).
 */
export const PostPurchaseSettings = z.object({
  priority: Priority(DEFAULT_PRIORITIES.post_purchase),
  thankYouDelayHours: Hours.default(1),
  review: z
    .object({
      enabled: z.boolean().default(true),
      daysAfterFulfillment: Days.default(7),
      waitForFulfillmentDays: Days.default(14),
    })
    .prefault({}),
  crossSell: z
    .object({
      enabled: z.boolean().default(true),
      /** Days after the order. */
      daysAfterOrder: Days.default(21),
      topic: z.string().max(64).nullable().default("product_news"),
    })
    .prefault({}),
  templates: z
    .object({
      thankYouFirst: TemplateKey.default("post_purchase_thank_you_first"),
      thankYouRepeat: TemplateKey.default("post_purchase_thank_you_repeat"),
      review: TemplateKey.default("review_request"),
      crossSell: TemplateKey.default("cross_sell"),
    })
    .prefault({}),
  exitEvents: EventList(["order_cancelled"]),
});
export type PostPurchaseSettings = z.output<typeof PostPurchaseSettings>;

export function buildPostPurchase(input: z.input<typeof PostPurchaseSettings> = {}) {
  const s = PostPurchaseSettings.parse(input);
  const afterThanks = s.review.enabled ? "wait_fulfillment" : s.crossSell.enabled ? "wait_cross_sell" : undefined;
  const afterReview = s.crossSell.enabled ? "wait_cross_sell" : undefined;
  const email = (id: string, templateKey: string, next: string | undefined, topic: string | null = null) => ({
    id,
    type: "send" as const,
    channel: "email" as const,
    templateKey,
    topic,
    onNoConsent: "exit" as const,
    ...(next ? { next } : {}),
  });
  const steps: FlowDefinitionInput["steps"] = [
    { id: "wait_thanks", type: "wait", duration: { hours: s.thankYouDelayHours }, anchor: "entry", next: "first_order" },
    {
      id: "first_order",
      type: "condition",
      label: "First-time buyer?",
      if: { field: "customer.ordersCount", op: "lte", value: 1 },
      then: "thanks_first",
      else: "thanks_repeat",
    },
    email("thanks_first", s.templates.thankYouFirst, afterThanks),
    email("thanks_repeat", s.templates.thankYouRepeat, afterThanks),
  ];
  if (s.review.enabled)
    steps.push(
      {
        id: "wait_fulfillment",
        type: "wait_for_event",
        events: ["fulfillment_created"],
        where: sameOrder(),
        timeout: { days: s.review.waitForFulfillmentDays },
        onEvent: "wait_review",
        ...(afterReview ? { onTimeout: afterReview } : {}),
      },
      { id: "wait_review", type: "wait", duration: { days: s.review.daysAfterFulfillment }, next: "review" },
      email("review", s.templates.review, afterReview),
    );
  if (s.crossSell.enabled)
    steps.push(
      { id: "wait_cross_sell", type: "wait", duration: { days: s.crossSell.daysAfterOrder }, anchor: "entry", next: "cross_sell" },
      email("cross_sell", s.templates.crossSell, undefined, s.crossSell.topic),
    );

  return finish({
    schemaVersion: 1,
    key: POST_PURCHASE_KEY,
    name: "Post-purchase",
    priority: s.priority,
    trigger: { type: "event", events: ["order_placed"], contextKeyPath: "orderId" },
    entry: { requiresConsent: "email", reentry: reentry(0) },
    exits: exitRules(s.exitEvents, sameOrder()),
    goal: { events: ["order_placed"], where: otherOrder(), exitOnGoal: true },
    startStepId: "wait_thanks",
    steps,
    source: { catalogueKey: POST_PURCHASE_KEY, settings: s },
  });
}

export const postPurchase: CatalogueEntry<typeof PostPurchaseSettings> = {
  key: POST_PURCHASE_KEY,
  meta: {
    name: { en: "Post-purchase", pl: "Po zakupie" },
    description: {
      en: "Thanks first-time and repeat buyers differently, asks for a review after delivery and suggests what goes well with the order.",
      pl: "Inaczej dziękuje nowym i powracającym klientom, prosi o opinię po dostawie i podpowiada produkty pasujące do zamówienia.",
    },
  },
  defaultPriority: DEFAULT_PRIORITIES.post_purchase,
  defaultStatus: "off",
  settingsSchema: PostPurchaseSettings,
  defaultSettings: PostPurchaseSettings.parse({}),
  buildFlow: (settings) => buildPostPurchase(settings),
};
