// The change log's diff between two versions of a flow, and the page's in-place edits
// (built into a definition, then validated by the flow schema).
import { describe, expect, it } from "vitest";
import { buildCatalogueFlow } from "~/domain/flows";
import { diffDefinitions, diffLineText } from "~/domain/flows/definition-diff";
import { applyEdits, editableFields, errorsByField } from "~/domain/flows/definition-edits";
import { validateFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { translator, type Locale } from "~/i18n";

const w = (locale: Locale) => ({ t: translator(locale), locale });
const text = (a: FlowDefinition, b: FlowDefinition, locale: Locale = "en") => diffDefinitions(a, b, w(locale)).map(diffLineText);

describe("diffDefinitions", () => {
  const v1 = buildCatalogueFlow("abandoned_checkout", {});

  it("says nothing for equal definitions", () => {
    expect(text(v1, buildCatalogueFlow("abandoned_checkout", {}))).toEqual([]);
  });

  it("names a changed wait by the message it comes before, and a changed discount by its value", () => {
    const v2 = buildCatalogueFlow("abandoned_checkout", {
      delaysHours: [1, 36, 72],
      incentive: { value: 15 },
      priority: 70,
    });
    expect(text(v1, v2)).toEqual(["Priority: 100 → 70", "Wait before email 2: 24 h → 36 h", "Discount: 10% → 15%"]);
    expect(text(v1, v2, "pl")).toContain("Czekanie przed: e-mail 2: 24 godz. → 36 godz.");
  });

  it("reports condition thresholds, expiry, added and removed steps", () => {
    const v2 = buildCatalogueFlow("abandoned_checkout", { incentive: { minCartValue: 80, expiresInHours: 72 } });
    expect(text(v1, v2)).toEqual([
      "Checkout worth an incentive?: checkout value ≥ 50 → checkout value ≥ 80",
      "Discount: expiry: 2 d → 3 d",
    ]);
    const noOffer = buildCatalogueFlow("abandoned_checkout", { incentive: { enabled: false } });
    const lines = text(v1, noOffer);
    expect(lines).toEqual(
      expect.arrayContaining([
        "Step removed: Checkout worth an incentive?",
        "Step removed: Discount",
        "Step removed: Email 3",
        "Wait before email 3 changed",
      ]),
    );
  });

  it("reports exits and a send's settings", () => {
    const v2 = structuredClone(v1);
    v2.exits = [{ events: ["checkout_completed", "order_placed"], reason: "checkout_completed" }];
    const send = v2.steps.find((s) => s.id === "send_1")!;
    if (send.type === "send") send.maxDeferHours = null;
    expect(text(v1, v2)).toEqual([
      "Email 1: drop when postponed by more than: 24 h → never",
      "Exits: checkout completed → checkout completed or order placed",
    ]);
  });
});

describe("in-place edits", () => {
  const v1 = buildCatalogueFlow("abandoned_checkout", {});

  it("offers each step's fields and applies them into a valid, marked definition", () => {
    const fields = editableFields(v1);
    expect(fields.wait_2!.wait).toEqual({ amount: 24, unit: "hours" });
    expect(fields.check_value!.groups?.[0]).toMatchObject({
      root: "if",
      match: "all",
      flat: true,
      leaves: [{ path: "if", field: "trigger.value", op: "gte", value: "50", valueKind: "number" }],
    });
    expect(fields.discount_3!.discount).toEqual({ kind: "percentage", value: 10, expiresInHours: 48 });
    const edited = applyEdits(v1, {
      "wait/wait_2/amount": "36",
      "wait/wait_2/unit": "hours",
      "cond/check_value/if/op": "gt",
      "cond/check_value/if/value": "75",
      "discount/discount_3/value": "15",
      "send/send_1/maxDeferHours": "",
      priority: "55",
      "exit/0/events": "checkout_completed, order_placed",
    });
    const r = validateFlowDefinition(edited);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.definition.source?.edited).toBe(true);
    expect(r.definition.priority).toBe(55);
    expect(text(v1, r.definition)).toEqual([
      "Priority: 100 → 55",
      "Email 1: drop when postponed by more than: 24 h → never",
      "Wait before email 2: 24 h → 36 h",
      "Checkout worth an incentive?: checkout value ≥ 50 → checkout value > 75",
      "Discount: 10% → 15%",
      "Exits: checkout completed → checkout completed or order placed",
    ]);
    expect(v1.steps.find((s) => s.id === "wait_2")).toMatchObject({ duration: { hours: 24 } });
  });

  it("an invalid edit fails the schema, with each error addressed to its field", () => {
    const edited = applyEdits(v1, {
      "wait/wait_2/amount": "0",
      "discount/discount_3/expiresInHours": "abc",
      priority: "5000",
      "exit/0/events": "",
    });
    const r = validateFlowDefinition(edited);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = errorsByField(r.errors);
    expect(byField["wait/wait_2/amount"]).toEqual(["a duration must be longer than zero"]);
    expect(byField["discount/discount_3/expiresInHours"]).toHaveLength(1);
    expect(byField.priority?.[0]).toMatch(/1000/);
    expect(byField["exit/0/events"]).toHaveLength(1);
    // In the merchant's words, under the field.
    const pl = errorsByField(r.errors, undefined, { t: translator("pl"), locale: "pl" });
    expect(pl["wait/wait_2/amount"]).toEqual(["Wpisz czas dłuższy niż zero."]);
    expect(pl["discount/discount_3/expiresInHours"]).toEqual(["Wpisz liczbę."]);
    expect(pl.priority).toEqual(["Wpisz liczbę nie większą niż 1000."]);
  });
});
