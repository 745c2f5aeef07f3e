// A/B tests in the engine: the split is a pure function of the shop, the flow's key, the
// step and the customer (no randomness), and variants may change a message's content,
// subject or incentive, or (through an ab_split) the delay before it.
import { describe, expect, it } from "vitest";
import {
  abDraw,
  parseFlowDefinition,
  pickWeighted,
  validateFlowDefinition,
  formatValidationErrors,
  type FlowDefinitionInput,
} from "~/domain/journey";
import { H, Sim, T0, customer, shop } from "./driver";

function def(steps: FlowDefinitionInput["steps"], key = "custom-ab") {
  return parseFlowDefinition({
    schemaVersion: 1,
    key,
    name: "A/B",
    trigger: { type: "event", events: ["thing_happened"] },
    startStepId: steps[0]!.id,
    steps,
  });
}

/** The first customer id (c-0, c-1, ...) whose draw at `stepId` falls on `key`. */
function customerIn(key: string, stepId: string, variants: { key: string; weight: number }[], flowKey = "custom-ab"): string {
  for (let i = 0; i < 1000; i++) {
    const id = `c-${i}`;
    if (pickWeighted(variants, abDraw("shop-1", flowKey, stepId, id)).key === key) return id;
  }
  throw new Error(`nobody in ${key}`);
}

function run(flow: ReturnType<typeof def>, customerId: string, enrollmentId = "enr-1"): Sim {
  const sim = new Sim(flow, { customer: customer({ id: customerId }), shop: shop({ quietHours: null }), enrollmentId });
  sim.start({ event: "thing_happened" });
  sim.runToEnd();
  return sim;
}

const SPLIT = [
  { key: "a", weight: 1, next: "send_a" },
  { key: "b", weight: 3, next: "send_b" },
];
const splitFlow = def([
  { id: "ab", type: "ab_split", variants: SPLIT },
  { id: "send_a", type: "send", channel: "email", templateKey: "a" },
  { id: "send_b", type: "send", channel: "email", templateKey: "b" },
]);

describe("the split", () => {
  it("falls by weight over many customers, the first variant being the control", () => {
    expect(pickWeighted(SPLIT, 0.2).key).toBe("a");
    expect(pickWeighted(SPLIT, 0.3).key).toBe("b");
    let a = 0;
    for (let i = 0; i < 4000; i++) if (run(splitFlow, `c-${i}`, `enr-${i}`).state!.variants.ab === "a") a++;
    expect(a / 4000).toBeGreaterThan(0.22);
    expect(a / 4000).toBeLessThan(0.28);
  });

  it("is the same for a customer on every entry and in every version of the flow, and independent between steps", () => {
    const id = customerIn("a", "ab", SPLIT);
    const first = run(splitFlow, id, "enr-1").state!.variants.ab;
    const again = run(splitFlow, id, "enr-2").state!.variants.ab; // a later entry, another enrollment
    const v2 = def(
      [...splitFlow.steps, { id: "tag", type: "add_tag" as const, tag: "x" }].map((s) => (s.id === "send_a" ? { ...s, next: "tag" } : s)),
    );
    expect([first, again, run(v2, id, "enr-3").state!.variants.ab]).toEqual(["a", "a", "a"]);
    // Another shop, flow or step draws again: about half of 400 customers differ between two steps.
    const differ = Array.from(
      { length: 400 },
      (_, i) => abDraw("shop-1", "custom-ab", "s1", `c-${i}`) < 0.5 !== abDraw("shop-1", "custom-ab", "s2", `c-${i}`) < 0.5,
    );
    expect(differ.filter(Boolean).length).toBeGreaterThan(160);
    expect(differ.filter(Boolean).length).toBeLessThan(240);
    expect(abDraw("shop-2", "custom-ab", "s1", "c-1")).not.toBe(abDraw("shop-1", "custom-ab", "s1", "c-1"));
  });

  it("keeps the variant stored in the enrollment's state, even when the weights change", () => {
    const id = customerIn("b", "ab", SPLIT);
    const sim = new Sim(splitFlow, { customer: customer({ id }), shop: shop({ quietHours: null }) });
    sim.start({ event: "thing_happened" });
    expect(sim.state!.variants).toEqual({ ab: "b" });
    const reweighted = def([
      { id: "ab", type: "ab_split", variants: [{ ...SPLIT[0]!, weight: 1000 }, SPLIT[1]!] },
      ...splitFlow.steps.slice(1),
    ]);
    const later = new Sim(reweighted, { customer: customer({ id }), shop: shop({ quietHours: null }) });
    later.state = { ...sim.state!, status: "active", stepId: "ab", wait: { kind: "timer", stepId: "ab", until: T0, next: "ab" } };
    later.wake();
    expect(later.state.variants).toEqual({ ab: "b" });
  });
});

