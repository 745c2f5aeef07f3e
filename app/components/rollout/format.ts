import type { Locale } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";

/** Rates, points and times on the rollout page, in the admin's language and the shop's time zone. */
export function rolloutFormats(locale: Locale, timeZone: string) {
  const tag = localeTag(locale);
  const pct = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 1 });
  const num = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  const int = new Intl.NumberFormat(tag);
  const time = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone });
  return {
    rate: (v: number | null | undefined) => (v === null || v === undefined ? "–" : pct.format(v)),
    points: (fraction: number) => num.format(fraction * 100),
    share: (fraction: number) => num.format(fraction * 100),
    int: (n: number) => int.format(n),
    time: (iso: string) => time.format(new Date(iso)),
  };
}

export type RolloutFormats = ReturnType<typeof rolloutFormats>;
