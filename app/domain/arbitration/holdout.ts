import { inPercent } from "./hash";

/**
 * The flow's always-on holdout: a pure, deterministic function of the shop, the flow's
 * KEY and the customer. Keyed by the key, not the flow version, so a customer stays in
 * (or out of) the control group when the flow is edited; keyed by the flow, so one
 * flow's control group is independent of another's (a customer held out of the welcome
 * series still gets abandoned-checkout reminders). Raising the percent only adds
 * customers (never reshuffles them). Decided once, at entry, and stored on the
 * enrollment (Enrollment.holdout): the runner passes the stored value to the engine as
 * `context.holdout`, so a later change of the percent never moves a running entry.
 */
export function isInFlowHoldout(shopId: string, flowKey: string, customerId: string, holdoutPercent: number): boolean {
  return inPercent(`holdout:${shopId}:${flowKey}:${customerId}`, holdoutPercent);
}

/** The share held out of a flow: its own setting, else the shop's default. */
export function flowHoldoutPercent(flow: { holdoutPercent: number | null }, shop: { holdoutPercent: number }): number {
  return flow.holdoutPercent ?? shop.holdoutPercent;
}
