// Marketing topics a shopper can opt out of one by one in the preference center.
// Customer.unsubscribedTopics stores the opted-out ones, so a topic added later is
// on by default for everyone who is subscribed.
export const MARKETING_TOPICS = ["newsletter", "offers", "product_news"] as const;
export type MarketingTopic = (typeof MARKETING_TOPICS)[number];

export function isMarketingTopic(value: unknown): value is MarketingTopic {
  return typeof value === "string" && (MARKETING_TOPICS as readonly string[]).includes(value);
}

export const PAUSE_DAYS = 30;
