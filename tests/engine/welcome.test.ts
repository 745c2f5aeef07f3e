import { describe, expect, it } from "vitest";
import { buildWelcome } from "~/domain/flows";
import { D, H, Sim, T0, campaignEmail, competitor, customer, enroll } from "./driver";

// T0 = Tue 2026-03-10 09:00Z = 10:00 in Warsaw (CET). Times in traces are UTC.
const def = buildWelcome();
const subscribed = { event: "email_subscribed", data: { source: "form" } };

describe("welcome series: happy path", () => {
  it("sends three emails; the first carries the code, the third reminds of it to a subscriber who has not ordered", () => {
    const sim = new Sim(def);
    sim.start(subscribed);
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z create_discount percentage 10 336h WELCOME key=enr-1:discount_1:1",
      "2026-03-10T09:00Z send email welcome_1 marketing key=enr-1:send_1:1 topic=newsletter discount=enr-1:discount_1:1",
      "2026-03-10T09:00Z decision send/allowed send_1 email",
      "2026-03-10T09:00Z schedule wait_2 at=2026-03-12T09:00Z wait plans=email",
      "2026-03-12T09:00Z send email welcome_2 marketing key=enr-1:send_2:1 topic=newsletter",
      "2026-03-12T09:00Z decision send/allowed send_2 email",
      "2026-03-12T09:00Z schedule wait_3 at=2026-03-15T09:00Z wait plans=email",
      // The same code again: no second discount is created.
      "2026-03-15T09:00Z send email welcome_3 marketing key=enr-1:send_3_offer:1 topic=newsletter discount=enr-1:discount_1:1",
      "2026-03-15T09:00Z decision send/allowed send_3_offer email",
      "2026-03-15T09:00Z decision exit/end_of_flow send_3_offer",
      "2026-03-15T09:00Z complete end_of_flow",
    ]);
  });

  it("a first order is the goal: recorded without ending the series; the third email then carries no code", () => {
    const sim = new Sim(def);
    sim.start(subscribed);
    sim.event("order_placed", { orderId: "o-1" }, { at: T0 + 50 * H });
    expect(sim.trace().at(-1)).toBe("2026-03-12T11:00Z goal_reached order_placed");
    expect(sim.state).toMatchObject({ status: "active", goalReachedAt: T0 + 50 * H });
    sim.ctx.customer.ordersCount = 1;
    sim.runToEnd();
    expect(sim.trace().slice(-4)).toEqual([
      "2026-03-15T09:00Z send email welcome_3 marketing key=enr-1:send_3:1 topic=newsletter",
      "2026-03-15T09:00Z decision send/allowed send_3 email",
      "2026-03-15T09:00Z decision exit/end_of_flow send_3",
      "2026-03-15T09:00Z complete end_of_flow",
    ]);
    expect(sim.commands("create_discount")).toHaveLength(1);
  });

  it("without an incentive there is no discount at all", () => {
    const sim = new Sim(buildWelcome({ incentive: { enabled: false }, delaysHours: [1, 24, 72] }));
    sim.start(subscribed);
    sim.runToEnd();
    expect(sim.commands("create_discount")).toEqual([]);
    expect(sim.commands("send").map((c) => (c.type === "send" ? `${c.templateKey}@${c.stepId}` : ""))).toEqual([
      "welcome_1@send_1",
      "welcome_2@send_2",
      "welcome_3@send_3",
    ]);
    expect(sim.now).toBe(T0 + 72 * H);
  });
});

describe("welcome series: exits and re-entry", () => {
  it("an unsubscribe event exits", () => {
    const sim = new Sim(def);
    sim.start(subscribed);
    sim.event("email_unsubscribed", {}, { at: T0 + D });
    expect(sim.trace().slice(-2)).toEqual([
      "2026-03-11T09:00Z decision exit/exit_condition wait_2 rule=email_unsubscribed",
      "2026-03-11T09:00Z exit email_unsubscribed",
    ]);
  });

  it("welcomes a customer once, ever", () => {
    expect(enroll(def, subscribed)).toEqual({ enroll: true, contextKey: null });
    expect(enroll(def, subscribed, { history: [{ enteredAt: T0 - 300 * D, status: "completed" }] })).toMatchObject({
      enroll: false,
      reason: "reentry_never",
    });
    expect(enroll(def, subscribed, { history: [{ enteredAt: T0 - D, status: "active" }] })).toMatchObject({
      enroll: false,
      reason: "already_enrolled",
    });
    expect(enroll(def, subscribed, { customer: customer({ email: { consent: "pending" } }) })).toMatchObject({ reason: "no_consent" });
  });
});

