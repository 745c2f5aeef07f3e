import { addDays, localToInstant, wallClock } from "../arbitration/local-time";

// A new sending domain earns its reputation slowly: mailbox providers distrust a
// domain that sends thousands on its first day. The shop's email volume is capped per
// shop-local day along a ramp; what is over the day's allowance waits for the next day.

/**
 * A ramp as a merchant shapes it, the way ESPs describe one: day 1's volume, a daily
 * growth factor, and the daily volume at which the ramp ends (no limit after that day).
 */
export type WarmupRamp = {
  firstDay: number;
  growth: number;
  target: number;
};

/** 50 a day, doubling, until 25,600: ten days. */
export const DEFAULT_WARMUP_RAMP: Readonly<WarmupRamp> = { firstDay: 50, growth: 2, target: 25_600 };

/** Bounds a merchant's ramp must keep: a real ramp, short enough to end. */
export const WARMUP_BOUNDS = {
  firstDay: { min: 10, max: 100_000 },
  growth: { min: 1.1, max: 10 },
  target: { max: 10_000_000 },
  days: { max: 60 },
} as const;

/**
 * The ramp's daily allowances, day 1 onwards: firstDay * growth^(day-1), rounded, and
 * the target on the first day it is reached. Longer than `limit` days: only the first
 * limit + 1, so a caller can tell "too long" without building a huge array.
 */
export function rampPlan(ramp: WarmupRamp, limit: number = WARMUP_BOUNDS.days.max): number[] {
  const plan: number[] = [];
  for (let day = 0; plan.length <= limit; day++) {
    const volume = Math.min(ramp.target, Math.round(ramp.firstDay * ramp.growth ** day));
    plan.push(volume);
    if (volume >= ramp.target || !(ramp.growth > 1)) break;
  }
  return plan;
}

/** Emails per day, day 1 onwards; after the last day, no limit. */
export const DEFAULT_WARMUP_PLAN: readonly number[] = rampPlan(DEFAULT_WARMUP_RAMP);

/** "YYYY-MM-DD" of an instant on the zone's wall clock. */
export function localDay(at: Date, timeZone: string): string {
  const w = wallClock(at.getTime(), timeZone);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

function parseDay(day: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** Whole days from `from` to `to` (both local dates). */
export function daysBetween(from: string, to: string): number {
  const a = parseDay(from);
  const b = parseDay(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/**
 * Today's allowance: null when no ramp applies (none started, or it is over), else the
 * plan's figure for the day (day 1 is the start day; a start in the future allows day 1's).
 */
export function warmupAllowance(plan: readonly number[] | null, startDay: string | null, today: string): number | null {
  if (!plan || plan.length === 0 || !startDay) return null;
  const index = Math.max(0, daysBetween(startDay, today));
  return index < plan.length ? plan[index]! : null;
}

/** The first instant of the next shop-local day: where a deferred email waits. */
export function nextLocalMidnight(at: Date, timeZone: string): Date {
  const w = wallClock(at.getTime(), timeZone);
  const next = addDays(w.year, w.month, w.day, 1);
  return new Date(localToInstant(next.year, next.month, next.day, 0, timeZone));
}

/** The ramp as day -> allowance rows, for the settings page. */
export function warmupSchedule(plan: readonly number[], startDay: string): { day: string; allowance: number }[] {
  const start = parseDay(startDay);
  return plan.map((allowance, i) => {
    const d = addDays(start.year, start.month, start.day, i);
    return { day: `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`, allowance };
  });
}

/** Which day of the ramp `today` is (1 = the start day; a start in the future counts as day 1). */
export function rampDayNumber(startDay: string, today: string): number {
  return Math.max(0, daysBetween(startDay, today)) + 1;
}
