import { describe, expect, it } from "vitest";
import { buildReEngagement } from "~/domain/flows";
import { matchInactivityTrigger, type TriggerPayload } from "~/domain/journey";
import { D, H, Sim, T0, campaignEmail, competitor, customer, enroll } from "./driver";

// T0 = Tue 2026-03-10 09:00Z = 10:00 in Warsaw (CET). Times in traces are UTC.
const def = buildReEngagement();
const dormant = () => customer({ lastEngagedAt: T0 - 120 * D });

function trigger(now = T0, c = dormant()): TriggerPayload {
  if (def.trigger.type !== "inactivity") throw new Error("re-engagement is an inactivity flow");
  const m = matchInactivityTrigger(def.trigger, c, now);
  if (!m.due) throw new Error("not due");
  return m.trigger;
}

describe("re-engagement: happy path ends in the sunset", () => {
  it("two emails a week apart, then a tag and a marketing suppression", () => {
    const sim = new Sim(def, { customer: dormant() });
    sim.start(trigger());
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z send email reengagement_1 marketing key=enr-1:send_1:1",
      "2026-03-10T09:00Z decision send/allowed send_1 email",
      "2026-03-10T09:00Z schedule wait_2 at=2026-03-17T09:00Z wait plans=email",
      "2026-03-17T09:00Z send email reengagement_sunset marketing key=enr-1:last_chance:1",
      "2026-03-17T09:00Z decision send/allowed last_chance email",
      "2026-03-17T09:00Z schedule wait_sunset at=2026-03-24T09:00Z wait",
      "2026-03-24T09:00Z add_tag sunset",
      "2026-03-24T09:00Z suppress_marketing email sunset",
      "2026-03-24T09:00Z decision exit/end_of_flow sunset",
      "2026-03-24T09:00Z complete end_of_flow",
    ]);
  });

  it("subscribers who never engaged count from their signup", () => {
    if (def.trigger.type !== "inactivity") throw new Error();
    expect(matchInactivityTrigger(def.trigger, customer({ lastEngagedAt: null, createdAt: T0 - 91 * D }), T0)).toMatchObject({ due: true });
    expect(matchInactivityTrigger(def.trigger, customer({ lastEngagedAt: T0 - 30 * D }), T0)).toEqual({ due: false });
  });
});

describe("re-engagement: goal (any engagement), exits, re-entry", () => {
  it("a click ends the journey before the sunset", () => {
    const sim = new Sim(def, { customer: dormant() });
    sim.start(trigger());
    sim.event("message_clicked", { messageId: "m-1" }, { at: T0 + 8 * D });
    expect(sim.trace().slice(-3)).toEqual([
      "2026-03-18T09:00Z goal_reached message_clicked",
      "2026-03-18T09:00Z decision exit/goal_reached wait_sunset",
      "2026-03-18T09:00Z complete goal_reached",
    ]);
    expect(sim.commands("suppress_marketing")).toEqual([]);
  });

  it("a machine open (mail privacy proxy) is not engagement; a reliable open is", () => {
    const sim = new Sim(def, { customer: dormant() });
    sim.start(trigger());
    expect(sim.event("message_opened", { reliable: false }, { at: T0 + H })).toEqual([]);
    sim.event("message_opened", { reliable: true }, { at: T0 + 2 * H });
    expect(sim.state).toMatchObject({ status: "completed", endReason: "goal_reached" });
  });

  it("an order is engagement too; an unsubscribe exits", () => {
    const a = new Sim(def, { customer: dormant() });
    a.start(trigger());
    a.event("order_placed", { orderId: "o-1" }, { at: T0 + D });
    expect(a.state).toMatchObject({ endReason: "goal_reached" });

    const b = new Sim(def, { customer: dormant() });
    b.start(trigger());
    b.event("email_unsubscribed", {}, { at: T0 + D });
    expect(b.trace().slice(-2)).toEqual([
      "2026-03-11T09:00Z decision exit/exit_condition wait_2 rule=email_unsubscribed",
      "2026-03-11T09:00Z exit email_unsubscribed",
    ]);
  });

  it("at most every 180 days", () => {
    const t = trigger();
    expect(
      enroll(def, t, { customer: dormant(), history: [{ enteredAt: T0 - 170 * D, status: "completed", contextKey: "last_engaged:1" }] }),
    ).toMatchObject({
      reason: "reentry_window",
    });
    expect(
      enroll(def, t, { customer: dormant(), history: [{ enteredAt: T0 - 190 * D, status: "completed", contextKey: "last_engaged:1" }] }),
    ).toMatchObject({ enroll: true });
  });
});

describe("re-engagement: arbitration", () => {
  it("defers by the cap", () => {
    const sim = new Sim(def, { customer: dormant(), recentSends: [campaignEmail(T0 - 14 * H)] });
    sim.start(trigger());
    sim.wake();
    expect(sim.trace().slice(1, 5)).toEqual([
      "2026-03-10T09:00Z decision defer/frequency_cap send_1 email until=2026-03-10T11:00Z",
      "2026-03-10T09:00Z schedule send_1 at=2026-03-10T11:00Z deferred plans=email",
      "2026-03-10T11:00Z send email reengagement_1 marketing key=enr-1:send_1:1",
      "2026-03-10T11:00Z decision send/allowed send_1 email",
    ]);
  });

  it("defers by quiet hours", () => {
    const late = Date.parse("2026-03-10T21:30:00Z");
    const sim = new Sim(def, { customer: dormant(), now: late });
    sim.start(trigger(late));
    expect(sim.trace().slice(1)).toEqual([
      "2026-03-10T21:30Z decision defer/quiet_hours send_1 email until=2026-03-11T07:00Z",
      "2026-03-10T21:30Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
    ]);
  });

  it("yields to a planned win-back email (priority 30 > 20)", () => {
    const sim = new Sim(def, { customer: dormant(), otherEnrollments: [competitor("win_back", 30, T0 + H)] });
    sim.start(trigger());
    expect(sim.trace().slice(1)).toEqual([
      "2026-03-10T09:00Z decision defer/lost_priority send_1 email until=2026-03-11T07:00Z against=win_back",
      "2026-03-10T09:00Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
    ]);
  });

  it("holdout: no emails, the sunset still applies (held-out customers mirror the treated ones)", () => {
    const sim = new Sim(def, { customer: dormant(), holdout: true });
    sim.start(trigger());
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z decision holdout/holdout send_1 email",
      "2026-03-10T09:00Z schedule wait_2 at=2026-03-17T09:00Z wait plans=email",
      "2026-03-17T09:00Z decision holdout/holdout last_chance email",
      "2026-03-17T09:00Z schedule wait_sunset at=2026-03-24T09:00Z wait",
      "2026-03-24T09:00Z add_tag sunset",
      "2026-03-24T09:00Z suppress_marketing email sunset",
      "2026-03-24T09:00Z decision exit/end_of_flow sunset",
      "2026-03-24T09:00Z complete end_of_flow",
    ]);
  });

  it("consent withdrawn after the first email: no last chance, no sunset needed", () => {
    const sim = new Sim(def, { customer: dormant() });
    sim.start(trigger());
    sim.ctx.customer.email.consent = "unsubscribed";
    sim.runToEnd();
    expect(sim.trace().slice(4)).toEqual([
      "2026-03-17T09:00Z decision skip/no_consent last_chance email cause=unsubscribed",
      "2026-03-17T09:00Z decision exit/no_consent last_chance",
      "2026-03-17T09:00Z exit no_consent",
    ]);
  });
});
