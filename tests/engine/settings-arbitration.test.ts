// The settings page's arbitration rules: quiet hours per channel (SMS never leaving
// the legal 08:00-21:00 window whatever the merchant sets) and a flow's exclusion rule
// "no promotional message within N hours of an order".
import { describe, expect, it } from "vitest";
import { arbitrateSend, type SendRequest } from "~/domain/arbitration";
import { H, T0, customer, shop } from "./driver";

// T0 is 10:00 in Warsaw (the driver shop's zone).
const marketing = (over: Partial<SendRequest> = {}): SendRequest => ({
  channel: "email",
  purpose: "marketing",
  topic: null,
  priority: 50,
  onCap: "defer",
  onConflict: "defer",
  ...over,
});
const ctx = (over: { lastOrderAt?: number | null; shop?: Parameters<typeof shop>[0] } = {}) => ({
  customer: customer({ lastOrderAt: over.lastOrderAt ?? null }),
  shop: shop(over.shop),
  recentSends: [],
  otherEnrollments: [],
  holdout: false,
});

describe("exclusion rule: no promotional message within N hours of an order", () => {
  it("defers a marketing send until N hours after the last order, logging the rule as the reason", () => {
    const r = arbitrateSend(marketing({ excludeAfterOrderHours: 12 }), ctx({ lastOrderAt: T0 - 2 * H }), T0);
    expect(r).toMatchObject({ outcome: "defer", reason: "recent_order", until: T0 + 10 * H });
    expect(r.details).toMatchObject({ lastOrderAt: T0 - 2 * H, excludeAfterOrderHours: 12 });
  });

  it("lets the send go when the order is older than the rule, without a rule, or without any order", () => {
    expect(arbitrateSend(marketing({ excludeAfterOrderHours: 12 }), ctx({ lastOrderAt: T0 - 12 * H }), T0).outcome).toBe("send");
    expect(arbitrateSend(marketing({ excludeAfterOrderHours: null }), ctx({ lastOrderAt: T0 - H }), T0).outcome).toBe("send");
    expect(arbitrateSend(marketing({ excludeAfterOrderHours: 12 }), ctx({ lastOrderAt: null }), T0).outcome).toBe("send");
  });

  it("never holds a transactional message", () => {
    const r = arbitrateSend(marketing({ purpose: "transactional", excludeAfterOrderHours: 24 }), ctx({ lastOrderAt: T0 - H }), T0);
    expect(r.outcome).toBe("send");
  });

  it("lands after quiet hours when the rule ends inside them", () => {
    // 24 h after an order at 09:30 Warsaw ends at 09:30 next day: outside 21-08, so exactly then.
    const at = T0 - 30 * 60_000;
    expect(arbitrateSend(marketing({ excludeAfterOrderHours: 24 }), ctx({ lastOrderAt: at }), T0)).toMatchObject({
      outcome: "defer",
      reason: "recent_order",
      until: at + 24 * H,
    });
    // 14 h after 10:00 is 00:00, inside the quiet hours: the slot is 08:00 (T0 + 22 h), quiet hours named as also blocking.
    const r = arbitrateSend(marketing({ excludeAfterOrderHours: 14 }), ctx({ lastOrderAt: T0 }), T0);
    expect(r).toMatchObject({ outcome: "defer", reason: "recent_order", until: T0 + 22 * H });
    expect(r.details).toMatchObject({ alsoBlockedBy: ["quiet_hours"] });
  });

  it("gives up as deferral_expired when the step may not wait that long", () => {
    const r = arbitrateSend(marketing({ excludeAfterOrderHours: 48, maxDeferHours: 6 }), ctx({ lastOrderAt: T0 - H }), T0);
    expect(r).toMatchObject({ outcome: "skip", reason: "deferral_expired", details: { blockedBy: "recent_order" } });
  });
});

describe("quiet hours per channel", () => {
  it("SMS follows its own quiet hours while email keeps the shop's", () => {
    const s = { quietHoursByChannel: { sms: { startMinute: 9 * 60, endMinute: 12 * 60 } } };
    // 10:00 Warsaw: inside SMS quiet hours (09-12), outside email's (21-08).
    expect(arbitrateSend(marketing({ channel: "sms" }), ctx({ shop: s }), T0)).toMatchObject({
      outcome: "defer",
      reason: "quiet_hours",
      until: T0 + 2 * H,
    });
    expect(arbitrateSend(marketing(), ctx({ shop: s }), T0).outcome).toBe("send");
  });

  it("email may have quiet hours of its own while SMS has none; SMS still never leaves 08:00-21:00", () => {
    const s = { quietHours: { startMinute: 9 * 60, endMinute: 11 * 60 }, quietHoursByChannel: { sms: null } };
    expect(arbitrateSend(marketing(), ctx({ shop: s }), T0)).toMatchObject({ outcome: "defer", reason: "quiet_hours", until: T0 + H });
    expect(arbitrateSend(marketing({ channel: "sms" }), ctx({ shop: s }), T0).outcome).toBe("send");
    // 22:00 Warsaw: no SMS quiet hours, but the legal window holds it to 08:00.
    expect(arbitrateSend(marketing({ channel: "sms" }), ctx({ shop: s }), T0 + 12 * H)).toMatchObject({
      outcome: "defer",
      reason: "sms_window",
      until: T0 + 22 * H,
    });
  });

  it("SMS quiet hours narrower than the legal window do not widen it", () => {
    const s = { quietHoursByChannel: { sms: { startMinute: 23 * 60, endMinute: 6 * 60 } } };
    // 21:30 Warsaw: outside the merchant's 23-06, outside the legal 08-21.
    const r = arbitrateSend(marketing({ channel: "sms" }), ctx({ shop: s }), T0 + 11.5 * H);
    expect(r).toMatchObject({ outcome: "defer", reason: "sms_window", until: T0 + 22 * H });
  });
});
