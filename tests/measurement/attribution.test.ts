import { describe, expect, it } from "vitest";
import {
  attributeOrderTo,
  attributionRollupChanges,
  DAY_MS,
  type AttributionSettings,
  type CandidateMessage,
  type CandidateTouch,
  type ConversionFigures,
} from "~/domain/measurement/attribution";
import { netRevenue, netRevenueCents, toCents } from "~/domain/measurement/order-revenue";

const T = Date.parse("2026-11-20T12:00:00Z");
const at = (offsetMs: number) => new Date(T + offsetMs);
const HOUR = 3_600_000;
const settings: AttributionSettings = { attributionEmailDays: 5, attributionSmsDays: 2, attributeOpens: false };
const order = { processedAt: at(0) };

function message(id: string, over: Partial<CandidateMessage> = {}): CandidateMessage {
  return { id, flowId: "flow-a", stepId: "s1", variant: null, channel: "email", purpose: "marketing", sentAt: at(-6 * DAY_MS), ...over };
}
const click = (messageId: string, offsetMs: number, over: Partial<CandidateTouch> = {}): CandidateTouch => ({
  messageId,
  type: "clicked",
  reliable: true,
  at: at(offsetMs),
  ...over,
});
const open = (messageId: string, offsetMs: number): CandidateTouch => ({ messageId, type: "opened", reliable: true, at: at(offsetMs) });

describe("netRevenue", () => {
  it("is the subtotal (after discounts, before shipping and tax) less refunds, in exact cents", () => {
    expect(netRevenue({ subtotalPrice: "244.00", totalPrice: "254.00", refundedAmount: "0", cancelledAt: null })).toBe(244);
    expect(netRevenue({ subtotalPrice: "0.30", totalPrice: "1", refundedAmount: "0.10", cancelledAt: null })).toBe(0.2);
    expect(netRevenueCents({ subtotalPrice: "100.10", totalPrice: "110", refundedAmount: "45.05", cancelledAt: null })).toBe(5505);
  });
  it("falls back to the total without a subtotal, never goes below zero, and is zero once cancelled", () => {
    expect(netRevenue({ subtotalPrice: null, totalPrice: "99.99", refundedAmount: null, cancelledAt: null })).toBe(99.99);
    expect(netRevenue({ subtotalPrice: "50", totalPrice: "60", refundedAmount: "60", cancelledAt: null })).toBe(0);
    expect(netRevenue({ subtotalPrice: "50", totalPrice: "60", refundedAmount: "0", cancelledAt: at(0) })).toBe(0);
  });
  it("reads Decimal-like values, text and numbers", () => {
    expect(toCents({ toString: () => "12.345" })).toBe(1235);
    expect(toCents("-3.2")).toBe(-320);
    expect(toCents(".5")).toBe(50);
    expect(toCents(89.99)).toBe(8999);
    expect(() => toCents("12,00")).toThrow(/not an amount/);
  });
});

