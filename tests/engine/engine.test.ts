import { describe, expect, it } from "vitest";
import { buildAbandonedCheckout, buildCatalogueFlow, buildPostPurchase, buildReEngagement, CATALOGUE_KEYS } from "~/domain/flows";
import {
  enrollmentColumns,
  eventsOfInterest,
  parseFlowDefinition,
  plannedSend,
  step,
  type EngineContext,
  type FlowDefinitionInput,
} from "~/domain/journey";
import { D, H, M, Sim, T0, customer, enroll, shop } from "./driver";

function def(steps: FlowDefinitionInput["steps"], extra: Partial<FlowDefinitionInput> = {}) {
  return parseFlowDefinition({
    schemaVersion: 1,
    key: "custom-test",
    name: "Test",
    trigger: { type: "event", events: ["thing_happened"] },
    startStepId: steps[0]!.id,
    steps,
    ...extra,
  });
}

describe("wait for an event with a timeout", () => {
  // "Until an order is placed, at most 1 h."
  const flow = def([
    { id: "wait_order", type: "wait_for_event", events: ["order_placed"], timeout: { hours: 1 }, onEvent: "big", onTimeout: "nudge" },
    { id: "big", type: "condition", if: { field: "event.value", op: "gte", value: 100 }, then: "vip", else: "thanks" },
    { id: "vip", type: "send", channel: "email", templateKey: "vip_thanks" },
    { id: "thanks", type: "send", channel: "email", templateKey: "thanks" },
    { id: "nudge", type: "send", channel: "email", templateKey: "nudge" },
  ]);

  it("the event resumes the flow, and conditions read it as event.*", () => {
    const sim = new Sim(flow);
    sim.start({ event: "thing_happened" });
    sim.event("order_placed", { orderId: "o-1", value: "149.90" }, { at: T0 + 20 * M });
    expect(sim.trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z wait_for_event wait_order [order_placed] timeout=2026-03-10T10:00Z",
      "2026-03-10T09:20Z send email vip_thanks marketing key=enr-1:vip:1",
      "2026-03-10T09:20Z decision send/allowed vip email",
      "2026-03-10T09:20Z decision exit/end_of_flow vip",
      "2026-03-10T09:20Z complete end_of_flow",
    ]);
    expect(sim.state!.history.map((h) => `${h.stepId}:${h.result}`)).toEqual([
      "wait_order:wait_for_event",
      "wait_order:event:order_placed",
      "big:then",
      "vip:send",
    ]);
  });

  it("the timeout takes the other branch", () => {
    const sim = new Sim(flow);
    sim.start({ event: "thing_happened" });
    sim.runToEnd();
    expect(sim.trace().slice(2, 4)).toEqual([
      "2026-03-10T10:00Z send email nudge marketing key=enr-1:nudge:1",
      "2026-03-10T10:00Z decision send/allowed nudge email",
    ]);
  });

  it("an early or repeated wake only re-arms the timer", () => {
    const sim = new Sim(flow);
    sim.start({ event: "thing_happened" });
    const before = sim.state!;
    const r = step(flow, before, { kind: "wake" }, T0 + 30 * M, sim.ctx);
    expect(r.state).toBe(before);
    expect(r.commands).toEqual([{ type: "wait_for_event", stepId: "wait_order", events: ["order_placed"], timeoutAt: T0 + H }]);
  });
});

