import { describe, expect, it } from "vitest";
import { buildAbandonedCheckout } from "~/domain/flows";
import { D, H, M, Sim, T0, campaignEmail, competitor, customer, enroll } from "./driver";

// T0 = Tue 2026-03-10 09:00Z = 10:00 in Warsaw (CET). Times in traces are UTC.
const def = buildAbandonedCheckout();
const checkout = (value = 80, token = "tok-1") => ({ event: "checkout_started", data: { token, value, currency: "PLN" } });

describe("abandoned checkout: happy path", () => {
  it("reminds at 1 h, 24 h and 72 h; the last one carries a discount above the cart threshold", () => {
    const sim = new Sim(def);
    sim.start(checkout(80));
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z schedule wait_1 at=2026-03-10T10:00Z wait plans=email",
      "2026-03-10T10:00Z send email abandoned_checkout_1 marketing key=enr-1:send_1:1",
      "2026-03-10T10:00Z decision send/allowed send_1 email",
      "2026-03-10T10:00Z schedule wait_2 at=2026-03-11T09:00Z wait plans=email",
      "2026-03-11T09:00Z send email abandoned_checkout_2 marketing key=enr-1:send_2:1",
      "2026-03-11T09:00Z decision send/allowed send_2 email",
      "2026-03-11T09:00Z schedule wait_3 at=2026-03-13T09:00Z wait plans=email",
      "2026-03-13T09:00Z create_discount percentage 10 48h COMEBACK key=enr-1:discount_3:1",
      "2026-03-13T09:00Z send email abandoned_checkout_3 marketing key=enr-1:send_3_offer:1 discount=enr-1:discount_3:1",
      "2026-03-13T09:00Z decision send/allowed send_3_offer email",
      "2026-03-13T09:00Z decision exit/end_of_flow send_3_offer",
      "2026-03-13T09:00Z complete end_of_flow",
    ]);
    expect(sim.state).toMatchObject({ status: "completed", endReason: "end_of_flow", wait: null });
  });

  it("emits exactly these command objects for the first reminder", () => {
    const sim = new Sim(def);
    sim.start(checkout(80));
    expect(sim.wake()).toEqual([
      {
        type: "send",
        stepId: "send_1",
        channel: "email",
        purpose: "marketing",
        templateKey: "abandoned_checkout_1",
        topic: null,
        locale: "pl",
        idempotencyKey: "enr-1:send_1:1",
      },
      {
        type: "decision",
        outcome: "send",
        reason: "allowed",
        stepId: "send_1",
        at: T0 + H,
        channel: "email",
        templateKey: "abandoned_checkout_1",
        messageKey: "enr-1:send_1:1",
        details: { channel: "email", purpose: "marketing" },
      },
      { type: "schedule", stepId: "wait_2", at: T0 + 24 * H, why: "wait", plannedSend: { channel: "email", at: T0 + 24 * H } },
    ]);
  });

  it("gives no incentive below the cart-value threshold", () => {
    const sim = new Sim(def);
    sim.start(checkout(30));
    sim.runToEnd();
    expect(sim.trace().slice(-4)).toEqual([
      "2026-03-13T09:00Z send email abandoned_checkout_3 marketing key=enr-1:send_3:1",
      "2026-03-13T09:00Z decision send/allowed send_3 email",
      "2026-03-13T09:00Z decision exit/end_of_flow send_3",
      "2026-03-13T09:00Z complete end_of_flow",
    ]);
    expect(sim.commands("create_discount")).toEqual([]);
  });

  it("reads the cart value the runner passes fresh in the context", () => {
    const sim = new Sim(def);
    sim.start(checkout(30));
    sim.runUntil(T0 + 71 * H);
    sim.ctx.trigger = { type: "event", event: "checkout_updated", at: T0 + 70 * H, data: { token: "tok-1", value: 120 } };
    sim.runToEnd();
    expect(sim.commands("create_discount")).toHaveLength(1);
  });
});

