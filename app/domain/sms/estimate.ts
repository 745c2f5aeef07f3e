import { parsePhoneNumberFromString } from "libphonenumber-js";
import { localeTag } from "~/i18n/locale-tag";
import type { FlowDefinition } from "../journey/schema";
import { sampleDiscountCode } from "../messages/discount-code";
import { renderSms } from "../messages/sms-catalogue";
import { DEFAULT_SMS_PRICES_MICRO_USD, estimateSmsCost, SMS_PRICE_CURRENCY } from "./cost";
import { withOptOutFooter } from "./opt-out";
import { countSmsSegments, type SmsEncoding } from "./segments";
import { SMS_LINK_CODE_LENGTH } from "./short-links";

// What a flow's SMS steps would cost if every SMS-subscribed customer received each
// of them once: the text each recipient would get (their language, the real link
// shape, the opt-out line), its segments, and the provider's list price for their
// country (cost.ts). Shown on the flows page and confirmed before an SMS flow goes live.

export type SmsLanguage = "en" | "pl";

/** The text language a locale gets: the rule renderSms and optOutFooter apply. */
export function smsLanguage(locale: string): SmsLanguage {
  return locale.toLowerCase().startsWith("pl") ? "pl" : "en";
}

/** ISO country of an E.164 number (prefix only when the number is not a valid one), or null. */
export function phoneCountry(phone: string): string | null {
  const parsed = parsePhoneNumberFromString(phone);
  return parsed?.country ?? parsed?.getPossibleCountries()[0] ?? null;
}

/** SMS-subscribed customers of one destination country and one profile locale (null: the shop's). */
export interface SmsAudienceGroup {
  country: string;
  locale: string | null;
  recipients: number;
}

export interface SmsEstimateShop {
  name: string;
  /** Host of the storefront links: the primary domain, else the myshopify domain. */
  host: string;
  /** Primary locale; customers without one get texts in it. */
  locale: string;
  /** The app's base URL: links go out as `<linkBase>/s/<code>` (see short-links.ts). Without it, the raw link is counted. */
  linkBase?: string;
}

export interface SmsSendStepRef {
  stepId: string;
  /** The step's template, or every A/B variant's. */
  templateKeys: string[];
  transactional: boolean;
  /** The step's own text per language (the message editor's), counted instead of the catalogue's. */
  ownTexts?: Partial<Record<SmsLanguage, string>>;
}

export interface SmsTextEstimate {
  language: SmsLanguage;
  templateKey: string;
  /** Characters as a reader counts them (code points), opt-out line included. */
  characters: number;
  encoding: SmsEncoding;
  segments: number;
  recipients: number;
}

export interface SmsStepEstimate {
  stepId: string;
  currency: string;
  /** Per language with recipients, the shop's language first (only it when nobody is subscribed). */
  texts: SmsTextEstimate[];
  recipients: number;
  /** Every subscribed customer receiving this message once. */
  total: number;
  /** Average over the audience; null without recipients. */
  perMessage: number | null;
  per1000: number | null;
  byCountry: { country: string; recipients: number; cost: number }[];
}

export interface FlowSmsEstimate {
  currency: string;
  steps: SmsStepEstimate[];
  /** Subscribed customers counted (the same audience for every step). */
  recipients: number;
  /** All SMS steps, each to every subscribed customer once. */
  total: number;
}

const MICRO = 1_000_000;
// Shopify's abandoned_checkout_url, which checkout webhooks carry and an abandoned
// checkout SMS links to: https://<host>/<shop id>/checkouts/ac/<token>/recover?key=<32 hex>&locale=<xx-XX>.
// Placeholders of the real lengths (11-digit shop id, 52-character token).
const SHOP_ID = "0".repeat(11);
const CHECKOUT_TOKEN = "x".repeat(52);
const RECOVERY_KEY = "0".repeat(32);

/** A link of the shape and length the SMS will carry (see JourneyWrites: the trigger's recoveryUrl, else the shop's URL). */
export function representativeSmsUrl(link: "checkout_recovery" | "shop", host: string, language: SmsLanguage): string {
  if (link === "shop") return `https://${host}`;
  return `https://${host}/${SHOP_ID}/checkouts/ac/${CHECKOUT_TOKEN}/recover?key=${RECOVERY_KEY}&locale=${localeTag(language)}`;
}

/** Only checkout webhooks carry a recovery URL; any other trigger's SMS links to the shop. */
export function smsLinkKind(definition: Pick<FlowDefinition, "trigger">): "checkout_recovery" | "shop" {
  const t = definition.trigger;
  return t.type === "event" && t.events.some((e) => e.startsWith("checkout_")) ? "checkout_recovery" : "shop";
}

export function smsSendSteps(definition: Pick<FlowDefinition, "steps">): SmsSendStepRef[] {
  return definition.steps.flatMap((s) =>
    s.type === "send" && s.channel === "sms"
      ? [
          {
            stepId: s.id,
            templateKeys: s.variants?.map((v) => v.templateKey ?? s.templateKey) ?? [s.templateKey],
            transactional: s.purpose === "transactional",
            ...(s.content ? { ownTexts: { en: s.content.en?.text, pl: s.content.pl?.text } } : {}),
          },
        ]
      : [],
  );
}

/** The exact text a recipient in `language` gets: catalogue text, link, and (marketing) the opt-out line added at send time. */
export function estimatedSmsBody(
  templateKey: string,
  language: SmsLanguage,
  shop: SmsEstimateShop,
  link: "checkout_recovery" | "shop",
  transactional = false,
): string {
  const url = shop.linkBase ? `${shop.linkBase}/s/${"x".repeat(SMS_LINK_CODE_LENGTH)}` : representativeSmsUrl(link, shop.host, language);
  const body = renderSms(templateKey, language, { shop: shop.name, url });
  return transactional ? body : withOptOutFooter(body, language);
}

