import type { Prisma } from "@prisma/client";

/**
 * The profile's consent columns: per channel its state, opt-in level, source and
 * time, and the marketing preferences (unsubscribed topics, a pause). Everything that
 * shows a customer their consent reads this one list (the customers page's "why",
 * admin/customer-why.server.ts, and the right-of-access export,
 * compliance/data-export.server.ts), so a consent column added here appears in both.
 */
export const CONSENT_COLUMNS = {
  emailConsentState: true,
  emailOptInLevel: true,
  emailConsentSource: true,
  emailConsentUpdatedAt: true,
  smsConsentState: true,
  smsOptInLevel: true,
  smsConsentSource: true,
  smsConsentUpdatedAt: true,
  unsubscribedTopics: true,
  marketingPausedUntil: true,
} as const satisfies Prisma.CustomerSelect;
