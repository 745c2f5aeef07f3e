import { z } from "zod";
import type { Channel, EpochMs, FrequencyCaps, FrequencyCapRule, RecentSend } from "./types";

const HOUR = 3_600_000;

/**
 * Global marketing frequency caps per channel (Shop.frequencyCaps overrides them per
 * channel): at most 1 marketing email per 16 h and 3 per 7 days; 1 marketing SMS per
 * 24 h. Transactional messages are exempt.
 */
export const DEFAULT_FREQUENCY_CAPS: FrequencyCaps = {
  email: [
    { count: 1, windowHours: 16 },
    { count: 3, windowHours: 168 },
  ],
  sms: [{ count: 1, windowHours: 24 }],
};

const Rule = z.object({
  count: z.number().int().min(1).max(1000),
  windowHours: z
    .number()
    .positive()
    .max(24 * 366),
});
const CapsJson = z.object({ email: z.array(Rule).max(10).optional(), sms: z.array(Rule).max(10).optional() });

/**
 * Reads Shop.frequencyCaps. A channel that is absent keeps the defaults; an explicit
 * empty list means "no cap on this channel"; anything unreadable falls back to the
 * defaults (never to "uncapped").
 */
export function parseFrequencyCaps(json: unknown): FrequencyCaps {
  const parsed = CapsJson.safeParse(json ?? {});
  if (!parsed.success) return DEFAULT_FREQUENCY_CAPS;
  return { email: parsed.data.email ?? DEFAULT_FREQUENCY_CAPS.email, sms: parsed.data.sms ?? DEFAULT_FREQUENCY_CAPS.sms };
}

/** The longest window over all rules: how far back the runner must load recent sends. */
export function longestCapWindowHours(caps: FrequencyCaps): number {
  return Math.max(0, ...caps.email.map((r) => r.windowHours), ...caps.sms.map((r) => r.windowHours));
}

/** The shortest window of a channel: two flows' sends closer than this collide (priority arbitration). */
export function conflictWindowHours(caps: FrequencyCaps, channel: Channel): number {
  const rules = caps[channel];
  return rules.length ? Math.min(...rules.map((r) => r.windowHours)) : 0;
}

/** Marketing sends (real or held-out virtual ones) on the channel, at or before `at`. */
export function countedSends(recent: readonly RecentSend[], channel: Channel, at: EpochMs): RecentSend[] {
  return recent.filter((s) => s.channel === channel && s.purpose === "marketing" && s.at <= at);
}

export interface CapCheck {
  ok: boolean;
  /** When the channel's caps allow a marketing send again (= `at` when ok). */
  freeAt: EpochMs;
  /** The rule that binds longest, when blocked. */
  rule: FrequencyCapRule | null;
  /** How many sends fall inside that rule's window. */
  inWindow: number;
}

/**
 * Would one more marketing message on `channel` at `at` break a cap? If so, when is
 * the earliest instant it would not (the moment enough old sends leave the windows)?
 */
export function checkFrequencyCap(recent: readonly RecentSend[], channel: Channel, at: EpochMs, caps: FrequencyCaps): CapCheck {
  const sends = countedSends(recent, channel, at)
    .map((s) => s.at)
    .sort((a, b) => a - b);
  let freeAt = at;
  let binding: FrequencyCapRule | null = null;
  let bindingCount = 0;
  for (const rule of caps[channel]) {
    const window = rule.windowHours * HOUR;
    const inWindow = sends.filter((t) => t > at - window);
    if (inWindow.length < rule.count) continue;
    // Sending needs at most count-1 sends inside (t - window, t]: the oldest
    // (inWindow.length - count + 1) must have left, i.e. t >= that send + window.
    const free = inWindow[inWindow.length - rule.count]! + window;
    if (free > freeAt) {
      freeAt = free;
      binding = rule;
      bindingCount = inWindow.length;
    }
  }
  return { ok: binding === null, freeAt, rule: binding, inWindow: bindingCount };
}
