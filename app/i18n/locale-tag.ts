import type { Locale } from "./index";

/**
 * The BCP 47 tag Intl formats an app locale's numbers and dates with (and the locale
 * Shopify's checkout recovery link names). Its own module, without the dictionaries,
 * so pure domain code and client bundles can import it for free.
 */
export function localeTag(locale: Locale | (string & {})): "pl-PL" | "en-US" {
  return locale === "pl" ? "pl-PL" : "en-US";
}