describe("splits and A/B tests", () => {
  it("splits on profile, cart and order properties", () => {
    const flow = def([
      {
        id: "tier",
        type: "split",
        branches: [
          {
            when: {
              all: [
                { field: "customer.totalSpent", op: "gte", value: 1000 },
                { field: "customer.tags", op: "contains", value: "vip" },
              ],
            },
            next: "vip",
          },
          { when: { field: "trigger.lines.length", op: "gt", value: 2 }, next: "big_cart" },
        ],
        otherwise: "plain",
      },
      { id: "vip", type: "add_tag", tag: "vip-path" },
      { id: "big_cart", type: "add_tag", tag: "big-cart-path" },
      { id: "plain", type: "add_tag", tag: "plain-path" },
    ]);
    const run = (c: ReturnType<typeof customer>, lines: number) => {
      const sim = new Sim(flow, { customer: c });
      sim.start({ event: "thing_happened", data: { lines: Array.from({ length: lines }, () => ({ quantity: 1 })) } });
      return sim.commands("add_tag").map((x) => (x.type === "add_tag" ? x.tag : ""));
    };
    expect(run(customer({ totalSpent: 1500, tags: ["VIP"] }), 1)).toEqual(["vip-path"]);
    expect(run(customer({ totalSpent: 1500 }), 3)).toEqual(["big-cart-path"]);
    expect(run(customer(), 1)).toEqual(["plain-path"]);
  });
});

describe("wait until a local time window", () => {
  it("waits for 09:00-11:00 on a weekday in the recipient's zone, or goes on at once inside it", () => {
    const flow = def([
      { id: "w", type: "wait_window", start: "09:00", end: "11:00", days: [1, 2, 3, 4, 5], next: "s" },
      { id: "s", type: "send", channel: "email", templateKey: "t" },
    ]);
    const friday = new Sim(flow, { now: Date.parse("2026-03-13T14:00:00Z") }); // Friday 15:00 local
    friday.start({ event: "thing_happened" });
    expect(friday.trace()[1]).toBe("2026-03-13T14:00Z schedule w at=2026-03-16T08:00Z wait_window plans=email");
    friday.runToEnd();
    expect(friday.commands("send")).toHaveLength(1);
    const inside = new Sim(flow); // Tuesday 10:00 local
    inside.start({ event: "thing_happened" });
    expect(inside.commands("send")).toHaveLength(1);
    const shopZone = new Sim(
      def([
        { id: "w", type: "wait_window", start: "09:00", end: "11:00", timezone: "shop", next: "s" },
        { id: "s", type: "exit" },
      ]),
      {
        customer: customer({ timezone: "America/New_York" }),
      },
    );
    shopZone.start({ event: "thing_happened" });
    expect(shopZone.state).toMatchObject({ status: "exited" });
  });
});