describe("abandoned checkout: exits", () => {
  it("an order reaches the goal and ends the flow", () => {
    const sim = new Sim(def);
    sim.start(checkout());
    sim.event("order_placed", { orderId: "o-1", checkoutToken: "tok-1" }, { at: T0 + 5 * H });
    expect(sim.trace().slice(-3)).toEqual([
      "2026-03-10T14:00Z goal_reached order_placed",
      "2026-03-10T14:00Z decision exit/goal_reached wait_2",
      "2026-03-10T14:00Z complete goal_reached",
    ]);
    expect(sim.state).toMatchObject({ status: "completed", endReason: "goal_reached", goalReachedAt: T0 + 5 * H });
    expect(sim.nextWake()).toBeNull();
    expect(() => sim.wake()).toThrow("nothing scheduled");
  });

  it("a completed checkout exits before the first reminder", () => {
    const sim = new Sim(def);
    sim.start(checkout());
    sim.event("checkout_completed", { token: "tok-1" }, { at: T0 + 30 * M });
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z schedule wait_1 at=2026-03-10T10:00Z wait plans=email",
      "2026-03-10T09:30Z decision exit/exit_condition wait_1 rule=checkout_completed",
      "2026-03-10T09:30Z exit checkout_completed",
    ]);
    expect(sim.state).toMatchObject({ status: "exited", endReason: "checkout_completed" });
    expect(sim.commands("send")).toEqual([]);
  });

  it("ignores unrelated events and events delivered twice", () => {
    const sim = new Sim(def);
    sim.start(checkout());
    const before = sim.state;
    expect(sim.event("product_viewed", { productId: "p-1" })).toEqual([]);
    expect(sim.state).toBe(before);
    expect(sim.event("checkout_completed", {}, { id: "ev-9" })).toHaveLength(2);
    const after = sim.state;
    expect(sim.event("checkout_completed", {}, { id: "ev-9" })).toEqual([]);
    expect(sim.state).toBe(after);
  });
});

describe("abandoned checkout: entry and re-entry", () => {
  const past = (daysAgo: number, token: string, status: "active" | "completed" | "exited" = "completed") => ({
    enteredAt: T0 - daysAgo * D,
    status,
    contextKey: token,
  });

  it("enrolls once per checkout token and at most once per 3 days", () => {
    expect(enroll(def, checkout(80, "tok-1"))).toEqual({ enroll: true, contextKey: "tok-1" });
    const again = enroll(def, checkout(80, "tok-1"), { history: [past(1, "tok-1")] });
    expect(again).toMatchObject({
      enroll: false,
      reason: "already_enrolled",
      decision: { outcome: "not_enrolled", reason: "already_enrolled", details: { contextKey: "tok-1" } },
    });
    const soon = enroll(def, checkout(80, "tok-2"), { history: [past(2, "tok-1")] });
    expect(soon).toMatchObject({ enroll: false, reason: "reentry_window", decision: { details: { eligibleAt: T0 + D, windowHours: 72 } } });
    expect(enroll(def, checkout(80, "tok-2"), { history: [past(2, "tok-1")], now: T0 + D })).toEqual({ enroll: true, contextKey: "tok-2" });
  });

  it("does not enroll a completed checkout, a customer without email consent, or outside the rollout", () => {
    expect(enroll(def, { event: "checkout_updated", data: { token: "t", completed: true } })).toMatchObject({ reason: "trigger_mismatch" });
    expect(enroll(def, { event: "product_viewed", data: {} })).toMatchObject({ reason: "trigger_mismatch" });
    const pending = enroll(def, checkout(), { customer: customer({ email: { consent: "pending" } }) });
    expect(pending).toMatchObject({ reason: "no_consent", decision: { details: { requires: "email", causes: { email: "pending" } } } });
    expect(enroll(def, checkout(), { percent: 0 })).toMatchObject({ reason: "not_in_rollout" });
  });
});

