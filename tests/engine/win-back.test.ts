import { describe, expect, it } from "vitest";
import { buildWinBack, shopPurchaseCycleDays, WinBackSettings, winBackInactivityDays } from "~/domain/flows";
import { matchInactivityTrigger, type TriggerPayload } from "~/domain/journey";
import { D, H, Sim, T0, campaignEmail, competitor, customer, enroll } from "./driver";

// T0 = Tue 2026-03-10 09:00Z = 10:00 in Warsaw (CET). Times in traces are UTC.
const def = buildWinBack();
const lapsed = () => customer({ ordersCount: 2, lastOrderAt: T0 - 100 * D, firstOrderAt: T0 - 200 * D });

function trigger(now = T0, c = lapsed()): TriggerPayload {
  if (def.trigger.type !== "inactivity") throw new Error("win-back is an inactivity flow");
  const m = matchInactivityTrigger(def.trigger, c, now);
  if (!m.due) throw new Error("not due");
  return m.trigger;
}

describe("win-back: the shop's purchase cycle", () => {
  it("derives the inactivity threshold from the cycle, 90 days without enough history", () => {
    expect(def.trigger).toMatchObject({ type: "inactivity", basis: "last_order", days: 90 });
    expect(buildWinBack({}, { shopPurchaseCycleDays: 40 }).trigger).toMatchObject({ days: 60 });
    const s = WinBackSettings.parse({});
    expect(winBackInactivityDays(s, 10)).toBe(30); // clamped to minDays
    expect(winBackInactivityDays(s, 300)).toBe(365); // clamped to maxDays
    expect(winBackInactivityDays(WinBackSettings.parse({ inactivityDays: 120 }), 40)).toBe(120);
    expect(shopPurchaseCycleDays(Array.from({ length: 29 }, () => 40))).toBeNull();
    expect(shopPurchaseCycleDays([...Array.from({ length: 20 }, () => 40), ...Array.from({ length: 10 }, () => 80)])).toBe(40);
  });

  it("is due once a customer's last order is older than the threshold", () => {
    if (def.trigger.type !== "inactivity") throw new Error();
    expect(matchInactivityTrigger(def.trigger, customer({ ordersCount: 1, lastOrderAt: T0 - 80 * D }), T0)).toEqual({ due: false });
    expect(matchInactivityTrigger(def.trigger, customer(), T0)).toEqual({ due: false });
    expect(trigger()).toEqual({
      type: "inactivity",
      at: T0,
      data: { occurrence: `last_order:${T0 - 100 * D}`, basis: "last_order", basisAt: T0 - 100 * D, inactiveDays: 100 },
    });
  });
});

describe("win-back: happy path", () => {
  it("a note now, an incentive a week later", () => {
    const sim = new Sim(def, { customer: lapsed() });
    sim.start(trigger());
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z send email winback_1 marketing key=enr-1:send_1:1",
      "2026-03-10T09:00Z decision send/allowed send_1 email",
      "2026-03-10T09:00Z schedule wait_2 at=2026-03-17T09:00Z wait plans=email",
      "2026-03-17T09:00Z create_discount percentage 15 168h MISSYOU key=enr-1:discount_2:1",
      "2026-03-17T09:00Z send email winback_2 marketing key=enr-1:send_2:1 topic=offers discount=enr-1:discount_2:1",
      "2026-03-17T09:00Z decision send/allowed send_2 email",
      "2026-03-17T09:00Z decision exit/end_of_flow send_2",
      "2026-03-17T09:00Z complete end_of_flow",
    ]);
  });
});

