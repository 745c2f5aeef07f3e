import { checkFrequencyCap, conflictWindowHours, longestCapWindowHours } from "./caps";
import type { Channel, EpochMs, FrequencyCaps, OtherEnrollment, RecentSend } from "./types";

const HOUR = 3_600_000;

/**
 * Default flow priorities (Flow.priority; higher wins an arbitration conflict).
 * Money on the table first, then the relationship, then nudges:
 *   abandoned_checkout 100 > welcome 90 > abandoned_cart 80 > post_purchase 70
 *   > replenishment 60 > (custom flows 50) > browse_abandonment 40 > win_back 30
 *   > re_engagement 20.
 */
export const DEFAULT_PRIORITIES = {
  abandoned_checkout: 100,
  welcome: 90,
  abandoned_cart: 80,
  post_purchase: 70,
  replenishment: 60,
  custom: 50,
  browse_abandonment: 40,
  win_back: 30,
  re_engagement: 20,
} as const;

export type SlotBlock =
  | { reason: "frequency_cap"; until: EpochMs; details: Record<string, unknown> }
  | { reason: "lost_priority"; until: EpochMs; details: Record<string, unknown> };

/**
 * Caps and priorities for one marketing send on `channel` at `at` by a flow of
 * `priority` (transactional sends never get here):
 * 1. If the caps are full and a send of a strictly higher-priority flow is among the
 *    sends filling the binding window, the slot was taken by a more valuable flow:
 *    `lost_priority`; otherwise `frequency_cap`. Either way free at the cap's free time.
 * 2. If sending now would make a planned send of a strictly higher-priority enrollment
 *    (within the longest cap window ahead) break a cap it would otherwise pass, the
 *    send loses: `lost_priority`, free once that planned send is a channel window old.
 * Equal priorities never conflict: first come, first served under the caps.
 */
export function capsAndPriority(
  channel: Channel,
  priority: number,
  at: EpochMs,
  recent: readonly RecentSend[],
  others: readonly OtherEnrollment[],
  caps: FrequencyCaps,
  selfEnrollmentId?: string,
): SlotBlock | null {
  const cap = checkFrequencyCap(recent, channel, at, caps);
  if (!cap.ok && cap.rule) {
    const window = cap.rule.windowHours * HOUR;
    const fillers = recent.filter((s) => s.channel === channel && s.purpose === "marketing" && s.at <= at && s.at > at - window);
    const winner = fillers
      .filter((s) => s.priority !== null && s.priority > priority)
      .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || b.at - a.at)[0];
    const details = { rule: cap.rule, inWindow: cap.inWindow, freeAt: cap.freeAt };
    if (winner)
      return {
        reason: "lost_priority",
        until: cap.freeAt,
        details: { ...details, against: { flowKey: winner.flowKey, priority: winner.priority, at: winner.at, kind: "recent" } },
      };
    return { reason: "frequency_cap", until: cap.freeAt, details };
  }

  const horizon = longestCapWindowHours(caps) * HOUR;
  const conflictWindow = conflictWindowHours(caps, channel) * HOUR;
  let block: SlotBlock | null = null;
  for (const other of others) {
    if (other.enrollmentId === selfEnrollmentId) continue;
    if (other.priority <= priority || other.nextSendAt === null || other.nextSendChannel !== channel) continue;
    // A planned send a whole channel window in the past is stale (it went out, or was rescheduled).
    if (other.nextSendAt >= at + horizon || other.nextSendAt <= at - conflictWindow) continue;
    const plannedAt = Math.max(other.nextSendAt, at);
    const without = checkFrequencyCap(recent, channel, plannedAt, caps);
    const withMe = checkFrequencyCap([...recent, { channel, purpose: "marketing", at, flowKey: null, priority }], channel, plannedAt, caps);
    if (!without.ok || withMe.ok) continue;
    const until = plannedAt + conflictWindow;
    if (!block || until > block.until)
      block = {
        reason: "lost_priority",
        until,
        details: {
          against: {
            flowKey: other.flowKey,
            priority: other.priority,
            at: other.nextSendAt,
            kind: "planned",
            enrollmentId: other.enrollmentId,
          },
        },
      };
  }
  return block;
}
