import { describe, expect, it } from "vitest";
import { buildBrowseAbandonment } from "~/domain/flows";
import { D, H, Sim, T0, campaignEmail, competitor, enroll } from "./driver";

// T0 = Tue 2026-03-10 09:00Z = 10:00 in Warsaw (CET). Times in traces are UTC.
const def = buildBrowseAbandonment();
const viewed = { event: "product_viewed", data: { productId: "p-1", productTitle: "Mug" } };

describe("browse abandonment: happy path", () => {
  it("one email 2 h after the product view", () => {
    const sim = new Sim(def);
    sim.start(viewed);
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z schedule wait_1 at=2026-03-10T11:00Z wait plans=email",
      "2026-03-10T11:00Z send email browse_abandonment_1 marketing key=enr-1:send_1:1 topic=product_news",
      "2026-03-10T11:00Z decision send/allowed send_1 email",
      "2026-03-10T11:00Z decision exit/end_of_flow send_1",
      "2026-03-10T11:00Z complete end_of_flow",
    ]);
  });
});

describe("browse abandonment: exits and the 14-day suppression", () => {
  for (const name of ["product_added_to_cart", "checkout_started"]) {
    it(`${name} exits`, () => {
      const sim = new Sim(def);
      sim.start(viewed);
      sim.event(name, {}, { at: T0 + H });
      expect(sim.trace().slice(2)).toEqual([
        `2026-03-10T10:00Z decision exit/exit_condition wait_1 rule=${name}`,
        `2026-03-10T10:00Z exit ${name}`,
      ]);
    });
  }

  it("an order is the goal", () => {
    const sim = new Sim(def);
    sim.start(viewed);
    sim.event("order_placed", { orderId: "o-1" }, { at: T0 + H });
    expect(sim.state).toMatchObject({ status: "completed", endReason: "goal_reached" });
  });

  it("at most one browse-abandonment journey per customer per 14 days", () => {
    const history = (daysAgo: number) => [{ enteredAt: T0 - daysAgo * D, status: "completed" as const }];
    expect(enroll(def, viewed, { history: history(13) })).toMatchObject({
      enroll: false,
      reason: "reentry_window",
      decision: { outcome: "not_enrolled", details: { eligibleAt: T0 + D, windowHours: 336 } },
    });
    expect(enroll(def, viewed, { history: history(14) })).toEqual({ enroll: true, contextKey: null });
    expect(enroll(def, viewed, { history: [{ enteredAt: T0 - H, status: "active" }] })).toMatchObject({ reason: "already_enrolled" });
  });
});

describe("browse abandonment: arbitration", () => {
  it("defers by the cap when a campaign took the slot", () => {
    const sim = new Sim(def, { recentSends: [campaignEmail(T0 - 10 * H)] });
    sim.start(viewed);
    sim.wake();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T11:00Z decision defer/frequency_cap send_1 email until=2026-03-10T15:00Z",
      "2026-03-10T11:00Z schedule send_1 at=2026-03-10T15:00Z deferred plans=email",
    ]);
  });

  it("defers by quiet hours", () => {
    const sim = new Sim(def, { now: Date.parse("2026-03-10T19:30:00Z") });
    sim.start(viewed);
    sim.runToEnd();
    expect(sim.trace().slice(2, 5)).toEqual([
      "2026-03-10T21:30Z decision defer/quiet_hours send_1 email until=2026-03-11T07:00Z",
      "2026-03-10T21:30Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
      "2026-03-11T07:00Z send email browse_abandonment_1 marketing key=enr-1:send_1:1 topic=product_news",
    ]);
  });

  it("is skipped (its onConflict setting) when a higher-priority flow plans an email, never dropped silently", () => {
    const sim = new Sim(def, { otherEnrollments: [competitor("abandoned_checkout", 100, T0 + 3 * H)] });
    sim.start(viewed);
    sim.runToEnd();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T11:00Z decision skip/lost_priority send_1 email against=abandoned_checkout",
      "2026-03-10T11:00Z decision exit/end_of_flow send_1",
      "2026-03-10T11:00Z complete end_of_flow",
    ]);
  });

  it("is skipped when a higher-priority flow's email already holds the cap", () => {
    const sim = new Sim(def, { recentSends: [{ channel: "email", purpose: "marketing", at: T0, flowKey: "welcome", priority: 90 }] });
    sim.start(viewed);
    sim.wake();
    expect(sim.trace()[2]).toBe("2026-03-10T11:00Z decision skip/lost_priority send_1 email against=welcome");
    expect(sim.commands("decision")[1]).toMatchObject({
      details: { against: { kind: "recent", flowKey: "welcome" }, rule: { count: 1, windowHours: 16 } },
    });
  });

  it("is deferred instead when the merchant sets onConflict to defer", () => {
    const sim = new Sim(buildBrowseAbandonment({ onConflict: "defer" }), {
      otherEnrollments: [competitor("abandoned_checkout", 100, T0 + 3 * H)],
    });
    sim.start(viewed);
    sim.wake();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T11:00Z decision defer/lost_priority send_1 email until=2026-03-11T07:00Z against=abandoned_checkout",
      "2026-03-10T11:00Z schedule send_1 at=2026-03-11T07:00Z deferred plans=email",
    ]);
  });

  it("holdout", () => {
    const sim = new Sim(def, { holdout: true });
    sim.start(viewed);
    sim.runToEnd();
    expect(sim.trace().slice(2, 3)).toEqual(["2026-03-10T11:00Z decision holdout/holdout send_1 email"]);
    expect(sim.commands("send")).toEqual([]);
    expect(sim.state).toMatchObject({ status: "completed", endReason: "end_of_flow" });
  });

  it("consent withdrawn (paused marketing) before the email", () => {
    const sim = new Sim(def);
    sim.start(viewed);
    sim.ctx.customer.marketingPausedUntil = T0 + 30 * D;
    sim.runToEnd();
    expect(sim.trace().slice(2)).toEqual([
      "2026-03-10T11:00Z decision skip/no_consent send_1 email cause=paused",
      "2026-03-10T11:00Z decision exit/no_consent send_1",
      "2026-03-10T11:00Z exit no_consent",
    ]);
  });
});
