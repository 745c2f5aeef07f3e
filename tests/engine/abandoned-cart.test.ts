import { describe, expect, it } from "vitest";
import { buildAbandonedCart } from "~/domain/flows";
import { D, H, M, Sim, T0, campaignEmail, competitor, customer, enroll } from "./driver";

// T0 = Tue 2026-03-10 09:00Z = 10:00 in Warsaw (CET). Times in traces are UTC.
const def = buildAbandonedCart();
const added = (value = 60) => ({ event: "product_added_to_cart", data: { cartToken: "cart-1", value, productId: "p-1" } });

describe("abandoned cart: happy path", () => {
  it("one reminder 2 h after the add to cart", () => {
    const sim = new Sim(def);
    sim.start(added());
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z schedule wait_1 at=2026-03-10T11:00Z wait plans=email",
      "2026-03-10T11:00Z send email abandoned_cart_1 marketing key=enr-1:send_1:1",
      "2026-03-10T11:00Z decision send/allowed send_1 email",
      "2026-03-10T11:00Z decision exit/end_of_flow send_1",
      "2026-03-10T11:00Z complete end_of_flow",
    ]);
  });

  it("with the follow-up and incentive switched on, the last message carries the code above the threshold", () => {
    const sim = new Sim(buildAbandonedCart({ followUp: { enabled: true }, incentive: { enabled: true } }));
    sim.start(added(60));
    sim.runToEnd();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T11:00Z send email abandoned_cart_1 marketing key=enr-1:send_1:1",
      "2026-03-10T11:00Z decision send/allowed send_1 email",
      "2026-03-10T11:00Z schedule wait_2 at=2026-03-11T09:00Z wait plans=email",
      "2026-03-11T09:00Z create_discount percentage 10 48h CART key=enr-1:discount:1",
      "2026-03-11T09:00Z send email abandoned_cart_1 marketing key=enr-1:send_2_offer:1 discount=enr-1:discount:1",
      "2026-03-11T09:00Z decision send/allowed send_2_offer email",
      "2026-03-11T09:00Z decision exit/end_of_flow send_2_offer",
      "2026-03-11T09:00Z complete end_of_flow",
    ]);
  });
});

describe("abandoned cart: exits and re-entry", () => {
  it("starting a checkout hands over to the abandoned-checkout flow", () => {
    const sim = new Sim(def);
    sim.start(added());
    sim.event("checkout_started", { token: "tok-1" }, { at: T0 + 20 * M });
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T09:20Z decision exit/exit_condition wait_1 rule=checkout_started",
      "2026-03-10T09:20Z exit checkout_started",
    ]);
  });

  it("a completed checkout exits; an order is the goal", () => {
    const a = new Sim(def);
    a.start(added());
    a.event("checkout_completed", {}, { at: T0 + H });
    expect(a.state).toMatchObject({ status: "exited", endReason: "checkout_completed" });

    const b = new Sim(def);
    b.start(added());
    b.event("order_placed", { orderId: "o-1" }, { at: T0 + H });
    expect(b.trace().slice(2)).toEqual([
      "2026-03-10T10:00Z goal_reached order_placed",
      "2026-03-10T10:00Z decision exit/goal_reached wait_1",
      "2026-03-10T10:00Z complete goal_reached",
    ]);
  });

  it("at most once per 7 days, and only for an identified shopper", () => {
    expect(enroll(def, added(), { history: [{ enteredAt: T0 - 6 * D, status: "completed", contextKey: "cart-0" }] })).toMatchObject({
      enroll: false,
      reason: "reentry_window",
      decision: { details: { eligibleAt: T0 + D } },
    });
    expect(enroll(def, added(), { history: [{ enteredAt: T0 - 8 * D, status: "completed", contextKey: "cart-0" }] })).toEqual({
      enroll: true,
      contextKey: "cart-1",
    });
    expect(enroll(def, added(), { customer: customer({ email: { address: false, consent: "not_subscribed" } }) })).toMatchObject({
      reason: "no_consent",
      decision: { details: { causes: { email: "no_email" } } },
    });
  });
});

describe("abandoned cart: arbitration", () => {
  it("defers by the cap", () => {
    const sim = new Sim(def, { recentSends: [campaignEmail(T0 - 10 * H)] });
    sim.start(added());
    sim.runToEnd();
    expect(sim.trace().slice(2, 6)).toEqual([
      "2026-03-10T11:00Z decision defer/frequency_cap send_1 email until=2026-03-10T15:00Z",
      "2026-03-10T11:00Z schedule send_1 at=2026-03-10T15:00Z deferred plans=email",
      "2026-03-10T15:00Z send email abandoned_cart_1 marketing key=enr-1:send_1:1",
      "2026-03-10T15:00Z decision send/allowed send_1 email",
    ]);
  });

  it("defers by quiet hours", () => {
    const sim = new Sim(def, { now: Date.parse("2026-03-10T19:30:00Z") });
    sim.start(added());
    sim.runToEnd();
    expect(sim.trace().slice(2, 6)).toEqual([
      "2026-03-10T21:30Z decision defer/quiet_hours send_1 email until=2026-03-11T07:00Z",
      "2026-03-10T21:30Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
      "2026-03-11T07:00Z send email abandoned_cart_1 marketing key=enr-1:send_1:1",
      "2026-03-11T07:00Z decision send/allowed send_1 email",
    ]);
  });

  it("defers to a planned abandoned-checkout reminder (priority 100 > 80)", () => {
    const sim = new Sim(def, { otherEnrollments: [competitor("abandoned_checkout", 100, T0 + 3 * H)] });
    sim.start(added());
    sim.wake();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T11:00Z decision defer/lost_priority send_1 email until=2026-03-11T07:00Z against=abandoned_checkout",
      "2026-03-10T11:00Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
    ]);
  });

  it("holdout", () => {
    const sim = new Sim(def, { holdout: true });
    sim.start(added());
    sim.runToEnd();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T11:00Z decision holdout/holdout send_1 email",
      "2026-03-10T11:00Z decision exit/end_of_flow send_1",
      "2026-03-10T11:00Z complete end_of_flow",
    ]);
  });

  it("consent withdrawn before the reminder", () => {
    const sim = new Sim(def);
    sim.start(added());
    sim.ctx.customer.email.consent = "unsubscribed";
    sim.runToEnd();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T11:00Z decision skip/no_consent send_1 email cause=unsubscribed",
      "2026-03-10T11:00Z decision exit/no_consent send_1",
      "2026-03-10T11:00Z exit no_consent",
    ]);
  });
});
