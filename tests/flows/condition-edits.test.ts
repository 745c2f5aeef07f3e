// A condition step (and a split branch) edited on the flow page like the flow filter:
// a condition added, one removed, all/any switched; the result validated by the flow
// schema, read on the timeline and in the change log (EN, PL), and a refused edit
// addressed to the exact field the merchant typed in.
import { describe, expect, it } from "vitest";
import { buildCatalogueFlow } from "~/domain/flows";
import { diffDefinitions, diffLineText } from "~/domain/flows/definition-diff";
import { applyEditsTraced, editableFields, errorsByField, formProblems } from "~/domain/flows/definition-edits";
import { flowTimeline } from "~/domain/flows/timeline";
import { validateFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { translator, type Locale } from "~/i18n";

const w = (locale: Locale) => ({ t: translator(locale), locale });
const text = (a: FlowDefinition, b: FlowDefinition, locale: Locale = "en") => diffDefinitions(a, b, w(locale)).map(diffLineText);

function edit(def: FlowDefinition, form: Record<string, string>): FlowDefinition {
  const problems = formProblems(def, form);
  if (problems.length) throw new Error(JSON.stringify(problems));
  const check = validateFlowDefinition(applyEditsTraced(def, form).definition);
  if (!check.ok) throw new Error(JSON.stringify(check.errors));
  return check.definition;
}
function refused(def: FlowDefinition, form: Record<string, string>, locale: Locale = "en") {
  const { definition, trace } = applyEditsTraced(def, form);
  const check = validateFlowDefinition(definition);
  return errorsByField([...formProblems(def, form), ...(check.ok ? [] : check.errors)], trace, w(locale));
}

const checkout = buildCatalogueFlow("abandoned_checkout", {});
const stepOf = (d: FlowDefinition, id: string) => d.steps.find((s) => s.id === id) as { if?: unknown; branches?: { when: unknown }[] };
const title = (d: FlowDefinition, id: string, locale: Locale = "en") => flowTimeline(d, w(locale)).find((r) => r.stepId === id)?.title;

describe("a condition step edited like the flow filter", () => {
  it("offers the customer facts and the step's own fields to add", () => {
    const g = editableFields(checkout).check_value!.groups![0]!;
    expect(g.choices.map((c) => c.field)).toEqual(
      expect.arrayContaining(["customer.countryCode", "customer.ordersCount", "trigger.value"]),
    );
  });

  it("adds a condition (any of them), shown on the timeline and in the change log, EN and PL", () => {
    const v2 = edit(checkout, {
      "cond/check_value/if/match": "any",
      "cond/check_value/if/new/field": "customer.countryCode",
      "cond/check_value/if/new/op": "eq",
      "cond/check_value/if/new/value": "PL",
    });
    expect(stepOf(v2, "check_value").if).toEqual({
      any: [
        { field: "trigger.value", op: "gte", value: 50 },
        { field: "customer.countryCode", op: "eq", value: "PL" },
      ],
    });
    expect(v2.source?.edited).toBe(true);
    expect(title(v2, "check_value")).toBe("If checkout value ≥ 50 or customer's country code = PL");
    expect(text(checkout, v2)).toEqual([
      "Checkout worth an incentive?: checkout value ≥ 50 → checkout value ≥ 50 or customer's country code = PL",
    ]);
    expect(text(checkout, v2, "pl")).toEqual([
      "Koszyk wart zachęty?: wartość checkoutu ≥ 50 → wartość checkoutu ≥ 50 lub kod kraju klienta = PL",
    ]);

    // Switched to all, a third added, the first removed.
    const v3 = edit(v2, {
      "cond/check_value/if/match": "all",
      "cond/check_value/if.any.0/remove": "on",
      "cond/check_value/if/new/field": "customer.ordersCount",
      "cond/check_value/if/new/op": "eq",
      "cond/check_value/if/new/value": "0",
    });
    expect(stepOf(v3, "check_value").if).toEqual({
      all: [
        { field: "customer.countryCode", op: "eq", value: "PL" },
        { field: "customer.ordersCount", op: "eq", value: 0 },
      ],
    });
    expect(editableFields(v3).check_value!.groups![0]).toMatchObject({ match: "all", flat: true });
  });

  it("refuses a step left without a condition, and a condition added without a value, next to the field", () => {
    const none = refused(checkout, { "cond/check_value/if/remove": "on" });
    expect(none.check_value).toHaveLength(1);
    expect(none.check_value![0]).toMatch(/^if: /);
    expect(refused(checkout, { "cond/check_value/if/new/field": "customer.ordersCount" }, "pl")).toEqual({
      "cond/check_value/if/new/value": ["Wpisz wartość nowego warunku."],
    });
    expect(refused(checkout, { "cond/check_value/if/value": "" })).toEqual({ "cond/check_value/if/value": ["Enter a number."] });
    // After a removal shifted the indices, the error is still the field typed in.
    const two = edit(checkout, {
      "cond/check_value/if/new/field": "customer.totalSpent",
      "cond/check_value/if/new/op": "gte",
      "cond/check_value/if/new/value": "100",
    });
    expect(refused(two, { "cond/check_value/if.all.0/remove": "on", "cond/check_value/if.all.1/value": "lots" }, "pl")).toEqual({
      "cond/check_value/if.all.1/value": ["Wpisz liczbę."],
    });
  });
});

describe("a split's branches", () => {
  // The incentive step as a split: big checkouts to the discount, the rest on.
  const split: FlowDefinition = {
    ...checkout,
    steps: checkout.steps.map((s) =>
      s.id === "check_value"
        ? {
            id: "check_value",
            type: "split",
            label: "Who gets an incentive?",
            branches: [
              { when: { field: "trigger.value", op: "gte", value: 50 }, next: "discount_3", label: "Big checkouts" },
              { when: { field: "customer.ordersCount", op: "eq", value: 0 }, next: "discount_3" },
            ],
            otherwise: "send_3",
          }
        : s,
    ),
  };

  it("edits each branch's condition as its own, with a change-log line per branch", () => {
    expect(validateFlowDefinition(split).ok).toBe(true);
    expect(editableFields(split).check_value!.groups!.map((g) => [g.root, g.label])).toEqual([
      ["branches.0.when", "Big checkouts"],
      ["branches.1.when", undefined],
    ]);
    const v2 = edit(split, {
      "cond/check_value/branches.1.when/new/field": "customer.countryCode",
      "cond/check_value/branches.1.when/new/op": "eq",
      "cond/check_value/branches.1.when/new/value": "PL",
    });
    expect(stepOf(v2, "check_value").branches![1]!.when).toEqual({
      all: [
        { field: "customer.ordersCount", op: "eq", value: 0 },
        { field: "customer.countryCode", op: "eq", value: "PL" },
      ],
    });
    expect(text(split, v2)).toEqual([
      "Who gets an incentive?, Branch 2: customer's order count = 0 → customer's order count = 0 and customer's country code = PL",
    ]);
    expect(text(split, v2, "pl")).toEqual([
      "Who gets an incentive?, Gałąź 2: liczba zamówień klienta = 0 → liczba zamówień klienta = 0 i kod kraju klienta = PL",
    ]);
  });
});
