// Wall-clock arithmetic on IANA time zones with Intl only (pure: no clock is read).
// Everything that is "local" (quiet hours, the SMS window, "wait until 10:00") is
// computed on the zone's wall clock, so a DST change moves the UTC instant and never
// the local 08:00.

import type { EpochMs } from "./types";

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  minuteOfDay: number;
}

/** A daily window of local time, [start, end) in minutes after midnight, start < end. */
export interface MinuteWindow {
  start: number;
  end: number;
}

export const MINUTES_PER_DAY = 1440;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string | null | undefined): timeZone is string {
  if (!timeZone) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The first valid zone among the candidates, else UTC. */
export function resolveTimeZone(...candidates: (string | null | undefined)[]): string {
  for (const c of candidates) if (isValidTimeZone(c)) return c;
  return "UTC";
}

export function wallClock(at: EpochMs, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const year = parts.year!;
  const month = parts.month!;
  const day = parts.day!;
  const hour = parts.hour! % 24;
  const minute = parts.minute!;
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { year, month, day, hour, minute, second: parts.second!, weekday: dow === 0 ? 7 : dow, minuteOfDay: hour * 60 + minute };
}

/** The zone's offset from UTC at `at`, in ms (Warsaw in summer: +7 200 000). */
function offsetMs(at: EpochMs, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant at which the zone's wall clock shows this local date and minute. A
 * local time skipped by a spring-forward change (02:30 on the last Sunday of March
 * in Warsaw) maps to the first instant after the gap; an ambiguous one (autumn) to
 * the earlier of the two.
 */
export function localToInstant(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): EpochMs {
  const asUtc = Date.UTC(year, month - 1, day, Math.floor(minuteOfDay / 60), minuteOfDay % 60);
  const first = asUtc - offsetMs(asUtc, timeZone);
  const second = asUtc - offsetMs(first, timeZone);
  if (second === first) {
    // Ambiguous (autumn fold): prefer the earlier instant when it shows the same wall time.
    const earlier = first - 3_600_000;
    const w = wallClock(earlier, timeZone);
    if (w.year === year && w.month === month && w.day === day && w.minuteOfDay === minuteOfDay) return earlier;
    return first;
  }
  // The offsets disagree: a transition lies between; take the candidate that shows the wanted time, else the later one (gap).
  const w = wallClock(second, timeZone);
  if (w.minuteOfDay === minuteOfDay) return second;
  return Math.max(first, second);
}

/** Adds whole days to a local calendar date (no zone involved). */
export function addDays(
  year: number,
  month: number,
  day: number,
  days: number,
): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  const dow = d.getUTCDay();
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: dow === 0 ? 7 : dow };
}

/** "HH:MM" -> minutes after midnight. */
export function parseHHMM(s: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  if (!m) throw new Error(`not a HH:MM time: ${s}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function formatHHMM(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
}

/** Normalises [start, end) with wrap-around (22:00-06:00) into sorted non-wrapping windows. */
export function dailyWindows(start: number, end: number): MinuteWindow[] {
  if (start === end) return [{ start: 0, end: MINUTES_PER_DAY }];
  if (start < end) return [{ start, end }];
  return [
    { start: 0, end },
    { start, end: MINUTES_PER_DAY },
  ];
}

/** The allowed windows left when a quiet period [start, end) (may wrap) is removed from the day. */
export function complementOfQuiet(startMinute: number, endMinute: number): MinuteWindow[] {
  if (startMinute === endMinute) return [{ start: 0, end: MINUTES_PER_DAY }];
  if (startMinute > endMinute) return [{ start: endMinute, end: startMinute }];
  return [
    { start: 0, end: startMinute },
    { start: endMinute, end: MINUTES_PER_DAY },
  ].filter((w) => w.end > w.start);
}

export function intersectWindows(a: MinuteWindow[], b: MinuteWindow[]): MinuteWindow[] {
  const out: MinuteWindow[] = [];
  for (const x of a)
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (end > start) out.push({ start, end });
    }
  return out.sort((p, q) => p.start - q.start);
}

/**
 * The earliest instant >= `at` whose local wall time lies in one of `windows` (and,
 * if given, on one of `weekdays`, ISO 1-7). `at` itself when it already does. Null
 * when no window exists within the next eight days.
 */
export function nextInstantInWindows(at: EpochMs, timeZone: string, windows: MinuteWindow[], weekdays?: readonly number[]): EpochMs | null {
  if (windows.length === 0) return null;
  const sorted = [...windows].sort((p, q) => p.start - q.start);
  const dayOk = (wd: number) => !weekdays || weekdays.length === 0 || weekdays.includes(wd);
  const now = wallClock(at, timeZone);
  if (dayOk(now.weekday) && sorted.some((w) => now.minuteOfDay >= w.start && now.minuteOfDay < w.end)) return at;
  for (let d = 0; d <= 8; d++) {
    const date = addDays(now.year, now.month, now.day, d);
    if (!dayOk(date.weekday)) continue;
    for (const w of sorted) {
      if (d === 0 && w.start <= now.minuteOfDay) continue;
      const candidate = localToInstant(date.year, date.month, date.day, w.start, timeZone);
      if (candidate > at) return candidate;
    }
  }
  return null;
}
