import { describe, expect, it } from "vitest";
import { buildPostPurchase } from "~/domain/flows";
import { D, H, Sim, T0, campaignEmail, competitor, customer, enroll } from "./driver";

// T0 = Tue 2026-03-10 09:00Z = 10:00 in Warsaw (CET). Times in traces are UTC.
const def = buildPostPurchase();
const order = (orderId = "o-1") => ({
  event: "order_placed",
  data: { orderId, value: 120, currency: "PLN", lines: [{ productId: "p-1", quantity: 1, price: "120.00" }] },
});
const firstTimer = () => customer({ ordersCount: 1 });

describe("post-purchase: happy path", () => {
  it("thanks a first-time buyer, asks for a review 7 days after fulfillment, cross-sells on day 21", () => {
    const sim = new Sim(def, { customer: firstTimer() });
    sim.start(order());
    sim.event("fulfillment_created", { orderId: "o-1", tracking: "TRK" }, { at: T0 + 2 * D });
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z schedule wait_thanks at=2026-03-10T10:00Z wait plans=email",
      "2026-03-10T10:00Z send email post_purchase_thank_you_first marketing key=enr-1:thanks_first:1",
      "2026-03-10T10:00Z decision send/allowed thanks_first email",
      "2026-03-10T10:00Z wait_for_event wait_fulfillment [fulfillment_created] timeout=2026-03-24T10:00Z",
      "2026-03-12T09:00Z schedule wait_review at=2026-03-19T09:00Z wait plans=email",
      "2026-03-19T09:00Z send email review_request marketing key=enr-1:review:1",
      "2026-03-19T09:00Z decision send/allowed review email",
      "2026-03-19T09:00Z schedule wait_cross_sell at=2026-03-31T09:00Z wait plans=email",
      // 21 days are 504 real hours: after the DST change this is 11:00 local (CEST).
      "2026-03-31T09:00Z send email cross_sell marketing key=enr-1:cross_sell:1 topic=product_news",
      "2026-03-31T09:00Z decision send/allowed cross_sell email",
      "2026-03-31T09:00Z decision exit/end_of_flow cross_sell",
      "2026-03-31T09:00Z complete end_of_flow",
    ]);
    expect(sim.state!.lastEvent).toMatchObject({ name: "fulfillment_created", data: { orderId: "o-1" } });
  });

  it("thanks a repeat buyer with the other template", () => {
    const sim = new Sim(def, { customer: customer({ ordersCount: 3 }) });
    sim.start(order());
    sim.wake();
    expect(sim.trace()[2]).toBe("2026-03-10T10:00Z send email post_purchase_thank_you_repeat marketing key=enr-1:thanks_repeat:1");
  });

  it("ignores the fulfillment of another order; without a fulfillment it skips the review request at the timeout", () => {
    const sim = new Sim(def, { customer: firstTimer() });
    sim.start(order());
    sim.wake();
    expect(sim.event("fulfillment_created", { orderId: "o-2" }, { at: T0 + D })).toEqual([]);
    sim.runToEnd();
    expect(sim.trace().slice(4)).toEqual([
      "2026-03-10T10:00Z wait_for_event wait_fulfillment [fulfillment_created] timeout=2026-03-24T10:00Z",
      "2026-03-24T10:00Z schedule wait_cross_sell at=2026-03-31T09:00Z wait plans=email",
      "2026-03-31T09:00Z send email cross_sell marketing key=enr-1:cross_sell:1 topic=product_news",
      "2026-03-31T09:00Z decision send/allowed cross_sell email",
      "2026-03-31T09:00Z decision exit/end_of_flow cross_sell",
      "2026-03-31T09:00Z complete end_of_flow",
    ]);
    expect(sim.state!.history.map((h) => `${h.stepId}:${h.result}`)).toContain("wait_fulfillment:timeout");
  });
});

