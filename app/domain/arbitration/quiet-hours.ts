import { SMS_SEND_WINDOW } from "../sms/quiet-hours";
import {
  complementOfQuiet,
  intersectWindows,
  MINUTES_PER_DAY,
  nextInstantInWindows,
  resolveTimeZone,
  type MinuteWindow,
} from "./local-time";
import type { Channel, CustomerFacts, EpochMs, Purpose, QuietHours, ShopSettings } from "./types";

/** SMS is never sent outside 08:00-21:00 local, whatever the shop's quiet hours say. */
export const SMS_WINDOW: MinuteWindow = { start: SMS_SEND_WINDOW.startMinute, end: SMS_SEND_WINDOW.endMinute };

/** The shop's default quiet hours (Shop.quietHoursStart/End defaults): 21:00-08:00. */
export const DEFAULT_QUIET_HOURS = { startMinute: 1260, endMinute: 480 } as const;

/** The zone whose wall clock decides: the recipient's when known and valid, else the shop's, else UTC. */
export function recipientTimeZone(
  customer: Pick<CustomerFacts, "timezone">,
  shop: Pick<ShopSettings, "timezone" | "quietHoursBasis">,
): string {
  return shop.quietHoursBasis === "shop" ? resolveTimeZone(shop.timezone) : resolveTimeZone(customer.timezone, shop.timezone);
}

/** The shop's quiet hours on one channel: its own when set, else the shop-wide ones. */
export function quietHoursFor(channel: Channel, shop: Pick<ShopSettings, "quietHours" | "quietHoursByChannel">): QuietHours | null {
  const own = shop.quietHoursByChannel?.[channel];
  return own === undefined ? shop.quietHours : own;
}

/**
 * The local windows a message may go out in:
 * - marketing: outside the shop's quiet hours (none configured = all day);
 * - any SMS (marketing or transactional): additionally inside 08:00-21:00;
 * - transactional email: all day.
 */
export function allowedWindows(
  channel: Channel,
  purpose: Purpose,
  shop: Pick<ShopSettings, "quietHours" | "quietHoursByChannel">,
): MinuteWindow[] {
  let windows: MinuteWindow[] = [{ start: 0, end: MINUTES_PER_DAY }];
  const quiet = quietHoursFor(channel, shop);
  if (purpose === "marketing" && quiet) windows = complementOfQuiet(quiet.startMinute, quiet.endMinute);
  if (channel === "sms") windows = intersectWindows(windows, [SMS_WINDOW]);
  return windows;
}

export interface QuietHoursCheck {
  /** The earliest allowed instant >= the asked one (the asked one when allowed), or null if the windows are empty. */
  allowedAt: EpochMs | null;
  timeZone: string;
  windows: MinuteWindow[];
}

export function quietHoursCheck(
  at: EpochMs,
  channel: Channel,
  purpose: Purpose,
  customer: Pick<CustomerFacts, "timezone">,
  shop: Pick<ShopSettings, "timezone" | "quietHours" | "quietHoursByChannel" | "quietHoursBasis">,
): QuietHoursCheck {
  const timeZone = recipientTimeZone(customer, shop);
  const windows = allowedWindows(channel, purpose, shop);
  return { allowedAt: nextInstantInWindows(at, timeZone, windows), timeZone, windows };
}