describe("idempotency, purity and serialisation", () => {
  it("loops get a new idempotency key per visit; a replayed step returns the same keys", () => {
    const flow = def([
      { id: "s", type: "send", channel: "email", templateKey: "monthly", next: "w" },
      { id: "w", type: "wait", duration: { days: 30 }, next: "s" },
    ]);
    const sim = new Sim(flow);
    sim.start({ event: "thing_happened" });
    const stateBefore = sim.state!;
    const frozen = JSON.stringify(stateBefore);
    sim.wake();
    sim.wake();
    expect(sim.commands("send").map((c) => (c.type === "send" ? c.idempotencyKey : ""))).toEqual(["enr-1:s:1", "enr-1:s:2", "enr-1:s:3"]);
    // The input state was not mutated, and replaying the same input gives the same output.
    expect(JSON.stringify(stateBefore)).toBe(frozen);
    const ctx: EngineContext = { ...sim.ctx, recentSends: [] };
    const a = step(flow, stateBefore, { kind: "wake" }, T0 + 30 * D, ctx);
    const b = step(flow, stateBefore, { kind: "wake" }, T0 + 30 * D, ctx);
    expect(a).toEqual(b);
    expect(a.commands.find((c) => c.type === "send")).toMatchObject({ idempotencyKey: "enr-1:s:2" });
  });

  it("state and commands are plain JSON", () => {
    const sim = new Sim(buildAbandonedCheckout(), { holdout: false });
    sim.start({ event: "checkout_started", data: { token: "t", value: 90 } });
    sim.runToEnd();
    expect(JSON.parse(JSON.stringify(sim.state))).toEqual(sim.state);
    const commands = sim.commands();
    expect(JSON.parse(JSON.stringify(commands))).toEqual(commands);
  });

  it("a replayed start, or any input after the end, does nothing", () => {
    const flow = def([{ id: "s", type: "send", channel: "email", templateKey: "t" }]);
    const sim = new Sim(flow);
    sim.start({ event: "thing_happened" });
    const done = sim.state!;
    expect(step(flow, done, { kind: "start", trigger: { type: "event", at: T0, data: {} } }, T0, sim.ctx)).toEqual({
      state: done,
      commands: [],
    });
    expect(step(flow, done, { kind: "wake" }, T0 + D, sim.ctx)).toEqual({ state: done, commands: [] });
    expect(() => step(flow, null, { kind: "wake" }, T0, sim.ctx)).toThrow(/needs the enrollment's state/);
  });

  it("a redelivered event (same id) is ignored", () => {
    const flow = def([
      { id: "w", type: "wait_for_event", events: ["clicked"], timeout: { days: 1 }, onEvent: "t" },
      { id: "t", type: "add_tag", tag: "clicked", next: "w2" },
      { id: "w2", type: "wait_for_event", events: ["clicked"], timeout: { days: 1 }, onEvent: "t2" },
      { id: "t2", type: "add_tag", tag: "clicked-twice" },
    ]);
    const sim = new Sim(flow);
    sim.start({ event: "thing_happened" });
    sim.event("clicked", {}, { id: "ev-1" });
    expect(sim.event("clicked", {}, { id: "ev-1" })).toEqual([]);
    expect(sim.commands("add_tag")).toHaveLength(1);
    sim.event("clicked", {}, { id: "ev-2" });
    expect(sim.commands("add_tag")).toHaveLength(2);
    expect(sim.state!.seenEventIds).toEqual(["ev-1", "ev-2"]);
  });
});

describe("ends", () => {
  it("stop (flow switched off, customer redacted) exits with a decision", () => {
    const sim = new Sim(buildAbandonedCheckout());
    sim.start({ event: "checkout_started", data: { token: "t" } });
    expect(sim.stop("flow_switched_off")).toEqual([
      { type: "decision", outcome: "exit", reason: "flow_switched_off", stepId: "wait_1", at: T0, details: {} },
      { type: "exit", reason: "flow_switched_off" },
    ]);
    expect(enrollmentColumns(sim.state!)).toEqual({
      status: "exited",
      nextWakeAt: null,
      exitReason: "flow_switched_off",
      goalReachedAt: null,
      finishedAt: T0,
    });
  });

  it("an exit step ends with its reason; a goal outside its window does not count", () => {
    const flow = def(
      [
        { id: "w", type: "wait", duration: { days: 10 }, next: "c" },
        { id: "c", type: "condition", if: { field: "enrollment.goalReachedAt", op: "exists" }, then: "done", else: "bye" },
        { id: "done", type: "add_tag", tag: "converted" },
        { id: "bye", type: "exit", reason: "not_converted" },
      ],
      { goal: { events: ["order_placed"], withinHours: 48, exitOnGoal: false } },
    );
    const late = new Sim(flow);
    late.start({ event: "thing_happened" });
    expect(late.event("order_placed", {}, { at: T0 + 3 * D })).toEqual([]);
    late.runToEnd();
    expect(late.trace().slice(-2)).toEqual(["2026-03-20T09:00Z decision exit/exit_step bye", "2026-03-20T09:00Z exit not_converted"]);
    const early = new Sim(flow);
    early.start({ event: "thing_happened" });
    early.event("order_placed", {}, { at: T0 + D });
    early.runToEnd();
    expect(early.commands("add_tag")).toEqual([{ type: "add_tag", stepId: "done", tag: "converted" }]);
    expect(early.state).toMatchObject({ status: "completed", goalReachedAt: T0 + D });
  });

  it("a state pointing at a step the definition lacks exits (invalid_step) instead of throwing", () => {
    const flow = def([
      { id: "w", type: "wait", duration: { hours: 1 }, next: "s" },
      { id: "s", type: "exit" },
    ]);
    const sim = new Sim(flow);
    sim.start({ event: "thing_happened" });
    const broken = { ...sim.state!, wait: { kind: "timer" as const, stepId: "gone", until: T0 + H, next: "s" } };
    const r = step(flow, broken, { kind: "wake" }, T0 + H, sim.ctx);
    expect(r.commands).toEqual([
      { type: "decision", outcome: "exit", reason: "invalid_step", stepId: "gone", at: T0 + H, details: { missing: "gone" } },
      { type: "exit", reason: "invalid_step" },
    ]);
  });
});

describe("other commands", () => {
  it("a standalone discount is created at its step (not in holdout); transactional sends ignore the holdout", () => {
    const flow = def([
      { id: "code", type: "create_discount", kind: "fixed_amount", value: 20, expiresInHours: 72, prefix: "GIFT", next: "receipt" },
      { id: "receipt", type: "send", channel: "email", purpose: "transactional", templateKey: "gift_receipt" },
    ]);
    const sim = new Sim(flow);
    sim.start({ event: "thing_happened" });
    expect(sim.trace().slice(1, 3)).toEqual([
      "2026-03-10T09:00Z create_discount fixed_amount 20 72h GIFT key=enr-1:code:1",
      "2026-03-10T09:00Z send email gift_receipt transactional key=enr-1:receipt:1",
    ]);
    const held = new Sim(flow, { holdout: true, now: Date.parse("2026-03-10T23:00:00Z") });
    held.start({ event: "thing_happened" });
    expect(held.commands("create_discount")).toEqual([]);
    expect(held.commands("send")).toHaveLength(1); // transactional: no holdout, no quiet hours for email
  });

  it("plannedSend, eventsOfInterest and enrollmentColumns give the runner what it stores", () => {
    const pp = buildPostPurchase();
    const sim = new Sim(pp, { customer: customer({ ordersCount: 1 }) });
    sim.start({ event: "order_placed", data: { orderId: "o-1" } });
    expect(plannedSend(pp, sim.state!)).toEqual({ channel: "email", at: T0 + H });
    expect(enrollmentColumns(sim.state!)).toEqual({
      status: "active",
      nextWakeAt: T0 + H,
      exitReason: null,
      goalReachedAt: null,
      finishedAt: null,
    });
    sim.wake();
    expect(plannedSend(pp, sim.state!)).toBeNull(); // waiting for the fulfillment
    expect(eventsOfInterest(pp)).toEqual(["fulfillment_created", "order_cancelled", "order_placed"]);
    expect(eventsOfInterest(buildReEngagement())).toEqual(["email_unsubscribed", "message_clicked", "message_opened", "order_placed"]);
  });
});

describe("entry", () => {
  it("segment triggers match their segment and filter", () => {
    const flow = def([{ id: "s", type: "send", channel: "email", templateKey: "t" }], {
      trigger: { type: "segment_entered", segmentKey: "rfm:champions", where: { field: "customer.ordersCount", op: "gte", value: 3 } },
      entry: { requiresConsent: "none" },
    });
    const seg = (key: string) => ({ type: "segment_entered" as const, segmentKey: key });
    expect(enroll(flow, seg("rfm:champions"), { customer: customer({ ordersCount: 5 }) })).toEqual({ enroll: true, contextKey: null });
    expect(enroll(flow, seg("rfm:at_risk"), { customer: customer({ ordersCount: 5 }) })).toMatchObject({ reason: "trigger_mismatch" });
    expect(enroll(flow, seg("rfm:champions"), { customer: customer({ ordersCount: 1 }) })).toMatchObject({ reason: "trigger_mismatch" });
    expect(
      enroll(flow, seg("rfm:champions"), { customer: customer({ ordersCount: 5, email: { consent: "unsubscribed" } }) }),
    ).toMatchObject({ enroll: true });
  });

  it("the not_enrolled decision carries the flow, the trigger and the reason's details", () => {
    const flow = def([{ id: "s", type: "send", channel: "sms", templateKey: "t" }], {
      entry: { requiresConsent: "sms", conditions: { field: "customer.countryCode", op: "in", value: ["PL", "DE"] } },
    });
    expect(enroll(flow, { event: "thing_happened", sourceId: "ev-7" }, { customer: customer({ countryCode: "US" }) })).toEqual({
      enroll: false,
      reason: "entry_condition",
      decision: {
        type: "decision",
        outcome: "not_enrolled",
        reason: "entry_condition",
        stepId: null,
        at: T0,
        details: { flowKey: "custom-test", trigger: { type: "event", event: "thing_happened", sourceId: "ev-7" } },
      },
    });
    expect(enroll(flow, { event: "thing_happened" }, { customer: customer({ sms: { consent: "pending" } }) })).toMatchObject({
      reason: "no_consent",
      decision: { details: { requires: "sms", causes: { sms: "pending" } } },
    });
  });

  it("the shop's priority on the Flow row overrides the definition's", () => {
    const flow = def([{ id: "s", type: "send", channel: "email", templateKey: "t" }], { priority: 10 });
    const ctxOther = { enrollmentId: "enr-x", flowKey: "other", priority: 50, nextSendAt: T0 + H, nextSendChannel: "email" as const };
    const low = new Sim(flow, { otherEnrollments: [ctxOther] });
    low.start({ event: "thing_happened" });
    expect(low.decisions()[1]).toMatchObject({ outcome: "defer", reason: "lost_priority" });
    const high = new Sim(flow, { otherEnrollments: [ctxOther], priority: 60, shop: shop() });
    high.start({ event: "thing_happened" });
    expect(high.decisions()[1]).toMatchObject({ outcome: "send" });
  });
});

describe("result invariants over every catalogue flow", () => {
  it("each call ends with at most one timer or end command, last; every send has its decision; the columns follow", () => {
    for (const key of CATALOGUE_KEYS) {
      for (const holdout of [false, true]) {
        const flow = buildCatalogueFlow(key);
        const sim = new Sim(flow, {
          holdout,
          customer: customer({ ordersCount: 1, lastOrderAt: T0 - 200 * D, lastEngagedAt: T0 - 200 * D }),
        });
        sim.start({
          type: flow.trigger.type,
          event: flow.trigger.type === "event" ? flow.trigger.events[0] : undefined,
          data: { token: "t", orderId: "o-1", value: 99, reorderIntervalDays: 20, occurrence: "x" },
        });
        sim.event("fulfillment_created", { orderId: "o-1" }, { at: T0 + 2 * D });
        sim.runToEnd();
        expect(sim.state!.status, key).toBe("completed");
        for (const cmds of sim.calls) {
          const timers = cmds.filter((c) => ["schedule", "wait_for_event", "exit", "complete"].includes(c.type));
          expect(timers.length, key).toBeLessThanOrEqual(1);
          if (timers.length) expect(cmds.at(-1), key).toBe(timers[0]);
          const sends = cmds.filter((c) => c.type === "send");
          for (const s of sends) {
            expect(
              cmds.some(
                (c) => c.type === "decision" && c.outcome === "send" && c.messageKey === (s.type === "send" ? s.idempotencyKey : ""),
              ),
              key,
            ).toBe(true);
          }
        }
        const outcomes = sim.commands("decision").map((c) => (c.type === "decision" ? c.outcome : ""));
        expect(outcomes.filter((o) => o === (holdout ? "holdout" : "send")).length, key).toBeGreaterThan(0);
        if (holdout) expect(sim.commands("send"), key).toEqual([]);
        expect(enrollmentColumns(sim.state!), key).toMatchObject({ status: "completed", nextWakeAt: null });
      }
    }
  });
});