describe("variants of a message", () => {
  const VARIANTS = [
    { key: "a", weight: 1 },
    { key: "b", weight: 1, templateKey: "t_long", subject: "{{ customer.firstName }}, 10% off inside", discountStepId: "code" },
    { key: "c", weight: 1, subject: "Still thinking?", discountStepId: null },
  ];
  const flow = def([
    { id: "code", type: "create_discount", kind: "percentage", value: 10, expiresInHours: 72, prefix: "AB", next: "s" },
    { id: "s", type: "send", channel: "email", templateKey: "t_base", discountStepId: "code", variants: VARIANTS },
  ]);

  it("the control sends the step's own content, subject and incentive", () => {
    expect(run(flow, customerIn("a", "s", VARIANTS)).trace()).toEqual([
      "2026-03-10T09:00Z decision enter/trigger -",
      "2026-03-10T09:00Z create_discount percentage 10 72h AB key=enr-1:code:1",
      "2026-03-10T09:00Z send email t_base marketing key=enr-1:s:1 variant=a discount=enr-1:code:1",
      "2026-03-10T09:00Z decision send/allowed s email",
      "2026-03-10T09:00Z decision exit/end_of_flow s",
      "2026-03-10T09:00Z complete end_of_flow",
    ]);
  });

  it("a variant changes the template, the subject line and the incentive; one without an incentive mints no code", () => {
    expect(run(flow, customerIn("b", "s", VARIANTS)).trace()[2]).toBe(
      '2026-03-10T09:00Z send email t_long marketing key=enr-1:s:1 variant=b subject="{{ customer.firstName }}, 10% off inside" discount=enr-1:code:1',
    );
    const c = run(flow, customerIn("c", "s", VARIANTS));
    expect(c.commands("create_discount")).toEqual([]);
    expect(c.trace()[1]).toBe('2026-03-10T09:00Z send email t_base marketing key=enr-1:s:1 variant=c subject="Still thinking?"');
  });

  it("the variant survives a deferral, and a held-out customer's decision names it too", () => {
    const id = customerIn("b", "s", VARIANTS);
    const night = new Sim(flow, { customer: customer({ id }), now: Date.parse("2026-03-10T22:00:00Z") });
    night.start({ event: "thing_happened" });
    night.runToEnd();
    expect(night.commands("send")).toMatchObject([{ variant: "b", templateKey: "t_long" }]);
    expect(night.commands("decision")[1]).toMatchObject({ outcome: "defer", details: { variant: "b" } });
    const held = new Sim(flow, { customer: customer({ id }), shop: shop({ quietHours: null }), holdout: true });
    held.start({ event: "thing_happened" });
    expect(held.commands("decision")[1]).toMatchObject({ outcome: "holdout", templateKey: "t_long", details: { variant: "b" } });
  });
});

describe("delay variants through an ab_split", () => {
  const DELAYS = [
    { key: "one_hour", weight: 1, next: "wait_1h" },
    { key: "four_hours", weight: 1, next: "wait_4h" },
  ];
  const flow = def([
    { id: "delay", type: "ab_split", variants: DELAYS },
    { id: "wait_1h", type: "wait", duration: { hours: 1 }, next: "reminder" },
    { id: "wait_4h", type: "wait", duration: { hours: 4 }, next: "reminder" },
    { id: "reminder", type: "send", channel: "email", templateKey: "reminder", next: "later" },
    { id: "later", type: "wait", duration: { hours: 24 }, next: "second" },
    { id: "second", type: "send", channel: "email", templateKey: "second" },
  ]);

  it("waits as the customer's variant says; the first send after the split carries the variant, later sends do not", () => {
    const late = run(flow, customerIn("four_hours", "delay", DELAYS));
    const sends = late.log.filter((l) => l.cmd.type === "send");
    expect(sends.map((l) => [l.at - T0, l.cmd.type === "send" && l.cmd.variant])).toEqual([
      [4 * H, "four_hours"],
      [28 * H, undefined],
    ]);
    const early = run(flow, customerIn("one_hour", "delay", DELAYS));
    expect(early.commands("send")[0]).toMatchObject({ stepId: "reminder", variant: "one_hour" });
    expect(early.log.find((l) => l.cmd.type === "send")!.at - T0).toBe(H);
  });
});

describe("validation of A/B steps", () => {
  const errorsOf = (steps: FlowDefinitionInput["steps"]) => {
    const r = validateFlowDefinition({
      schemaVersion: 1,
      key: "custom-ab",
      name: "x",
      trigger: { type: "event", events: ["e"] },
      startStepId: steps[0]!.id,
      steps,
    });
    return r.ok ? "" : formatValidationErrors(r.errors);
  };

  it("a subject line is for email; a variant's incentive is a create_discount step", () => {
    expect(errorsOf([{ id: "s", type: "send", channel: "sms", templateKey: "t", subject: "Hi" }])).toBe(
      "steps[0] (s).subject: a subject line applies to email only",
    );
    expect(
      errorsOf([
        { id: "t", type: "add_tag", tag: "x", next: "s" },
        {
          id: "s",
          type: "send",
          channel: "email",
          templateKey: "t",
          variants: [
            { key: "a", weight: 1 },
            { key: "b", weight: 1, discountStepId: "t" },
          ],
        },
      ]),
    ).toBe('steps[1] (s).variants[1].discountStepId: step "t" is a add_tag step, not create_discount');
  });

  it("the send measuring a split tests no variants of its own and measures one split", () => {
    const own = [
      { key: "x", weight: 1 },
      { key: "y", weight: 1, templateKey: "t2" },
    ];
    expect(
      errorsOf([
        {
          id: "ab",
          type: "ab_split",
          variants: [
            { key: "a", weight: 1, next: "w" },
            { key: "b", weight: 1, next: "s" },
          ],
        },
        { id: "w", type: "wait", duration: { hours: 1 }, next: "s" },
        { id: "s", type: "send", channel: "email", templateKey: "t", variants: own },
      ]),
    ).toBe('steps[2] (s).variants: the send after A/B split "ab" cannot test variants of its own');
    expect(
      errorsOf([
        {
          id: "ab1",
          type: "ab_split",
          variants: [
            { key: "a", weight: 1, next: "ab2" },
            { key: "b", weight: 1, next: "s" },
          ],
        },
        {
          id: "ab2",
          type: "ab_split",
          variants: [
            { key: "c", weight: 1, next: "s" },
            { key: "d", weight: 1, next: "s" },
          ],
        },
        { id: "s", type: "send", channel: "email", templateKey: "t" },
      ]),
    ).toBe('steps[2] (s): the send is the first after A/B splits "ab1" and "ab2": measure one at a time');
  });
});