describe("abandoned checkout: arbitration", () => {
  it("defers a reminder by the frequency cap, and drops a reminder that would be more than 24 h late", () => {
    const sim = new Sim(def, { recentSends: [campaignEmail(T0 - 9 * H)] });
    sim.start(checkout(80));
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z schedule wait_1 at=2026-03-10T10:00Z wait plans=email",
      "2026-03-10T10:00Z decision defer/frequency_cap send_1 email until=2026-03-10T16:00Z",
      "2026-03-10T10:00Z schedule send_1 at=2026-03-10T16:00Z deferred plans=email",
      "2026-03-10T16:00Z send email abandoned_checkout_1 marketing key=enr-1:send_1:1",
      "2026-03-10T16:00Z decision send/allowed send_1 email",
      "2026-03-10T16:00Z schedule wait_2 at=2026-03-11T09:00Z wait plans=email",
      "2026-03-11T09:00Z send email abandoned_checkout_2 marketing key=enr-1:send_2:1",
      "2026-03-11T09:00Z decision send/allowed send_2 email",
      "2026-03-11T09:00Z schedule wait_3 at=2026-03-13T09:00Z wait plans=email",
      // 3 marketing emails in 7 days already: the next slot (17 Mar, 08:00 local) is too late.
      "2026-03-13T09:00Z decision skip/deferral_expired send_3_offer email blockedBy=frequency_cap",
      "2026-03-13T09:00Z decision exit/end_of_flow send_3_offer",
      "2026-03-13T09:00Z complete end_of_flow",
    ]);
    const expired = sim.commands("decision").find((c) => c.type === "decision" && c.reason === "deferral_expired");
    expect(expired).toMatchObject({ details: { wouldSendAt: Date.parse("2026-03-17T07:00:00Z"), maxDeferHours: 24 } });
    expect(sim.commands("create_discount")).toEqual([]); // never minted for a message not sent
  });

  it("defers a reminder due in quiet hours to 08:00 local, and the next one by cap and quiet hours together", () => {
    const sim = new Sim(def, { now: Date.parse("2026-03-10T19:30:00Z") }); // 20:30 in Warsaw
    sim.start(checkout(80));
    sim.runUntil(Date.parse("2026-03-12T12:00:00Z"));
    expect(sim.trace()).toEqual([
      "2026-03-10T19:30Z decision enter/trigger -",
      "2026-03-10T19:30Z schedule wait_1 at=2026-03-10T20:30Z wait plans=email",
      "2026-03-10T20:30Z decision defer/quiet_hours send_1 email until=2026-03-11T07:00Z",
      "2026-03-10T20:30Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
      "2026-03-11T07:00Z send email abandoned_checkout_1 marketing key=enr-1:send_1:1",
      "2026-03-11T07:00Z decision send/allowed send_1 email",
      "2026-03-11T07:00Z schedule wait_2 at=2026-03-11T19:30Z wait plans=email",
      // 16 h after the first would be 23:00Z = midnight local: quiet hours, so 08:00 local.
      "2026-03-11T19:30Z decision defer/frequency_cap send_2 email until=2026-03-12T07:00Z",
      "2026-03-11T19:30Z schedule send_2 at=2026-03-12T07:00Z deferred plans=email",
      "2026-03-12T07:00Z send email abandoned_checkout_2 marketing key=enr-1:send_2:1",
      "2026-03-12T07:00Z decision send/allowed send_2 email",
      "2026-03-12T07:00Z schedule wait_3 at=2026-03-13T19:30Z wait plans=email",
    ]);
    const defer = sim.commands("decision").find((c) => c.type === "decision" && c.reason === "quiet_hours");
    expect(defer).toMatchObject({ details: { timeZone: "Europe/Warsaw", allowed: ["08:00-21:00"] } });
  });

  it("wins a conflict with a lower-priority flow, loses one to a higher-priority flow", () => {
    const wins = new Sim(def, { otherEnrollments: [competitor("browse_abandonment", 40, T0 + 90 * M)] });
    wins.start(checkout());
    wins.wake();
    expect(wins.trace().slice(2, 4)).toEqual([
      "2026-03-10T10:00Z send email abandoned_checkout_1 marketing key=enr-1:send_1:1",
      "2026-03-10T10:00Z decision send/allowed send_1 email",
    ]);

    const loses = new Sim(def, { otherEnrollments: [competitor("vip_launch", 150, T0 + 90 * M)] });
    loses.start(checkout());
    loses.wake();
    expect(loses.trace().slice(2)).toEqual([
      // The VIP email 30 min later would break the 1-per-16 h cap: wait until it is 16 h old (then 08:00 local).
      "2026-03-10T10:00Z decision defer/lost_priority send_1 email until=2026-03-11T07:00Z against=vip_launch",
      "2026-03-10T10:00Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
    ]);
    // The VIP email goes out as planned; the deferred reminder follows at the slot.
    loses.others.length = 0;
    loses.recent.push({ channel: "email", purpose: "marketing", at: T0 + 90 * M, flowKey: "vip_launch", priority: 150 });
    loses.wake();
    expect(loses.trace().slice(4, 6)).toEqual([
      "2026-03-11T07:00Z send email abandoned_checkout_1 marketing key=enr-1:send_1:1",
      "2026-03-11T07:00Z decision send/allowed send_1 email",
    ]);
  });

  it("holdout: records what would have been sent, sends nothing, mints no discount, still walks the flow", () => {
    const sim = new Sim(def, { holdout: true });
    sim.start(checkout(80));
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z schedule wait_1 at=2026-03-10T10:00Z wait plans=email",
      "2026-03-10T10:00Z decision holdout/holdout send_1 email",
      "2026-03-10T10:00Z schedule wait_2 at=2026-03-11T09:00Z wait plans=email",
      "2026-03-11T09:00Z decision holdout/holdout send_2 email",
      "2026-03-11T09:00Z schedule wait_3 at=2026-03-13T09:00Z wait plans=email",
      "2026-03-13T09:00Z decision holdout/holdout send_3_offer email",
      "2026-03-13T09:00Z decision exit/end_of_flow send_3_offer",
      "2026-03-13T09:00Z complete end_of_flow",
    ]);
    expect(sim.commands("decision")[0]).toMatchObject({ outcome: "enter", details: { holdout: true } });
  });

  it("consent withdrawn mid-flow: the next reminder is skipped and the email-only flow exits", () => {
    const sim = new Sim(def);
    sim.start(checkout());
    sim.wake();
    sim.ctx.customer.email.consent = "unsubscribed";
    sim.wake();
    expect(sim.trace().slice(5)).toEqual([
      "2026-03-11T09:00Z decision skip/no_consent send_2 email cause=unsubscribed",
      "2026-03-11T09:00Z decision exit/no_consent send_2",
      "2026-03-11T09:00Z exit no_consent",
    ]);
    expect(sim.state).toMatchObject({ status: "exited", endReason: "no_consent" });
  });
});

