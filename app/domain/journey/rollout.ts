import { bucket10000, inPercent } from "../arbitration/hash";

/**
 * Staged rollout (Flow.rolloutPercent, e.g. 10 -> 50 -> 100): a pure deterministic
 * function of (customer id, flow id, percent). A customer in at 10 % stays in at 50 %
 * and 100 % (the bucket never changes, only the threshold), and the assignment is
 * independent of the holdout's (different salt).
 */
export function inRollout(customerId: string, flowId: string, percent: number): boolean {
  return inPercent(`rollout:${flowId}:${customerId}`, percent);
}

/** The customer's rollout bucket in [0, 100) with two decimals: in the rollout when bucket < percent. */
export function rolloutBucket(customerId: string, flowId: string): number {
  return bucket10000(`rollout:${flowId}:${customerId}`) / 100;
}
