import { addDays, localToInstant, resolveTimeZone, wallClock } from "../arbitration/local-time";

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

/**
 * When an SMS due at `now` may go out: `now` itself inside the window, else the next
 * window start (08:00 local, the same day before 08:00, the next day from 21:00).
 * An unknown time zone is read as UTC rather than failing the send.
 */
export function nextSmsSendTime(now: Date, timeZone: string, window: SendWindow = SMS_SEND_WINDOW): Date {
  const zone = resolveTimeZone(timeZone);
  // A narrower window (the shop's own quiet hours) is honoured; a wider one is not.
  const start = Math.max(window.startMinute, SMS_SEND_WINDOW.startMinute);
  const end = Math.min(window.endMinute, SMS_SEND_WINDOW.endMinute);
  const w = wallClock(now.getTime(), zone);
  if (w.minuteOfDay >= start && w.minuteOfDay < end) return now;
  const day = addDays(w.year, w.month, w.day, w.minuteOfDay < start ? 0 : 1);
  return new Date(localToInstant(day.year, day.month, day.day, start, zone));
}

export function isWithinSmsWindow(now: Date, timeZone: string, window: SendWindow = SMS_SEND_WINDOW): boolean {
  return nextSmsSendTime(now, timeZone, window).getTime() === now.getTime();
}