describe("abandoned checkout with the SMS reminder", () => {
  const withSms = buildAbandonedCheckout({ sms: { enabled: true } });

  it("defers an SMS due at 21:30 Warsaw to 08:00 the next morning", () => {
    const sim = new Sim(withSms, { now: Date.parse("2026-03-10T16:30:00Z") }); // 17:30 local
    sim.start(checkout());
    sim.runUntil(Date.parse("2026-03-11T08:00:00Z"));
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T17:30Z send email abandoned_checkout_1 marketing key=enr-1:send_1:1",
      "2026-03-10T17:30Z decision send/allowed send_1 email",
      "2026-03-10T17:30Z schedule wait_sms at=2026-03-10T20:30Z wait plans=sms",
      "2026-03-10T20:30Z decision defer/quiet_hours send_sms sms until=2026-03-11T07:00Z",
      "2026-03-10T20:30Z schedule send_sms at=2026-03-11T07:00Z deferred plans=sms",
      "2026-03-11T07:00Z send sms abandoned_checkout_sms_1 marketing key=enr-1:send_sms:1",
      "2026-03-11T07:00Z decision send/allowed send_sms sms",
      "2026-03-11T07:00Z schedule wait_2 at=2026-03-11T16:30Z wait plans=email",
    ]);
  });

  it("keeps going by SMS when email consent is withdrawn (email reminders are skipped, not the flow)", () => {
    const sim = new Sim(withSms);
    sim.start(checkout());
    sim.ctx.customer.email.consent = "unsubscribed";
    sim.runToEnd();
    expect(sim.decisions().map((d) => `${d.outcome}/${d.reason} ${d.stepId ?? "-"}`)).toEqual([
      "enter/trigger -",
      "skip/no_consent send_1",
      "send/allowed send_sms",
      "skip/no_consent send_2",
      "skip/no_consent send_3_offer",
      "exit/end_of_flow send_3_offer",
    ]);
  });

  it("enrolls a customer with SMS consent only", () => {
    expect(enroll(withSms, checkout(), { customer: customer({ email: { consent: "not_subscribed" } }) })).toEqual({
      enroll: true,
      contextKey: "tok-1",
    });
  });
});
