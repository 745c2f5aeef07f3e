import { describe, expect, it } from "vitest";
import {
  buildReplenishment,
  buildWelcome,
  learnReorderIntervalDays,
  prepareTrigger,
  replenishment,
  ReplenishmentSettings,
  replenishmentIntervalDays,
} from "~/domain/flows";
import type { TriggerPayload } from "~/domain/journey";
import { D, H, Sim, T0, campaignEmail, competitor, enroll } from "./driver";

// T0 = Tue 2026-03-10 09:00Z = 10:00 in Warsaw (CET). Times in traces are UTC.
const settings = { productIntervals: { "p-1": 30 } };
const def = buildReplenishment(settings);
const parsed = ReplenishmentSettings.parse(settings);

function orderTrigger(orderId = "o-1", productIds = ["p-1"], when = T0, s = parsed, learned: Record<string, number> = {}): TriggerPayload {
  const raw: TriggerPayload = {
    type: "event",
    event: "order_placed",
    at: when,
    data: { orderId, value: 40, lines: productIds.map((productId) => ({ productId, quantity: 1 })) },
  };
  return replenishment.enrichTrigger!(s, raw, { learnedIntervalDays: learned });
}

describe("replenishment: intervals", () => {
  it("configured, learned, default, or none", () => {
    expect(orderTrigger().data.reorderIntervalDays).toBe(30);
    const learnedOnly = ReplenishmentSettings.parse({});
    expect(orderTrigger("o-1", ["p-7"], T0, learnedOnly, { "p-7": 45 }).data.reorderIntervalDays).toBe(45);
    expect(orderTrigger("o-1", ["p-7"], T0, learnedOnly).data.reorderIntervalDays).toBeUndefined();
    expect(orderTrigger("o-1", ["p-7"], T0, ReplenishmentSettings.parse({ applyToAllProducts: true })).data.reorderIntervalDays).toBe(30);
    expect(replenishmentIntervalDays(ReplenishmentSettings.parse({ productIntervals: { a: 60, b: 20 } }), ["a", "b"])).toBe(20);
    expect(learnReorderIntervalDays([T0 - 90 * D, T0 - 45 * D, T0])).toBe(45);
    expect(learnReorderIntervalDays([T0 - 45 * D, T0])).toBeNull(); // one gap is not a habit
    expect(learnReorderIntervalDays([T0 - 60 * D, T0 - 30 * D, T0 - 30 * D + H, T0])).toBe(30); // same-day repeats ignored
  });

  it("prepareTrigger uses the settings stored in the definition", () => {
    const raw: TriggerPayload = {
      type: "event",
      event: "order_placed",
      at: T0,
      data: { orderId: "o-1", lines: [{ productId: 1 }, { productId: "p-1" }] },
    };
    expect(prepareTrigger(def, raw).data.reorderIntervalDays).toBe(30);
    expect(prepareTrigger(buildReplenishment(), raw, { learnedIntervalDays: { "1": 21 } }).data.reorderIntervalDays).toBe(21);
    expect(prepareTrigger(buildWelcome(), raw)).toBe(raw);
  });

  it("an order without a replenishable product does not match the trigger", () => {
    const t = orderTrigger("o-1", ["p-7"], T0, ReplenishmentSettings.parse({}));
    expect(enroll(buildReplenishment(), t)).toMatchObject({ enroll: false, reason: "trigger_mismatch" });
  });
});

describe("replenishment: happy path", () => {
  it("reminds 3 days before the 30-day supply runs out, follows up a week later", () => {
    const sim = new Sim(def);
    sim.start(orderTrigger());
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z schedule wait_reorder at=2026-04-06T09:00Z wait plans=email",
      "2026-04-06T09:00Z send email replenishment_reminder marketing key=enr-1:reminder:1",
      "2026-04-06T09:00Z decision send/allowed reminder email",
      "2026-04-06T09:00Z schedule wait_follow_up at=2026-04-13T09:00Z wait plans=email",
      "2026-04-13T09:00Z send email replenishment_reminder marketing key=enr-1:follow_up:1",
      "2026-04-13T09:00Z decision send/allowed follow_up email",
      "2026-04-13T09:00Z decision exit/end_of_flow follow_up",
      "2026-04-13T09:00Z complete end_of_flow",
    ]);
  });

  it("uses the learned interval when the runner enriched the trigger with one", () => {
    const sim = new Sim(buildReplenishment());
    sim.start(orderTrigger("o-1", ["p-7"], T0, ReplenishmentSettings.parse({}), { "p-7": 45 }));
    expect(sim.nextWake()).toBe(T0 + 42 * D);
  });
});

