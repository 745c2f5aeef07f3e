// SMS texts of the catalogue, EN and PL. Short on purpose: every character past one
// segment costs money (see app/domain/sms/segments.ts), and Polish letters already
// force UCS-2 (70 characters a segment). The opt-out line is added at send time.
const TEXTS: Record<string, { en: string; pl: string }> = {
  abandoned_checkout_sms_1: {
    en: "{shop}: your order is waiting. Finish it here: {url}",
    pl: "{shop}: Twoje zamówienie czeka. Dokończ tutaj: {url}",
  },
  abandoned_cart_sms_1: {
    en: "{shop}: still thinking it over? Your cart: {url}",
    pl: "{shop}: wciąż się zastanawiasz? Twój koszyk: {url}",
  },
};

export function isSmsTemplateKey(key: string): boolean {
  return Object.hasOwn(TEXTS, key);
}

/** The SMS body for a template; unknown keys render a neutral text rather than nothing. */
export function renderSms(templateKey: string, locale: string, vars: { shop: string; url: string | null }): string {
  const t = TEXTS[templateKey] ?? { en: "{shop}: {url}", pl: "{shop}: {url}" };
  const text = locale.toLowerCase().startsWith("pl") ? t.pl : t.en;
  return text
    .replace("{shop}", vars.shop)
    .replace("{url}", vars.url ?? "")
    .trim();
}

/** A catalogue text as the message editor's Liquid (its starting point for a step without a text of its own). */
export function smsCatalogueLiquid(templateKey: string, locale: "en" | "pl"): string {
  const t = TEXTS[templateKey] ?? { en: "{shop}: {url}", pl: "{shop}: {url}" };
  return t[locale].replace("{shop}", "{{ shop.name }}").replace("{url}", "{{ links.recoveryUrl }}");
}

/** The line an SMS switched from an email with a discount code ends with (the message editor can move it). */
export function smsDiscountLiquid(locale: "en" | "pl"): string {
  return locale === "pl" ? "Twój kod: {{ discount.code }}" : "Your code: {{ discount.code }}";
}
