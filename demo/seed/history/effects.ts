// The truth the demo's history is generated from, and that its reports should find.
//
// Every flow has a baseline: the chance that a shopper in that flow's situation (a
// checkout left, a product looked at, a newsletter signup, an order just placed) places
// an order within the flow's measurement window on their own. A shopper who RECEIVES a
// message of the flow's journey for that situation converts with `baseline + lift`:
// the extra `lift` comes only through the message (they click it, then order).
// Held-out shoppers (the engine's per-flow holdout) walk the flow, receive nothing and
// so convert at the baseline. Nothing in the generator reads who is held out.
//
// Intention to treat: the holdout report compares ENTRIES, treated against held out.
// Its estimand is `lift x reach`, reach being the share of treated entries whose
// message actually went out in time (reach.server.ts counts it). The shoppers are
// built so that reach is close to 1: everyone is consented, each kind of visit enters
// exactly one flow, and quiet hours only defer a reminder. What still keeps a message
// from going out is the engine's own arbitration (a browse reminder loses its slot to
// a higher-priority flow, a deferral past the step's limit is dropped); the history
// reports reach per flow and `expectedEffect` scales the lift by it.

// The lifts are generous (a real abandoned-checkout series may add a few points, not
// fifteen): they are sized so that three months of a demo shop, a few hundred entries
// per flow, can show them with a conclusive interval. One flow (the cart reminder) has
// none, so the demo also shows what "no clear effect" looks like.

export interface PlantedEffect {
  /** Conversion probability of an entry without the message, 0..1. */
  baseline: number;
  /** Added conversion probability for a shopper who receives the message, 0..1. */
  lift: number;
  /** What the episode is, for the logs. */
  situation: string;
}

export const PLANTED_EFFECTS = {
  abandoned_checkout: { baseline: 0.1, lift: 0.15, situation: "left a checkout with contact details" },
  // The flow with no effect: the cart reminder changes nothing (those who come back would have anyway).
  abandoned_cart: { baseline: 0.15, lift: 0, situation: "added to cart, no checkout" },
  browse_abandonment: { baseline: 0.05, lift: 0.1, situation: "viewed products, nothing more" },
  welcome: { baseline: 0.08, lift: 0.12, situation: "signed up for the newsletter" },
  post_purchase: { baseline: 0.05, lift: 0.1, situation: "placed an order" },
} as const satisfies Record<string, PlantedEffect>;

export type HistoryFlowKey = keyof typeof PLANTED_EFFECTS;
export const HISTORY_FLOW_KEYS = Object.keys(PLANTED_EFFECTS) as HistoryFlowKey[];

export function isHistoryFlowKey(key: string): key is HistoryFlowKey {
  return Object.hasOwn(PLANTED_EFFECTS, key);
}

/** The entry-level effect the holdout measures: the lift, for the share of treated entries the message reached. */
export function expectedEffect(key: HistoryFlowKey, reach: number): number {
  return PLANTED_EFFECTS[key].lift * reach;
}

/**
 * The A/B test the demo's history runs: the welcome series' first email tests a
 * subject line that names the welcome gift (variant b) against the template's own
 * (a, the control), decided on click rate (ab-test.server.ts starts it the way a
 * merchant does). The planted truth is the click of a reader the message does not
 * persuade to buy: with `clickRate[v]` they click that first email. A persuadable
 * reader clicks it whatever its subject (their order comes through it, so the
 * holdout's planted lift is the same in both arms). So a variant's true click rate is
 * `persuadable + (1 - persuadable) x clickRate[v]` over its recipients; the history
 * adds that up per variant (HistoryResult.ab) for the report to be checked against.
 */
export const PLANTED_AB = {
  flow: "welcome",
  stepId: "send_1",
  control: "a",
  challenger: "b",
  clickRate: { a: 0.1, b: 0.4 },
} as const satisfies { flow: HistoryFlowKey; stepId: string; control: string; challenger: string; clickRate: Record<string, number> };

export type PlantedVariant = keyof typeof PLANTED_AB.clickRate;

export function isPlantedVariant(key: string | null): key is PlantedVariant {
  return key !== null && Object.hasOwn(PLANTED_AB.clickRate, key);
}