describe("replenishment: exits, goal and re-entry", () => {
  it("reordering is the goal; cancelling this order exits", () => {
    const a = new Sim(def);
    a.start(orderTrigger());
    a.event("order_placed", { orderId: "o-2" }, { at: T0 + 20 * D });
    expect(a.trace().slice(-3)).toEqual([
      "2026-03-30T09:00Z goal_reached order_placed",
      "2026-03-30T09:00Z decision exit/goal_reached wait_reorder",
      "2026-03-30T09:00Z complete goal_reached",
    ]);
    const b = new Sim(def);
    b.start(orderTrigger());
    b.event("order_cancelled", { orderId: "o-1" }, { at: T0 + D });
    expect(b.trace().slice(-2)).toEqual([
      "2026-03-11T09:00Z decision exit/exit_condition wait_reorder rule=order_cancelled",
      "2026-03-11T09:00Z exit order_cancelled",
    ]);
  });

  it("each order enrolls once", () => {
    expect(enroll(def, orderTrigger("o-2"), { history: [{ enteredAt: T0 - 5 * D, status: "active", contextKey: "o-1" }] })).toEqual({
      enroll: true,
      contextKey: "o-2",
    });
    expect(enroll(def, orderTrigger("o-1"), { history: [{ enteredAt: T0 - 5 * D, status: "exited", contextKey: "o-1" }] })).toMatchObject({
      reason: "already_enrolled",
    });
  });
});

describe("replenishment: arbitration", () => {
  const due = T0 + 27 * D;

  it("defers by the cap", () => {
    const sim = new Sim(def, { recentSends: [campaignEmail(due - 10 * H)] });
    sim.start(orderTrigger());
    sim.wake();
    expect(sim.trace().slice(2)).toEqual([
      "2026-04-06T09:00Z decision defer/frequency_cap reminder email until=2026-04-06T15:00Z",
      "2026-04-06T09:00Z schedule reminder at=2026-04-06T15:00Z deferred plans=email",
    ]);
  });

  it("defers by quiet hours on the summer-time wall clock (08:00 CEST = 06:00Z)", () => {
    // Ordered 21:30 CET; 27 x 24 h later it is 22:30 CEST.
    const ordered = Date.parse("2026-03-10T20:30:00Z");
    const sim = new Sim(def, { now: ordered });
    sim.start(orderTrigger("o-1", ["p-1"], ordered));
    sim.runUntil(Date.parse("2026-04-07T12:00:00Z"));
    expect(sim.trace().slice(2, 6)).toEqual([
      "2026-04-06T20:30Z decision defer/quiet_hours reminder email until=2026-04-07T06:00Z",
      "2026-04-06T20:30Z schedule reminder at=2026-04-07T06:00Z deferred plans=email",
      "2026-04-07T06:00Z send email replenishment_reminder marketing key=enr-1:reminder:1",
      "2026-04-07T06:00Z decision send/allowed reminder email",
    ]);
  });

  it("yields to a planned welcome email (priority 90 > 60)", () => {
    const sim = new Sim(def, { otherEnrollments: [competitor("welcome", 90, due + H)] });
    sim.start(orderTrigger());
    sim.wake();
    expect(sim.trace().slice(2)).toEqual([
      "2026-04-06T09:00Z decision defer/lost_priority reminder email until=2026-04-07T06:00Z against=welcome",
      "2026-04-06T09:00Z schedule reminder at=2026-04-07T06:00Z deferred plans=email",
    ]);
  });

  it("holdout", () => {
    const sim = new Sim(def, { holdout: true });
    sim.start(orderTrigger());
    sim.runToEnd();
    expect(sim.decisions().map((d) => `${d.outcome}/${d.reason} ${d.stepId ?? "-"}`)).toEqual([
      "enter/trigger -",
      "holdout/holdout reminder",
      "holdout/holdout follow_up",
      "exit/end_of_flow follow_up",
    ]);
  });

  it("consent withdrawn after the reminder: the follow-up is skipped and the flow exits; a hard bounce likewise", () => {
    const sim = new Sim(def);
    sim.start(orderTrigger());
    sim.wake();
    sim.ctx.customer.email.consent = "unsubscribed";
    sim.runToEnd();
    expect(sim.trace().slice(5)).toEqual([
      "2026-04-13T09:00Z decision skip/no_consent follow_up email cause=unsubscribed",
      "2026-04-13T09:00Z decision exit/no_consent follow_up",
      "2026-04-13T09:00Z exit no_consent",
    ]);

    const bounced = new Sim(def);
    bounced.start(orderTrigger());
    bounced.ctx.customer.email.suppressed = "hard_bounce";
    bounced.wake();
    expect(bounced.trace().slice(2)).toEqual([
      "2026-04-06T09:00Z decision skip/suppressed reminder email cause=hard_bounce",
      "2026-04-06T09:00Z decision exit/suppressed reminder",
      "2026-04-06T09:00Z exit suppressed",
    ]);
  });
});
