// How long a worker owns a message, and how often a transient failure is retried.

export const MAX_SEND_ATTEMPTS = 5;
/** From claim until the row is marked "sending": checks and rendering only. */
export const CLAIM_LEASE_MS = 2 * 60_000;
/**
 * From "sending" until the outcome is recorded. Longer than any SMTP timeout of the
 * transport, so a live send is never declared "unknown" under a worker's feet.
 */
export const SEND_LEASE_MS = 15 * 60_000;

/** 1, 2, 4, 8 minutes... after attempt n (1-based), capped at an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(3_600_000, 60_000 * 2 ** Math.max(0, attempt - 1));
}
