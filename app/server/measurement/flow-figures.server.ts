// What each raw row a flow writes adds to the report rollups, in one place so every
// path that writes such a row counts it the same way (and the rollup-equality test
// recomputes exactly this from the raw rows):
//  - an Enrollment created: entered +1 (step '', cohort treated|holdout, shop-local entry day);
//  - a Decision written for a flow: FlowReasonDaily +1 (its step or '', outcome, reason,
//    shop-local day of the decision). Counted per decision: a send deferred twice
//    (quiet hours, then a frequency cap) is two "defer" decisions; each send visit still
//    ends in exactly one send / skip / holdout decision, so those count sends, and the
//    "defer" rows count delays, not delayed messages. The why page lists the same rows;
//  - a holdout decision on a send step: heldOut +1 on its step, variant and channel;
//  - a message the outbox settles as sent: sent +1 and delivered +1 (day of sentAt; its
//    step, variant, channel; cohort ''). Delivered means accepted by the provider (the
//    SMTP server's 250, the SMS provider's accepted answer): a bounce or an
//    undelivered status reported later takes it back (-1 on the same row): an
//    asynchronous bounce posted to /feedback (compliance/feedback/) does; SMS status
//    callbacks are not received yet. A synchronous hard bounce never counts as sent at
//    all, nor does a message whose outcome is unknown (a sender that died mid-send:
//    never re-sent).
import { shopDay } from "~/domain/measurement/shop-day";
import type { RollupBuffer } from "./rollup-buffer.server";

export type Cohort = "treated" | "holdout";

export const cohortOf = (holdout: boolean): Cohort => (holdout ? "holdout" : "treated");

export interface EntryRow {
  shopId: string;
  flowId: string;
  enteredAt: Date;
  holdout: boolean;
}

export function countEntry(buffer: RollupBuffer, e: EntryRow, timeZone: string): void {
  buffer.addDaily({ shopId: e.shopId, flowId: e.flowId, day: shopDay(e.enteredAt, timeZone), cohort: cohortOf(e.holdout) }, { entered: 1 });
}

export interface DecisionRow {
  shopId: string;
  flowId: string | null;
  stepId: string | null;
  outcome: string;
  reason: string;
  at: Date;
  /** The decision's details (JSON): a holdout's channel and variant are read from them. */
  details?: unknown;
}

function detail(details: unknown, name: string): string {
  const v = details && typeof details === "object" ? (details as Record<string, unknown>)[name] : undefined;
  return typeof v === "string" ? v : "";
}

export function countDecisions(buffer: RollupBuffer, rows: readonly DecisionRow[], timeZoneOf: (shopId: string) => string): void {
  for (const d of rows) {
    if (!d.flowId) continue; // campaigns and one-off messages are not a flow's figures
    const day = shopDay(d.at, timeZoneOf(d.shopId));
    buffer.addReason({ shopId: d.shopId, flowId: d.flowId, day, stepId: d.stepId ?? "", outcome: d.outcome, reason: d.reason });
    if (d.outcome === "holdout" && d.stepId) {
      const key = {
        shopId: d.shopId,
        flowId: d.flowId,
        day,
        stepId: d.stepId,
        variant: detail(d.details, "variant"),
        channel: detail(d.details, "channel"),
      };
      buffer.addDaily(key, { heldOut: 1 });
    }
  }
}

export interface SentMessage {
  shopId: string;
  flowId: string | null;
  stepId: string | null;
  variant: string | null;
  channel: string;
}

/** The FlowDaily row of a sent message: its step, variant and channel on the shop-local day it was sent. */
function sentDayKey(m: SentMessage & { flowId: string }, sentAt: Date, timeZone: string) {
  return {
    shopId: m.shopId,
    flowId: m.flowId,
    day: shopDay(sentAt, timeZone),
    stepId: m.stepId ?? "",
    variant: m.variant ?? "",
    channel: m.channel,
  };
}

export function countSent(buffer: RollupBuffer, m: SentMessage, sentAt: Date, timeZone: string): void {
  if (!m.flowId) return;
  buffer.addDaily(sentDayKey({ ...m, flowId: m.flowId }, sentAt, timeZone), { sent: 1, delivered: 1 });
}

/** A sent message's bounce reported later (a DSN): it was counted delivered on its sentAt day; that is taken back. */
export function countBouncedAfterSend(buffer: RollupBuffer, m: SentMessage, sentAt: Date, timeZone: string): void {
  if (!m.flowId) return;
  buffer.addDaily(sentDayKey({ ...m, flowId: m.flowId }, sentAt, timeZone), { delivered: -1 });
}