describe("post-purchase: exits, goal and re-entry", () => {
  it("cancelling this order exits; cancelling another order does not", () => {
    const sim = new Sim(def, { customer: firstTimer() });
    sim.start(order());
    expect(sim.event("order_cancelled", { orderId: "o-9" }, { at: T0 + 3 * H })).toEqual([]);
    sim.event("order_cancelled", { orderId: "o-1" }, { at: T0 + 4 * H });
    expect(sim.trace().slice(-2)).toEqual([
      "2026-03-10T13:00Z decision exit/exit_condition wait_fulfillment rule=order_cancelled",
      "2026-03-10T13:00Z exit order_cancelled",
    ]);
  });

  it("the customer's next order is the goal (and starts its own journey); a redelivery of this order is not", () => {
    const sim = new Sim(def, { customer: firstTimer() });
    sim.start(order("o-1"));
    expect(sim.event("order_placed", { orderId: "o-1" }, { at: T0 + 2 * H })).toEqual([]);
    sim.event("order_placed", { orderId: "o-2" }, { at: T0 + 5 * D });
    expect(sim.trace().slice(-3)).toEqual([
      "2026-03-15T09:00Z goal_reached order_placed",
      "2026-03-15T09:00Z decision exit/goal_reached wait_fulfillment",
      "2026-03-15T09:00Z complete goal_reached",
    ]);
  });

  it("every order enrolls (re-entry always), each order once", () => {
    const history = [{ enteredAt: T0 - 10 * D, status: "active" as const, contextKey: "o-0" }];
    expect(enroll(def, order("o-1"), { history })).toEqual({ enroll: true, contextKey: "o-1" });
    expect(enroll(def, order("o-0"), { history })).toMatchObject({ enroll: false, reason: "already_enrolled" });
  });
});

describe("post-purchase: arbitration", () => {
  it("defers the thank-you by the cap", () => {
    const sim = new Sim(def, { customer: firstTimer(), recentSends: [campaignEmail(T0 - 10 * H)] });
    sim.start(order());
    sim.runUntil(T0 + 7 * H);
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T10:00Z decision defer/frequency_cap thanks_first email until=2026-03-10T15:00Z",
      "2026-03-10T10:00Z schedule thanks_first at=2026-03-10T15:00Z deferred plans=email",
      "2026-03-10T15:00Z send email post_purchase_thank_you_first marketing key=enr-1:thanks_first:1",
      "2026-03-10T15:00Z decision send/allowed thanks_first email",
      "2026-03-10T15:00Z wait_for_event wait_fulfillment [fulfillment_created] timeout=2026-03-24T15:00Z",
    ]);
  });

  it("defers the thank-you for a late-evening order to 08:00", () => {
    const sim = new Sim(def, { customer: firstTimer(), now: Date.parse("2026-03-10T19:30:00Z") });
    sim.start(order());
    sim.wake();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T20:30Z decision defer/quiet_hours thanks_first email until=2026-03-11T07:00Z",
      "2026-03-10T20:30Z schedule thanks_first at=2026-03-11T07:00Z deferred plans=email",
    ]);
  });

  it("yields to a planned abandoned-checkout reminder (priority 100 > 70)", () => {
    const sim = new Sim(def, { customer: firstTimer(), otherEnrollments: [competitor("abandoned_checkout", 100, T0 + 2 * H)] });
    sim.start(order());
    sim.wake();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T10:00Z decision defer/lost_priority thanks_first email until=2026-03-11T07:00Z against=abandoned_checkout",
      "2026-03-10T10:00Z schedule thanks_first at=2026-03-11T07:00Z deferred plans=email",
    ]);
  });

  it("holdout: waits for the fulfillment like everyone else, records holdout decisions", () => {
    const sim = new Sim(def, { customer: firstTimer(), holdout: true });
    sim.start(order());
    sim.event("fulfillment_created", { orderId: "o-1" }, { at: T0 + 2 * D });
    sim.runToEnd();
    expect(sim.decisions().map((d) => `${d.at} ${d.outcome}/${d.reason} ${d.stepId ?? "-"}`)).toEqual([
      "2026-03-10T09:00Z enter/trigger -",
      "2026-03-10T10:00Z holdout/holdout thanks_first",
      "2026-03-19T09:00Z holdout/holdout review",
      "2026-03-31T09:00Z holdout/holdout cross_sell",
      "2026-03-31T09:00Z exit/end_of_flow cross_sell",
    ]);
    expect(sim.commands("send")).toEqual([]);
  });

  it("consent withdrawn after the thank-you: the review request is skipped and the flow exits", () => {
    const sim = new Sim(def, { customer: firstTimer() });
    sim.start(order());
    sim.wake();
    sim.ctx.customer.email.consent = "unsubscribed";
    sim.event("fulfillment_created", { orderId: "o-1" }, { at: T0 + 2 * D });
    sim.runToEnd();
    expect(sim.trace().slice(5)).toEqual([
      "2026-03-12T09:00Z schedule wait_review at=2026-03-19T09:00Z wait plans=email",
      "2026-03-19T09:00Z decision skip/no_consent review email cause=unsubscribed",
      "2026-03-19T09:00Z decision exit/no_consent review",
      "2026-03-19T09:00Z exit no_consent",
    ]);
  });
});
