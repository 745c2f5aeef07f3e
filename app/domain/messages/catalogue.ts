// The catalogue of messages the flows send. Each email is one shared layout plus a
// list of content blocks; the words live per locale in app/templates/email/strings.

export const EMAIL_BLOCKS = ["hero", "items", "body", "discount", "cta", "recommendations", "signoff"] as const;
export type EmailBlock = (typeof EMAIL_BLOCKS)[number];

/** Where the call-to-action button points; each falls back to the shop's home page. */
export const CTA_TARGETS = ["shopUrl", "recoveryUrl", "reviewUrl", "confirmUrl", "preferencesUrl"] as const;
export type CtaTarget = (typeof CTA_TARGETS)[number];

export type MessagePurpose = "marketing" | "transactional";

export interface CatalogueEntry {
  purpose: MessagePurpose;
  blocks: readonly EmailBlock[];
  cta: CtaTarget;
}

const marketing = (cta: CtaTarget, ...blocks: EmailBlock[]): CatalogueEntry => ({ purpose: "marketing", cta, blocks });

export const EMAIL_CATALOGUE = {
  welcome_1: marketing("shopUrl", "hero", "discount", "cta", "recommendations", "signoff"),
  welcome_2: marketing("shopUrl", "hero", "body", "cta", "recommendations", "signoff"),
  welcome_3: marketing("shopUrl", "hero", "body", "discount", "cta", "signoff"),
  abandoned_checkout_1: marketing("recoveryUrl", "hero", "items", "cta", "signoff"),
  abandoned_checkout_2: marketing("recoveryUrl", "hero", "items", "body", "cta", "recommendations", "signoff"),
  abandoned_checkout_3: marketing("recoveryUrl", "hero", "items", "discount", "cta", "signoff"),
  abandoned_cart_1: marketing("recoveryUrl", "hero", "items", "cta", "recommendations", "signoff"),
  browse_abandonment_1: marketing("recoveryUrl", "hero", "items", "cta", "recommendations", "signoff"),
  post_purchase_thank_you_first: marketing("shopUrl", "hero", "items", "body", "recommendations", "signoff"),
  post_purchase_thank_you_repeat: marketing("shopUrl", "hero", "body", "recommendations", "signoff"),
  review_request: marketing("reviewUrl", "hero", "items", "cta", "signoff"),
  cross_sell: marketing("shopUrl", "hero", "recommendations", "cta", "signoff"),
  replenishment_reminder: marketing("recoveryUrl", "hero", "items", "cta", "signoff"),
  winback_1: marketing("shopUrl", "hero", "body", "cta", "recommendations", "signoff"),
  winback_2: marketing("shopUrl", "hero", "discount", "cta", "signoff"),
  reengagement_1: marketing("shopUrl", "hero", "body", "cta", "recommendations", "signoff"),
  reengagement_sunset: marketing("preferencesUrl", "hero", "body", "cta", "signoff"),
  double_optin_confirm: { purpose: "transactional", cta: "confirmUrl", blocks: ["hero", "cta", "body", "signoff"] },
  test_email: marketing("shopUrl", "hero", "items", "discount", "cta", "recommendations", "signoff"),
} as const satisfies Record<string, CatalogueEntry>;

export type EmailTemplateKey = keyof typeof EMAIL_CATALOGUE;
export const EMAIL_TEMPLATE_KEYS = Object.keys(EMAIL_CATALOGUE) as EmailTemplateKey[];

export function isEmailTemplateKey(key: string): key is EmailTemplateKey {
  return Object.hasOwn(EMAIL_CATALOGUE, key);
}

/**
 * Messages about particular products: without one of them (a storefront event named
 * a product the shop's catalogue does not have) there is nothing to say, and the
 * message is not sent ("no_catalogue_products"). A checkout reminder still has its
 * recovery link, so it is not one of them.
 */
const REQUIRES_ITEMS: ReadonlySet<string> = new Set<EmailTemplateKey>(["browse_abandonment_1", "abandoned_cart_1"]);

export function templateRequiresItems(key: string): boolean {
  return REQUIRES_ITEMS.has(key);
}

export function catalogueEntry(key: string): CatalogueEntry {
  if (!isEmailTemplateKey(key)) throw new UnknownTemplateError(key);
  return EMAIL_CATALOGUE[key];
}

export class UnknownTemplateError extends Error {
  constructor(readonly templateKey: string) {
    super(`Unknown email template "${templateKey}"; known: ${EMAIL_TEMPLATE_KEYS.join(", ")}`);
    this.name = "UnknownTemplateError";
  }
}