describe("welcome series: arbitration", () => {
  it("defers by the cap to the next slot that also respects quiet hours", () => {
    const sim = new Sim(def, { recentSends: [campaignEmail(T0 - 2 * H)] });
    sim.start(subscribed);
    sim.runUntil(T0 + D);
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      // Free of the cap at 23:00Z (midnight local), inside quiet hours: so 08:00 local.
      "2026-03-10T09:00Z decision defer/frequency_cap send_1 email until=2026-03-11T07:00Z",
      "2026-03-10T09:00Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
      "2026-03-11T07:00Z create_discount percentage 10 336h WELCOME key=enr-1:discount_1:1",
      "2026-03-11T07:00Z send email welcome_1 marketing key=enr-1:send_1:1 topic=newsletter discount=enr-1:discount_1:1",
      "2026-03-11T07:00Z decision send/allowed send_1 email",
      "2026-03-11T07:00Z schedule wait_2 at=2026-03-12T09:00Z wait plans=email",
    ]);
  });

  it("defers a signup at 23:00 local to 08:00", () => {
    const sim = new Sim(def, { now: Date.parse("2026-03-10T22:00:00Z") });
    sim.start(subscribed);
    expect(sim.trace()).toEqual([
      "2026-03-10T22:00Z decision enter/trigger -",
      "2026-03-10T22:00Z decision defer/quiet_hours send_1 email until=2026-03-11T07:00Z",
      "2026-03-10T22:00Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
    ]);
  });

  it("loses to an abandoned-checkout reminder planned in 2 h (priority 100 > 90)", () => {
    const sim = new Sim(def, { otherEnrollments: [competitor("abandoned_checkout", 100, T0 + 2 * H)] });
    sim.start(subscribed);
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z decision defer/lost_priority send_1 email until=2026-03-11T07:00Z against=abandoned_checkout",
      "2026-03-10T09:00Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
    ]);
    expect(sim.commands("decision")[1]).toMatchObject({
      details: {
        against: { flowKey: "abandoned_checkout", priority: 100, at: T0 + 2 * H, kind: "planned", enrollmentId: "enr-abandoned_checkout" },
      },
    });
  });

  it("holdout: three holdout decisions, no sends, no discount", () => {
    const sim = new Sim(def, { holdout: true });
    sim.start(subscribed);
    sim.runToEnd();
    expect(sim.decisions().map((d) => `${d.at} ${d.outcome}/${d.reason} ${d.stepId ?? "-"}`)).toEqual([
      "2026-03-10T09:00Z enter/trigger -",
      "2026-03-10T09:00Z holdout/holdout send_1",
      "2026-03-12T09:00Z holdout/holdout send_2",
      "2026-03-15T09:00Z holdout/holdout send_3_offer",
      "2026-03-15T09:00Z exit/end_of_flow send_3_offer",
    ]);
    expect(sim.commands("send")).toEqual([]);
    expect(sim.commands("create_discount")).toEqual([]);
  });

  it("consent withdrawn mid-flow (topic opt-out): skipped with no_consent, and the flow exits", () => {
    const sim = new Sim(def);
    sim.start(subscribed);
    sim.ctx.customer.unsubscribedTopics = ["newsletter"];
    sim.wake();
    expect(sim.trace().slice(5)).toEqual([
      "2026-03-12T09:00Z decision skip/no_consent send_2 email cause=topic_unsubscribed",
      "2026-03-12T09:00Z decision exit/no_consent send_2",
      "2026-03-12T09:00Z exit no_consent",
    ]);
  });
});
