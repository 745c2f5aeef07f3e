import { describe, expect, it } from "vitest";
import { CATALOGUE, CATALOGUE_KEYS, buildCatalogueFlow } from "~/domain/flows";
import {
  FlowDefinitionError,
  formatValidationErrors,
  parseFlowDefinition,
  validateFlowDefinition,
  type FlowDefinitionInput,
} from "~/domain/journey";

function flow(steps: unknown[], extra: Record<string, unknown> = {}): unknown {
  return {
    schemaVersion: 1,
    key: "custom-test",
    name: "Test",
    trigger: { type: "event", events: ["thing_happened"] },
    startStepId: "a",
    steps,
    ...extra,
  };
}

function errors(input: unknown): string[] {
  const r = validateFlowDefinition(input);
  return r.ok ? [] : r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
}

describe("validateFlowDefinition", () => {
  it("accepts a minimal definition and applies the defaults", () => {
    const r = validateFlowDefinition(flow([{ id: "a", type: "send", channel: "email", templateKey: "t" }]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition).toMatchObject({
      priority: 50,
      entry: { requiresConsent: "email", reentry: { mode: "never" } },
      exits: [],
      goal: null,
      steps: [{ id: "a", purpose: "marketing", onCap: "defer", onConflict: "defer", onNoConsent: "skip" }],
    });
  });

  it("explains a send without a template, an unknown step type, a zero wait and an unknown field", () => {
    expect(
      errors(
        flow([
          { id: "a", type: "send", channel: "email", next: "b" },
          { id: "b", type: "teleport" },
          { id: "c", type: "wait", duration: { hours: 0 }, next: "a", colour: "red" },
        ]),
      ),
    ).toEqual([
      "steps[0] (a).templateKey: a send step needs a templateKey",
      'steps[1] (b): unknown type "teleport" (one of send, wait, wait_window, wait_for_event, condition, split, ab_split, create_discount, add_tag, suppress_marketing, exit)',
      "steps[2] (c).duration: a duration must be longer than zero",
      'steps[2] (c): unknown field "colour"',
    ]);
  });

  it("explains a missing next step, a missing start step and a duplicate id", () => {
    expect(
      errors(
        flow(
          [
            { id: "a", type: "send", channel: "email", templateKey: "t", next: "nowhere" },
            { id: "a", type: "exit" },
          ],
          { startStepId: "start" },
        ),
      ),
    ).toEqual([
      'steps[1] (a): step id "a" is used twice',
      'startStepId: start step "start" does not exist',
      'steps[0] (a).next: next step "nowhere" does not exist',
    ]);
  });

  it("explains an unreachable step", () => {
    expect(
      errors(
        flow([
          { id: "a", type: "send", channel: "email", templateKey: "t" },
          { id: "orphan", type: "send", channel: "sms", templateKey: "t" },
        ]),
      ),
    ).toEqual(['steps[1] (orphan): step "orphan" is unreachable from the start step "a"']);
  });

  it("refuses a loop without a wait, accepts one with a wait", () => {
    const spin = [
      { id: "a", type: "condition", if: { field: "customer.ordersCount", op: "gt", value: 0 }, then: "b", else: "b" },
      { id: "b", type: "add_tag", tag: "x", next: "a" },
    ];
    expect(errors(flow(spin))).toEqual(['steps: steps "a" -> "b" -> "a" form a loop without a wait step']);
    const paced = [
      { id: "a", type: "send", channel: "email", templateKey: "t", next: "w" },
      { id: "w", type: "wait", duration: { days: 30 }, next: "a" },
    ];
    expect(errors(flow(paced))).toEqual([]);
  });

  it("reports each graph problem with its step", () => {
    const list = errors(
      flow([
        { id: "a", type: "send", channel: "email", templateKey: "t", discountStepId: "b", next: "b" },
        { id: "b", type: "condition", if: { field: "cart.value", op: "gt", value: 1 }, then: "c" },
        {
          id: "c",
          type: "ab_split",
          variants: [
            { key: "x", weight: 1, next: "d" },
            { key: "x", weight: 1 },
          ],
        },
        { id: "d", type: "wait_window", start: "09:00", end: "09:00", next: "e" },
        { id: "e", type: "exit" },
      ]),
    );
    expect(list).toEqual([
      'steps[0] (a).discountStepId: step "b" is a condition step, not create_discount',
      "steps[2] (c).variants: variant keys must be unique",
      "steps[3] (d): a local time window needs different start and end times",
      'steps[1] (b).if: field "cart.value" must start with one of customer, trigger, event, shop, enrollment',
    ]);
  });

  it("entry conditions cannot read an event; schemaVersion and the trigger are checked", () => {
    expect(errors(flow([{ id: "a", type: "exit" }], { entry: { conditions: { field: "event.name", op: "exists" } } }))).toEqual([
      'entry.conditions: field "event.name" must start with one of customer, trigger, shop',
    ]);
    expect(errors({ ...(flow([{ id: "a", type: "exit" }]) as object), schemaVersion: 2 })).toEqual([
      "schemaVersion: schemaVersion must be 1",
    ]);
    expect(errors(flow([{ id: "a", type: "exit" }], { trigger: { type: "moon_phase" } }))).toEqual([
      'trigger: unknown type "moon_phase" (one of event, segment_entered, date, inactivity)',
    ]);
    expect(errors(flow([{ id: "a", type: "exit" }], { trigger: { type: "date", dateField: "property" } }))).toEqual([
      'trigger.property: a date trigger on dateField "property" needs the property name',
    ]);
  });

  it("parseFlowDefinition throws readable errors", () => {
    expect(() => parseFlowDefinition(flow([{ id: "a", type: "send", channel: "fax", templateKey: "t" }]))).toThrow(FlowDefinitionError);
    expect(() => parseFlowDefinition(flow([{ id: "a", type: "send", channel: "fax", templateKey: "t" }]))).toThrow(
      "Invalid flow definition:\nsteps[0] (a).channel: channel is email or sms",
    );
    expect(
      formatValidationErrors([
        { path: "", message: "x" },
        { path: "p", message: "y" },
      ]),
    ).toBe("x\np: y");
  });

  it("round-trips through JSON (FlowVersion.definition is jsonb)", () => {
    for (const key of CATALOGUE_KEYS) {
      const def = buildCatalogueFlow(key);
      expect(validateFlowDefinition(JSON.parse(JSON.stringify(def)))).toEqual({ ok: true, definition: def });
    }
  });
});

describe("the catalogue", () => {
  it("has the eight flows, each valid, off by default, with EN and PL strings", () => {
    expect(CATALOGUE_KEYS).toEqual([
      "welcome",
      "abandoned_checkout",
      "abandoned_cart",
      "browse_abandonment",
      "post_purchase",
      "replenishment",
      "win_back",
      "re_engagement",
    ]);
    for (const key of CATALOGUE_KEYS) {
      const entry = CATALOGUE[key];
      const def = entry.buildFlow();
      expect(def.key).toBe(key);
      expect(def.priority).toBe(entry.defaultPriority);
      expect(def.source).toMatchObject({ catalogueKey: key });
      expect(entry.defaultStatus).toBe("off");
      for (const text of [entry.meta.name, entry.meta.description]) {
        expect(text.en.length).toBeGreaterThan(3);
        expect(text.pl.length).toBeGreaterThan(3);
        expect(text.pl).not.toBe(text.en);
      }
    }
  });

  it("ranks priorities: abandoned checkout > welcome > abandoned cart > post-purchase > replenishment > browse > win-back > re-engagement", () => {
    const ranked = [...CATALOGUE_KEYS].sort((a, b) => CATALOGUE[b].defaultPriority - CATALOGUE[a].defaultPriority);
    expect(ranked).toEqual([
      "abandoned_checkout",
      "welcome",
      "abandoned_cart",
      "post_purchase",
      "replenishment",
      "browse_abandonment",
      "win_back",
      "re_engagement",
    ]);
  });

  it("builds from edited settings: delays, content, incentive, exits, re-entry, priority", () => {
    const def = buildCatalogueFlow("abandoned_checkout", {
      delaysHours: [2, 20, 48],
      incentive: { value: 15, minCartValue: 100 },
      templates: { email1: "my_reminder" },
      exitEvents: ["checkout_completed", "customer_tagged_vip"],
      reentryDays: 0,
      priority: 120,
    });
    expect(def.priority).toBe(120);
    expect(def.entry.reentry).toEqual({ mode: "always" });
    expect(def.exits.map((e) => e.reason)).toEqual(["checkout_completed", "customer_tagged_vip"]);
    expect(def.steps.find((s) => s.id === "wait_1")).toMatchObject({ duration: { hours: 2 } });
    expect(def.steps.find((s) => s.id === "send_1")).toMatchObject({ templateKey: "my_reminder" });
    expect(def.steps.find((s) => s.id === "check_value")).toMatchObject({ if: { value: 100 } });
    expect(def.steps.find((s) => s.id === "discount_3")).toMatchObject({ value: 15, kind: "percentage", prefix: "COMEBACK" });
    const noOffer = buildCatalogueFlow("abandoned_checkout", { incentive: { enabled: false } });
    expect(noOffer.steps.some((s) => s.type === "create_discount")).toBe(false);
  });

  it("rejects invalid settings", () => {
    expect(() => buildCatalogueFlow("abandoned_checkout", { delaysHours: [24, 1, 72] })).toThrow(/must not decrease/);
    expect(() => buildCatalogueFlow("welcome", { incentive: { prefix: "lower case" } })).toThrow();
  });

  it("a hand-written definition like the catalogue's validates (the admin's custom flows)", () => {
    const custom: FlowDefinitionInput = {
      schemaVersion: 1,
      key: "custom-birthday",
      name: "Birthday",
      trigger: { type: "date", dateField: "birthday", offsetDays: -3 },
      entry: { requiresConsent: "any", reentry: { mode: "window", hours: 24 * 300 } },
      startStepId: "code",
      steps: [
        { id: "code", type: "create_discount", kind: "fixed_amount", value: 20, expiresInHours: 240, prefix: "BDAY", next: "send" },
        { id: "send", type: "send", channel: "email", templateKey: "birthday", discountStepId: "code" },
      ],
    };
    expect(validateFlowDefinition(custom).ok).toBe(true);
  });
});
