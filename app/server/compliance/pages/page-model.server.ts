import type { Locale } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { complianceTranslator, type ComplianceTranslate } from "~/i18n/compliance";
import type { LinkSubjectContext } from "../link-subject.server";
import { pageBrand, type PageBrand } from "./branding";
import { maskEmail, maskPhone } from "./mask";

/** Everything a shopper page needs to render, derived from the link's subject. */
export interface PageModel {
  brand: PageBrand;
  locale: Locale;
  t: ComplianceTranslate;
  /** The masked address the link acts on. */
  address: string;
  formatDate: (d: Date) => string;
}

export function pageModel(s: LinkSubjectContext): PageModel {
  const address = s.channel === "sms" ? maskPhone(s.customer.phone) : maskEmail(s.customer.email);
  const timeZone = s.customer.timezone ?? s.shop.timezone;
  const formatDate = (d: Date) => {
    try {
      return new Intl.DateTimeFormat(localeTag(s.locale), { dateStyle: "long", timeZone }).format(d);
    } catch {
      return d.toISOString().slice(0, 10);
    }
  };
  const translate = complianceTranslator(s.locale);
  // "e-maili", "SMS-ów": a line break after the hyphen reads badly, so it is a non-breaking one on the page.
  const t: ComplianceTranslate = (key, vars) => translate(key, vars).replace(/\b(e|SMS)-(?=\p{L})/gu, "$1\u2011");
  // A redacted profile has no address left to show.
  return { brand: pageBrand(s.shop), locale: s.locale, t, address: address || "•••", formatDate };
}