/** Values of a typical length for what a text of the message editor may print. */
const SAMPLE_VALUES: Record<string, string> = {
  "customer.firstName": "Aleksandra",
  "customer.lastName": "Kowalska",
  "customer.fullName": "Aleksandra Kowalska",
  // As long as a created code (a prefix, a dash, 8 characters).
  "discount.code": sampleDiscountCode("COMEBACK"),
  "discount.valueLabel": "10%",
  "discount.expiresLabel": "14.12.2026",
};

/**
 * A text of the message editor as a recipient would get it: its Liquid filled with the
 * shop's name, the link and values of a typical length (a tag prints nothing, what it
 * wraps is counted: the estimate errs on the long side), the
 * opt-out line added. The language's own text, else the other one, as sending does.
 */
export function ownSmsBody(
  texts: Partial<Record<SmsLanguage, string>>,
  language: SmsLanguage,
  shop: SmsEstimateShop,
  link: "checkout_recovery" | "shop",
  transactional = false,
): string {
  const url = shop.linkBase ? `${shop.linkBase}/s/${"x".repeat(SMS_LINK_CODE_LENGTH)}` : representativeSmsUrl(link, shop.host, language);
  const text = texts[language] ?? texts[language === "pl" ? "en" : "pl"] ?? "";
  const values: Record<string, string> = { ...SAMPLE_VALUES, "shop.name": shop.name, "shop.url": url, "links.recoveryUrl": url };
  const body = text
    .replace(/\{%[\s\S]*?%\}/g, "")
    .replace(/\{\{\s*([^}|\s]+)[^}]*\}\}/g, (_all, path: string) => values[path] ?? "")
    .trim();
  return transactional ? body : withOptOutFooter(body, language);
}

export function estimateSmsStep(
  step: SmsSendStepRef,
  link: "checkout_recovery" | "shop",
  shop: SmsEstimateShop,
  audience: readonly SmsAudienceGroup[],
  prices: Readonly<Record<string, number>> = DEFAULT_SMS_PRICES_MICRO_USD,
): SmsStepEstimate {
  const primary = smsLanguage(shop.locale);
  const byLanguage = new Map<SmsLanguage, Record<string, number>>([[primary, {}]]);
  for (const g of audience) {
    if (g.recipients <= 0) continue;
    // The journey engine's rule: the customer's locale, else the shop's.
    const language = smsLanguage(g.locale ?? shop.locale);
    const countries = byLanguage.get(language) ?? {};
    const country = g.country.toUpperCase();
    countries[country] = (countries[country] ?? 0) + g.recipients;
    byLanguage.set(language, countries);
  }
  const texts: SmsTextEstimate[] = [];
  const countryTotals = new Map<string, { recipients: number; micro: number }>();
  let totalMicro = 0;
  let recipients = 0;
  for (const [language, countries] of byLanguage) {
    // A/B variants: the dearest one, so the estimate errs on the expensive side.
    const options = step.templateKeys.map((templateKey) => {
      const body = step.ownTexts
        ? ownSmsBody(step.ownTexts, language, shop, link, step.transactional)
        : estimatedSmsBody(templateKey, language, shop, link, step.transactional);
      return { templateKey, body, segments: countSmsSegments(body), cost: estimateSmsCost(body, countries, prices) };
    });
    const pick = options.reduce((a, b) =>
      b.cost.total > a.cost.total || (b.cost.total === a.cost.total && b.segments.segments > a.segments.segments) ? b : a,
    );
    texts.push({
      language,
      templateKey: pick.templateKey,
      characters: Array.from(pick.body).length,
      encoding: pick.segments.encoding,
      segments: pick.segments.segments,
      recipients: pick.cost.recipients,
    });
    totalMicro += Math.round(pick.cost.total * MICRO);
    recipients += pick.cost.recipients;
    for (const line of pick.cost.lines) {
      const c = countryTotals.get(line.country) ?? { recipients: 0, micro: 0 };
      c.recipients += line.recipients;
      c.micro += Math.round(line.cost * MICRO);
      countryTotals.set(line.country, c);
    }
  }
  const perMessage = recipients > 0 ? totalMicro / recipients / MICRO : null;
  return {
    stepId: step.stepId,
    currency: SMS_PRICE_CURRENCY,
    // The shop's language stays when nobody is subscribed yet, so there is always a text to judge.
    texts: recipients > 0 ? texts.filter((t) => t.recipients > 0) : texts,
    recipients,
    total: totalMicro / MICRO,
    perMessage,
    per1000: recipients > 0 ? Math.round((totalMicro * 1000) / recipients) / MICRO : null,
    byCountry: [...countryTotals]
      .map(([country, c]) => ({ country, recipients: c.recipients, cost: c.micro / MICRO }))
      .sort((a, b) => b.recipients - a.recipients || a.country.localeCompare(b.country)),
  };
}

/** Null for a flow without SMS steps. */
export function estimateFlowSms(
  definition: Pick<FlowDefinition, "steps" | "trigger">,
  shop: SmsEstimateShop,
  audience: readonly SmsAudienceGroup[],
  prices: Readonly<Record<string, number>> = DEFAULT_SMS_PRICES_MICRO_USD,
): FlowSmsEstimate | null {
  const steps = smsSendSteps(definition);
  if (steps.length === 0) return null;
  const link = smsLinkKind(definition);
  const estimates = steps.map((s) => estimateSmsStep(s, link, shop, audience, prices));
  return {
    currency: SMS_PRICE_CURRENCY,
    steps: estimates,
    recipients: estimates[0]!.recipients,
    total: estimates.reduce((sum, e) => sum + Math.round(e.total * MICRO), 0) / MICRO,
  };
}
