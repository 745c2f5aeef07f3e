// Consent vocabulary follows Shopify's marketing consent fields, lower-cased.
export const CONSENT_STATES = ["subscribed", "not_subscribed", "unsubscribed", "pending", "redacted", "invalid"] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export const OPT_IN_LEVELS = ["single_opt_in", "confirmed_opt_in", "unknown"] as const;
export type OptInLevel = (typeof OPT_IN_LEVELS)[number];
export type Channel = "email" | "sms";

export interface ConsentUpdate {
  channel: Channel;
  state: ConsentState;
  optInLevel: OptInLevel | null;
  /**
   * When the shopper gave or withdrew consent (Shopify's consent_updated_at, or our
   * own receipt time). Null when Shopify does not say: such an update only fills a
   * profile that has no dated consent yet.
   */
  at: Date | null;
  source: string;
}

export function parseConsentState(raw: unknown): ConsentState | null {
  if (typeof raw !== "string") return null;
  const s = raw.trim().toLowerCase();
  return (CONSENT_STATES as readonly string[]).includes(s) ? (s as ConsentState) : null;
}

export function parseOptInLevel(raw: unknown): OptInLevel | null {
  if (typeof raw !== "string") return null;
  const s = raw.trim().toLowerCase();
  return (OPT_IN_LEVELS as readonly string[]).includes(s) ? (s as OptInLevel) : null;
}

/**
 * A consent update wins only if it is not older than what we hold: webhooks arrive
 * out of order, and a stale "subscribed" must never undo a newer "unsubscribed".
 * On a tie, withdrawal wins (the safe side).
 */
export function consentUpdateApplies(
  current: { state: string; at: Date | null },
  update: { state: ConsentState; at: Date | null },
): boolean {
  if (!current.at) return true;
  if (!update.at) return false;
  const diff = update.at.getTime() - current.at.getTime();
  if (diff > 0) return true;
  if (diff < 0) return false;
  return update.state !== current.state && update.state !== "subscribed";
}
