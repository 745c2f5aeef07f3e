// The period a report covers: whole shop-local days, both ends included. Days are
// UTC-midnight Dates, like FlowDaily.day (see shopDay), so they compare and step by
// plain arithmetic without a time zone.

export const PRESET_PERIODS = ["7", "30", "90"] as const;
export type PeriodKind = (typeof PRESET_PERIODS)[number] | "custom";

export interface ReportPeriod {
  kind: PeriodKind;
  /** First day included. */
  from: Date;
  /** Last day included. */
  to: Date;
}

const DAY = 86_400_000;
/** A custom period longer than this is cut to its last MAX_DAYS days: a year and a bit is plenty for a daily chart. */
export const MAX_DAYS = 400;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const isoDay = (day: Date): string => day.toISOString().slice(0, 10);
export const addDays = (day: Date, n: number): Date => new Date(day.getTime() + n * DAY);
export const daysBetween = (from: Date, to: Date): number => Math.round((to.getTime() - from.getTime()) / DAY);

function parseDay(text: string | null): Date | null {
  if (!text || !ISO_DAY.test(text)) return null;
  const d = new Date(`${text}T00:00:00.000Z`);
  // 2026-02-31 parses to March: only a day that round-trips is a day.
  return Number.isNaN(d.getTime()) || isoDay(d) !== text ? null : d;
}

/**
 * `?period=7|30|90` (the last N days, today included) or `?period=custom&from=&to=`
 * (YYYY-MM-DD). Anything unreadable falls back to the last 30 days; a custom period
 * is put in order, ends today at the latest, and spans at most MAX_DAYS.
 */
export function parsePeriod(params: URLSearchParams, today: Date): ReportPeriod {
  const kind = params.get("period");
  if (kind === "custom") {
    let from = parseDay(params.get("from"));
    let to = parseDay(params.get("to"));
    if (from && to) {
      if (from > to) [from, to] = [to, from];
      if (to > today) to = today;
      if (from > to) from = to;
      if (daysBetween(from, to) >= MAX_DAYS) from = addDays(to, -(MAX_DAYS - 1));
      return { kind: "custom", from, to };
    }
  }
  const preset = (PRESET_PERIODS as readonly string[]).includes(kind ?? "") ? (kind as PeriodKind) : "30";
  return { kind: preset, from: addDays(today, -(Number(preset) - 1)), to: today };
}

/** Every day of the period, in order. */
export function periodDays(period: ReportPeriod): Date[] {
  const n = daysBetween(period.from, period.to) + 1;
  return Array.from({ length: n }, (_, i) => addDays(period.from, i));
}

/** The query string that selects this period again (for links, exports). */
export function periodQuery(period: ReportPeriod): URLSearchParams {
  const q = new URLSearchParams({ period: period.kind });
  if (period.kind === "custom") {
    q.set("from", isoDay(period.from));
    q.set("to", isoDay(period.to));
  }
  return q;
}
