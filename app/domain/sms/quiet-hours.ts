// SMS is never sent outside 08:00-21:00 in the recipient's local time. Everything is
// computed on the wall clock of the IANA zone, so a DST change (Europe/Warsaw jumps
// between +01:00 and +02:00) moves the UTC instant, never the local 08:00.

export interface SendWindow {
  /** Minutes after local midnight, inclusive. */
  startMinute: number;
  /** Minutes after local midnight, exclusive. */
  endMinute: number;
}

export const SMS_SEND_WINDOW: SendWindow = { startMinute: 8 * 60, endMinute: 21 * 60 };

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

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

export function wallClock(at: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at `atMs`, in ms (Warsaw in summer: +7 200 000). */
function offsetMs(atMs: number, timeZone: string): number {
  const w = wallClock(new Date(atMs), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(atMs / 1000) * 1000;
}

/** The instant at which the zone's wall clock shows this local date and time. */
export function zonedTimeToInstant(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): Date {
  const asUtc = Date.UTC(year, month - 1, day, Math.floor(minuteOfDay / 60), minuteOfDay % 60);
  const first = asUtc - offsetMs(asUtc, timeZone);
  // Re-read the offset at the candidate: it differs when a DST change lies in between.
  const second = asUtc - offsetMs(first, timeZone);
  return new Date(second);
}

/**
 * When an SMS due at `now` may go out: `now` itself inside the window, else the next
 * window start (08:00 local, the same day before 08:00, the next day from 21:00).
 * An unknown time zone is read as UTC rather than failing the send.
 */
export function nextSmsSendTime(now: Date, timeZone: string, window: SendWindow = SMS_SEND_WINDOW): Date {
  const zone = isValidTimeZone(timeZone) ? timeZone : "UTC";
  // A narrower window (the shop's own quiet hours) is honoured; a wider one is not.
  const start = Math.max(window.startMinute, SMS_SEND_WINDOW.startMinute);
  const end = Math.min(window.endMinute, SMS_SEND_WINDOW.endMinute);
  const w = wallClock(now, zone);
  const minute = w.hour * 60 + w.minute;
  if (minute >= start && minute < end) return now;
  const dayOffset = minute < start ? 0 : 1;
  const day = new Date(Date.UTC(w.year, w.month - 1, w.day + dayOffset));
  return zonedTimeToInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), start, zone);
}

export function isWithinSmsWindow(now: Date, timeZone: string, window: SendWindow = SMS_SEND_WINDOW): boolean {
  return nextSmsSendTime(now, timeZone, window).getTime() === now.getTime();
}
