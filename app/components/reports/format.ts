import type { Locale } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";

/** The report's number formats in the admin's language and the shop's currency. */
export function reportFormats(locale: Locale, currency: string) {
  const tag = localeTag(locale);
  const int = new Intl.NumberFormat(tag);
  const moneyFmt = new Intl.NumberFormat(tag, { style: "currency", currency });
  const percentFmt = new Intl.NumberFormat(tag, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const pointsFmt = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const smallPointsFmt = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const wholePercentFmt = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 0 });
  const signedMoney = new Intl.NumberFormat(tag, { style: "currency", currency, signDisplay: "exceptZero" });
  // A report day is a calendar date (UTC midnight): format it in UTC so no zone moves it.
  const dayFmt = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeZone: "UTC" });
  const shortDayFmt = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", timeZone: "UTC" });
  const none = "—";
  return {
    int: (n: number) => int.format(n),
    money: (n: number | null | undefined) => (n === null || n === undefined ? none : moneyFmt.format(n)),
    signedMoney: (n: number) => signedMoney.format(n),
    percent: (n: number | null | undefined) => (n === null || n === undefined ? none : percentFmt.format(n)),
    /** A difference of two rates in percentage points: 0.021 -> "+2.1". */
    points: (n: number) => pointsFmt.format(n * 100),
    /** A small unsigned rate difference in points, two decimals: an expected loss of 0.0002 -> "0.02". */
    smallPoints: (n: number) => smallPointsFmt.format(n * 100),
    /** A threshold such as 0.9 -> "90%". */
    wholePercent: (n: number) => wholePercentFmt.format(n),
    day: (iso: string) => dayFmt.format(new Date(`${iso}T00:00:00Z`)),
    shortDay: (iso: string) => shortDayFmt.format(new Date(`${iso}T00:00:00Z`)),
  };
}

export type ReportFormats = ReturnType<typeof reportFormats>;
