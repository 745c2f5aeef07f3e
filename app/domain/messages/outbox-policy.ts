// How long a worker owns a message, and how often a transient failure is retried.

export const MAX_SEND_ATTEMPTS = 5;
/** From claim until the row is marked "sending": checks, discount creation at Shopify, rendering. */
export const CLAIM_LEASE_MS = 5 * 60_000;
/**
 * From "sending" until the outcome is recorded: far longer than a send takes. A send
 * that outlives it (a hung server) only turns its row "unknown", never into a resend.
 */
export const SEND_LEASE_MS = 15 * 60_000;

/** 1, 2, 4, 8 minutes... after attempt n (1-based), capped at an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(3_600_000, 60_000 * 2 ** Math.max(0, attempt - 1));
}
