import { inPercent } from "./hash";

/**
 * Global holdout membership: a pure, deterministic function of the shop, the customer
 * and the shop's holdout percent. The same customer is always in or out for the same
 * percent, and raising the percent only adds customers (never reshuffles them).
 * The runner may call it when it creates an enrollment and store the answer in
 * Enrollment.holdout, then pass it to the engine as `context.holdout`.
 */
export function isInHoldout(shopId: string, customerId: string, holdoutPercent: number): boolean {
  return inPercent(`holdout:${shopId}:${customerId}`, holdoutPercent);
}
