import { wallClock } from "../arbitration/local-time";

/** The shop-local calendar day of an instant, as a UTC-midnight Date (a PostgreSQL DATE). */
export function shopDay(at: Date | number, timeZone: string): Date {
  const w = wallClock(typeof at === "number" ? at : at.getTime(), timeZone);
  return new Date(Date.UTC(w.year, w.month - 1, w.day));
}
