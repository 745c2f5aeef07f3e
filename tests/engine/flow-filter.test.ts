import { describe, expect, it } from "vitest";
import { buildAbandonedCheckout } from "~/domain/flows";
import { parseFlowDefinition, type Condition, type FlowDefinition } from "~/domain/journey";
import { H, Sim, T0, customer } from "./driver";

// The flow filter (entry.conditions) is re-checked right before every message: a
// customer who no longer matches leaves the flow before it, with reason filter_failed.
// T0 = Tue 2026-03-10 09:00Z = 10:00 in Warsaw; the second email is due 24 h later.

function twoEmails(filter: Condition): FlowDefinition {
  return parseFlowDefinition({
    schemaVersion: 1,
    key: "custom-filter",
    name: "Two emails",
    trigger: { type: "event", events: ["thing_happened"] },
    entry: { requiresConsent: "email", conditions: filter },
    startStepId: "send_1",
    steps: [
      { id: "send_1", type: "send", channel: "email", templateKey: "first", next: "wait_1" },
      { id: "wait_1", type: "wait", duration: { hours: 24 }, next: "send_2" },
      { id: "send_2", type: "send", channel: "email", templateKey: "second" },
    ],
  });
}

const neverOrdered: Condition = { field: "customer.ordersCount", op: "eq", value: 0 };
const subscribed: Condition = { field: "customer.emailConsent", op: "eq", value: "subscribed" };
const inPoland: Condition = { all: [{ field: "customer.countryCode", op: "eq", value: "PL" }, neverOrdered] };

const FIRST = [
  "2026-03-10T09:00Z decision enter/trigger -",
  "2026-03-10T09:00Z send email first marketing key=enr-1:send_1:1",
  "2026-03-10T09:00Z decision send/allowed send_1 email",
  "2026-03-10T09:00Z schedule wait_1 at=2026-03-11T09:00Z wait plans=email",
];
const FILTERED = ["2026-03-11T09:00Z decision exit/filter_failed send_2 email", "2026-03-11T09:00Z exit filter_failed"];

describe("the flow filter is re-checked before every message", () => {
  it("a customer who places an order between entry and the second email leaves the flow before it", () => {
    const sim = new Sim(twoEmails(neverOrdered));
    sim.start({ event: "thing_happened" });
    sim.runUntil(T0 + 3 * H);
    sim.ctx.customer.ordersCount = 1;
    sim.runToEnd();
    expect(sim.trace()).toEqual([...FIRST, ...FILTERED]);
    expect(sim.state).toMatchObject({ status: "exited", endReason: "filter_failed", finishedAt: T0 + 24 * H });
    const exit = sim.commands("decision").at(-1);
    expect(exit).toMatchObject({ outcome: "exit", reason: "filter_failed", details: { failed: ["customer.ordersCount eq"] } });
  });

  it("one who unsubscribes leaves the flow (filter_failed, not a skipped send that walks on)", () => {
    const sim = new Sim(twoEmails(subscribed));
    sim.start({ event: "thing_happened" });
    sim.runUntil(T0 + 5 * H);
    sim.ctx.customer.email.consent = "unsubscribed";
    sim.runToEnd();
    expect(sim.trace()).toEqual([...FIRST, ...FILTERED]);
  });

  it("one whose fact changes (moved abroad) leaves; the log names the leaf that failed", () => {
    const sim = new Sim(twoEmails(inPoland));
    sim.start({ event: "thing_happened" });
    sim.runUntil(T0 + 1 * H);
    sim.ctx.customer.countryCode = "DE";
    sim.runToEnd();
    expect(sim.trace()).toEqual([...FIRST, ...FILTERED]);
    expect(sim.commands("decision").at(-1)).toMatchObject({ details: { failed: ["customer.countryCode eq"] } });
  });

  it("one who still matches gets the second email", () => {
    const sim = new Sim(twoEmails(inPoland), { customer: customer({ tags: ["vip"] }) });
    sim.start({ event: "thing_happened" });
    sim.runUntil(T0 + 1 * H);
    sim.ctx.customer.tags = ["vip", "newsletter"]; // a fact the filter does not read
    sim.runToEnd();
    expect(sim.trace()).toEqual([
      ...FIRST,
      "2026-03-11T09:00Z send email second marketing key=enr-1:send_2:1",
      "2026-03-11T09:00Z decision send/allowed send_2 email",
      "2026-03-11T09:00Z decision exit/end_of_flow send_2",
      "2026-03-11T09:00Z complete end_of_flow",
    ]);
  });

  it("a held-out customer walks the same path: held out of the first, filtered out before the second", () => {
    const sim = new Sim(twoEmails(neverOrdered), { holdout: true });
    sim.start({ event: "thing_happened" });
    sim.runUntil(T0 + 2 * H);
    sim.ctx.customer.ordersCount = 2;
    sim.runToEnd();
    expect(sim.decisions().map((d) => `${d.outcome}/${d.reason} ${d.stepId ?? "-"}`)).toEqual([
      "enter/trigger -",
      "holdout/holdout send_1",
      "exit/filter_failed send_2",
    ]);
    expect(sim.commands("send")).toEqual([]);
  });

  it("a deferred message is re-checked when it is tried again", () => {
    // Entered at 21:30 local: the first email waits out the quiet hours (21:00-08:00).
    const night = Date.parse("2026-03-10T20:30:00Z");
    const sim = new Sim(twoEmails(neverOrdered), { now: night });
    sim.start({ event: "thing_happened" });
    expect(sim.state?.wait?.kind).toBe("defer");
    sim.runUntil(night + 2 * H);
    sim.ctx.customer.ordersCount = 1;
    sim.runToEnd();
    expect(sim.decisions().map((d) => `${d.outcome}/${d.reason} ${d.stepId ?? "-"}`)).toEqual([
      "enter/trigger -",
      "defer/quiet_hours send_1",
      "exit/filter_failed send_1",
    ]);
    expect(sim.commands("send")).toEqual([]);
  });

  it("a flow without a filter is unchanged (the catalogue's abandoned checkout sends to an ordering customer's exit rules only)", () => {
    const sim = new Sim(buildAbandonedCheckout());
    sim.start({ event: "checkout_started", data: { token: "t-1", value: "80.00", completed: false } });
    sim.runUntil(T0 + 2 * H);
    sim.ctx.customer.ordersCount = 5;
    sim.runToEnd();
    expect(sim.decisions().some((d) => d.reason === "filter_failed")).toBe(false);
    expect(sim.commands("send").length).toBeGreaterThan(1);
  });
});