describe("attributeOrderTo", () => {
  it("credits a reliable click within the channel's window, as a click", () => {
    const r = attributeOrderTo(order, [message("m1")], [click("m1", -2 * DAY_MS)], settings);
    expect(r).toMatchObject({ kind: "click", message: { id: "m1" }, touchAt: at(-2 * DAY_MS) });
  });

  it("ignores clicks outside the window (per channel), after the order, or by machines", () => {
    const sms = message("sms", { channel: "sms", sentAt: at(-4 * DAY_MS) });
    const r = attributeOrderTo(
      order,
      [message("m1"), sms],
      [click("m1", -5 * DAY_MS - 1), click("sms", -3 * DAY_MS), click("m1", 1), click("m1", -HOUR, { reliable: false })],
      settings,
    );
    // No touch counts; the email sent 6 days ago is outside its 5-day window, the SMS outside its 2 days: no influence either.
    expect(r).toBeNull();
  });

  it("counts the window's edges: exactly window days before, and the order's own instant", () => {
    expect(attributeOrderTo(order, [message("m1")], [click("m1", -5 * DAY_MS)], settings)?.kind).toBe("click");
    expect(attributeOrderTo(order, [message("m1")], [click("m1", 0)], settings)?.kind).toBe("click");
  });

  it("gives the order to the last click when two flows were clicked", () => {
    const messages = [message("a", { flowId: "flow-a" }), message("b", { flowId: "flow-b", sentAt: at(-3 * DAY_MS) })];
    const r = attributeOrderTo(order, messages, [click("a", -HOUR), click("b", -2 * HOUR)], settings);
    expect(r?.message.flowId).toBe("flow-a");
    const r2 = attributeOrderTo(order, messages, [click("a", -3 * HOUR), click("b", -2 * HOUR)], settings);
    expect(r2?.message.flowId).toBe("flow-b");
  });

  it("breaks a tie at the same instant by the larger message id, so every path picks the same", () => {
    const r = attributeOrderTo(order, [message("m-a"), message("m-b")], [click("m-a", -HOUR), click("m-b", -HOUR)], settings);
    expect(r?.message.id).toBe("m-b");
  });

  it("does not count opens by default; the order is then only influenced by the last message received", () => {
    const r = attributeOrderTo(order, [message("m1", { sentAt: at(-DAY_MS) })], [open("m1", -HOUR)], settings);
    expect(r).toMatchObject({ kind: "influenced", touchAt: at(-DAY_MS) });
  });

  it("counts reliable opens as kind open when the shop switched them on, unless a click is later", () => {
    const on = { ...settings, attributeOpens: true };
    const m = [message("m1", { sentAt: at(-DAY_MS) }), message("m2", { sentAt: at(-2 * DAY_MS) })];
    expect(attributeOrderTo(order, m, [open("m1", -HOUR)], on)).toMatchObject({ kind: "open", message: { id: "m1" } });
    expect(attributeOrderTo(order, m, [open("m1", -2 * HOUR), click("m2", -HOUR)], on)).toMatchObject({
      kind: "click",
      message: { id: "m2" },
    });
    expect(attributeOrderTo(order, m, [open("m1", -HOUR), click("m2", -2 * HOUR)], on)).toMatchObject({
      kind: "open",
      message: { id: "m1" },
    });
    // The same instant: the click wins.
    expect(attributeOrderTo(order, m, [open("m2", -HOUR), click("m1", -HOUR)], on)).toMatchObject({ kind: "click" });
  });

  it("never credits a transactional message, by click or by receipt", () => {
    const m = [message("t", { purpose: "transactional", sentAt: at(-HOUR * 3) })];
    expect(attributeOrderTo(order, m, [click("t", -HOUR)], settings)).toBeNull();
  });

  it("influenced: the last message sent within its window when nothing was clicked", () => {
    const m = [
      message("m1", { sentAt: at(-3 * DAY_MS) }),
      message("m2", { sentAt: at(-DAY_MS), flowId: "flow-b" }),
      message("later", { sentAt: at(HOUR) }),
    ];
    expect(attributeOrderTo(order, m, [], settings)).toMatchObject({ kind: "influenced", message: { id: "m2" }, touchAt: at(-DAY_MS) });
  });

  it("does not count a click on a message sent more than window + 30 days before the order", () => {
    const old = message("old", { sentAt: at(-36 * DAY_MS) });
    expect(attributeOrderTo(order, [old], [click("old", -HOUR)], settings)).toBeNull();
    const recent = message("recent", { sentAt: at(-35 * DAY_MS) });
    expect(attributeOrderTo(order, [recent], [click("recent", -HOUR)], settings)?.kind).toBe("click");
  });
});

describe("attributionRollupChanges", () => {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const conv = (over: Partial<ConversionFigures> = {}): ConversionFigures => ({
    kind: "click",
    flowId: "f",
    stepId: "s1",
    variant: "a",
    channel: "email",
    revenueCents: 10_050,
    at: at(0),
    ...over,
  });

  it("adds a new conversion: orders, revenue and revenue squared (exact, in cents)", () => {
    expect(attributionRollupChanges(null, conv(), day)).toEqual([
      expect.objectContaining({
        attributedOrders: 1,
        attributedRevenueCents: 10_050,
        attributedRevenueSqCents: 10_050 ** 2,
        influencedOrders: 0,
      }),
    ]);
  });

  it("a refund moves only the revenue figures; an unchanged row moves nothing", () => {
    expect(attributionRollupChanges(conv(), conv({ revenueCents: 5_000 }), day)).toEqual([
      expect.objectContaining({ attributedOrders: 0, attributedRevenueCents: -5_050, attributedRevenueSqCents: 5_000 ** 2 - 10_050 ** 2 }),
    ]);
    expect(attributionRollupChanges(conv(), conv(), day)).toEqual([]);
  });

  it("a move to another flow takes the old row's figures out and puts the new row's in; influence is counted apart", () => {
    const changes = attributionRollupChanges(conv(), conv({ kind: "influenced", flowId: "g", stepId: "s2" }), day);
    expect(changes).toEqual([
      expect.objectContaining({ flowId: "f", attributedOrders: -1, attributedRevenueCents: -10_050, influencedOrders: 0 }),
      expect.objectContaining({ flowId: "g", attributedOrders: 0, influencedOrders: 1, influencedRevenueCents: 10_050 }),
    ]);
  });

  it("conversions of messages outside flows have no rollup row", () => {
    expect(attributionRollupChanges(null, conv({ flowId: null }), day)).toEqual([]);
  });
});