describe("win-back: exits, goal and re-entry", () => {
  it("an order wins the customer back (goal); an unsubscribe exits", () => {
    const a = new Sim(def, { customer: lapsed() });
    a.start(trigger());
    a.event("order_placed", { orderId: "o-5" }, { at: T0 + 3 * D });
    expect(a.state).toMatchObject({ status: "completed", endReason: "goal_reached", goalReachedAt: T0 + 3 * D });
    expect(a.commands("create_discount")).toEqual([]);

    const b = new Sim(def, { customer: lapsed() });
    b.start(trigger());
    b.event("email_unsubscribed", {}, { at: T0 + D });
    expect(b.trace().slice(-2)).toEqual([
      "2026-03-11T09:00Z decision exit/exit_condition wait_2 rule=email_unsubscribed",
      "2026-03-11T09:00Z exit email_unsubscribed",
    ]);
  });

  it("once per lapse, at most every 180 days, only for past buyers", () => {
    const t = trigger();
    const c = lapsed();
    expect(enroll(def, t, { customer: c })).toEqual({ enroll: true, contextKey: `last_order:${T0 - 100 * D}` });
    expect(
      enroll(def, t, { customer: c, history: [{ enteredAt: T0 - 10 * D, status: "completed", contextKey: t.data.occurrence as string }] }),
    ).toMatchObject({ reason: "already_enrolled" });
    expect(
      enroll(def, t, { customer: c, history: [{ enteredAt: T0 - 179 * D, status: "completed", contextKey: "last_order:0" }] }),
    ).toMatchObject({
      reason: "reentry_window",
    });
    expect(
      enroll(def, t, { customer: c, history: [{ enteredAt: T0 - 181 * D, status: "completed", contextKey: "last_order:0" }] }),
    ).toMatchObject({ enroll: true });
    expect(enroll(def, t, { customer: customer({ ordersCount: 0, lastOrderAt: T0 - 100 * D }) })).toMatchObject({
      reason: "entry_condition",
    });
  });
});

describe("win-back: arbitration", () => {
  it("defers by the cap (and then quiet hours)", () => {
    const sim = new Sim(def, { customer: lapsed(), recentSends: [campaignEmail(T0 - H)] });
    sim.start(trigger());
    expect(sim.trace().slice(1)).toEqual([
      "2026-03-10T09:00Z decision defer/frequency_cap send_1 email until=2026-03-11T07:00Z",
      "2026-03-10T09:00Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
    ]);
  });

  it("defers by quiet hours", () => {
    const late = Date.parse("2026-03-10T21:30:00Z");
    const sim = new Sim(def, { customer: lapsed(), now: late });
    sim.start(trigger(late));
    sim.wake();
    expect(sim.trace().slice(1, 5)).toEqual([
      "2026-03-10T21:30Z decision defer/quiet_hours send_1 email until=2026-03-11T07:00Z",
      "2026-03-10T21:30Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
      "2026-03-11T07:00Z send email winback_1 marketing key=enr-1:send_1:1",
      "2026-03-11T07:00Z decision send/allowed send_1 email",
    ]);
  });

  it("yields to a planned post-purchase email (priority 70 > 30)", () => {
    const sim = new Sim(def, { customer: lapsed(), otherEnrollments: [competitor("post_purchase", 70, T0 + H)] });
    sim.start(trigger());
    expect(sim.trace().slice(1)).toEqual([
      "2026-03-10T09:00Z decision defer/lost_priority send_1 email until=2026-03-11T07:00Z against=post_purchase",
      "2026-03-10T09:00Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
    ]);
  });

  it("holdout", () => {
    const sim = new Sim(def, { customer: lapsed(), holdout: true });
    sim.start(trigger());
    sim.runToEnd();
    expect(sim.decisions().map((d) => `${d.at} ${d.outcome}/${d.reason} ${d.stepId ?? "-"}`)).toEqual([
      "2026-03-10T09:00Z enter/trigger -",
      "2026-03-10T09:00Z holdout/holdout send_1",
      "2026-03-17T09:00Z holdout/holdout send_2",
      "2026-03-17T09:00Z exit/end_of_flow send_2",
    ]);
    expect(sim.commands("create_discount")).toEqual([]);
  });

  it("consent withdrawn (paused in the preference center) before the incentive", () => {
    const sim = new Sim(def, { customer: lapsed() });
    sim.start(trigger());
    sim.ctx.customer.marketingPausedUntil = T0 + 30 * D;
    sim.runToEnd();
    expect(sim.trace().slice(4)).toEqual([
      "2026-03-17T09:00Z decision skip/no_consent send_2 email cause=paused",
      "2026-03-17T09:00Z decision exit/no_consent send_2",
      "2026-03-17T09:00Z exit no_consent",
    ]);
    expect(sim.commands("create_discount")).toEqual([]);
  });
});
