// How long personal and operational data is kept: storage limitation (GDPR/RODO art.
// 5(1)(e)) as a default, not a setting merchants have to find.

const DAY = 86_400_000;

/**
 * A delivery that failed for good keeps its payload this long, for a developer to see
 * why; processed deliveries drop theirs at once (app/server/ingestion/webhook-processor.server.ts).
 */
export const FAILED_WEBHOOK_PAYLOAD_DAYS = 14;

/**
 * Finished delivery records (the dedupe keys) stay this long. Shopify retries a
 * delivery for up to 48 hours, and the same event may come again under a new webhook
 * id within that span: a month is ample, and by then the rows hold no payload.
 */
export const WEBHOOK_RECORD_DAYS = 30;

/**
 * Storefront behaviour (page and product views, carts) is kept a year and a month:
 * no flow looks back more than days (browse and cart abandonment) or reads orders
 * instead (win-back, replenishment), while a year lets a merchant compare a season
 * with the last one.
 */
export const STOREFRONT_EVENT_DAYS = 400;

/**
 * A merchant may keep storefront events for less (Shop.storefrontEventDays), never for
 * more than the policy above, and not for less than browse and cart abandonment and the
 * segments' "viewed in the last 30 days" look back on.
 */
export const MIN_STOREFRONT_EVENT_DAYS = 30;

/** The shop's setting within the bounds (an out-of-range stored value is clamped, never trusted). */
export function storefrontEventDays(shopSetting: number | null | undefined): number {
  const days = Number.isFinite(shopSetting) ? Math.round(shopSetting as number) : STOREFRONT_EVENT_DAYS;
  return Math.min(STOREFRONT_EVENT_DAYS, Math.max(MIN_STOREFRONT_EVENT_DAYS, days));
}

export interface RetentionCutoffs {
  failedWebhookPayload: Date;
  webhookRecord: Date;
  storefrontEvent: Date;
}

export function retentionCutoffs(at: Date): RetentionCutoffs {
  const before = (days: number) => new Date(at.getTime() - days * DAY);
  return {
    failedWebhookPayload: before(FAILED_WEBHOOK_PAYLOAD_DAYS),
    webhookRecord: before(WEBHOOK_RECORD_DAYS),
    storefrontEvent: before(STOREFRONT_EVENT_DAYS),
  };
}
