// The flow page's edits of the entry rules (filter, consent, re-entry, the trigger's
// filter) and the goal: applied into a definition the flow schema validates, errors
// addressed to their row, and each change a readable line of the change log (EN, PL).
import { describe, expect, it } from "vitest";
import { buildCatalogueFlow } from "~/domain/flows";
import { diffDefinitions, diffLineText } from "~/domain/flows/definition-diff";
import { applyEdits, applyEditsTraced, errorsByField } from "~/domain/flows/definition-edits";
import { entryFields, entryFormProblems } from "~/domain/flows/entry-edits";
import { flowTimeline } from "~/domain/flows/timeline";
import { validateFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { translator, type Locale } from "~/i18n";

const w = (locale: Locale) => ({ t: translator(locale), locale });
const text = (a: FlowDefinition, b: FlowDefinition, locale: Locale = "en") => diffDefinitions(a, b, w(locale)).map(diffLineText);

function edit(def: FlowDefinition, form: Record<string, string>): FlowDefinition {
  const check = validateFlowDefinition(applyEdits(def, form));
  if (!check.ok) throw new Error(JSON.stringify(check.errors));
  return check.definition;
}

const checkout = buildCatalogueFlow("abandoned_checkout", {});
const winBack = buildCatalogueFlow("win_back", {});

describe("entry fields", () => {
  it("offers the consent, re-entry, the filter's and the trigger filter's leaves and the goal", () => {
    expect(entryFields(checkout)).toMatchObject({
      consent: "email",
      reentry: { mode: "window", hours: 72 },
      filter: [],
      filterGroup: { root: "entry.conditions", match: "all", leaves: [], flat: true },
      triggerWhere: [{ path: "trigger.where", field: "trigger.completed", op: "neq", value: "true", valueKind: "boolean" }],
      goal: { withinHours: null, exitOnGoal: true },
    });
    expect(entryFields(checkout).filterGroup.choices.map((c) => c.field)).toContain("customer.countryCode");
    expect(entryFields(winBack).filter).toEqual([
      { path: "entry.conditions", field: "customer.ordersCount", op: "gte", value: "1", valueKind: "number" },
    ]);
  });
});

describe("the trigger, entry and goal rows in Polish", () => {
  it("names the catalogue's events and yes/no values in Polish", () => {
    const rows = flowTimeline(checkout, w("pl"));
    expect(rows.find((r) => r.key === "trigger")).toMatchObject({
      title: "Startuje, gdy: rozpoczęcie checkoutu lub zmiana checkoutu",
      detail: "tylko jeśli checkout ukończony ≠ tak",
    });
    expect(rows.find((r) => r.key === "goal")?.title).toBe("Cel: złożenie zamówienia, kończy przepływ");
  });
});

describe("editing the filter and the entry rules", () => {
  it("adds a filter condition: the timeline shows it, the diff names it in EN and PL", () => {
    const v2 = edit(checkout, { "filter/new/field": "customer.ordersCount", "filter/new/op": "eq", "filter/new/value": "0" });
    expect(v2.entry.conditions).toEqual({ field: "customer.ordersCount", op: "eq", value: 0 });
    expect(v2.source?.edited).toBe(true);
    expect(text(checkout, v2)).toEqual(["Flow filter: none → customer's order count = 0"]);
    expect(text(checkout, v2, "pl")).toEqual(["Filtr przepływu: brak → liczba zamówień klienta = 0"]);
    const entry = flowTimeline(v2, w("en")).find((r) => r.key === "entry");
    expect(entry?.detail).toBe("Filter, checked on entry and before every message: customer's order count = 0");

    // A second condition joins the first (all must hold); a string fact keeps its text.
    const v3 = edit(v2, { "filter/new/field": "customer.countryCode", "filter/new/op": "eq", "filter/new/value": "PL" });
    expect(v3.entry.conditions).toEqual({
      all: [
        { field: "customer.ordersCount", op: "eq", value: 0 },
        { field: "customer.countryCode", op: "eq", value: "PL" },
      ],
    });
    expect(text(v2, v3)).toEqual(["Flow filter: customer's order count = 0 → customer's order count = 0 and customer's country code = PL"]);

    // Edit one leaf, remove the other: back to one condition.
    const v4 = edit(v3, {
      "leaf/entry.conditions.all.0/value": "2",
      "leaf/entry.conditions.all.0/op": "lt",
      "leaf/entry.conditions.all.1/remove": "on",
    });
    expect(v4.entry.conditions).toEqual({ all: [{ field: "customer.ordersCount", op: "lt", value: 2 }] });
    // Removing the last one drops the filter.
    const v5 = edit(v4, { "leaf/entry.conditions.all.0/remove": "on" });
    expect(v5.entry.conditions).toBeUndefined();
    expect(text(v4, v5)).toEqual(["Flow filter: customer's order count < 2 → none"]);
  });

  it("edits win-back's own filter leaf in place", () => {
    const v2 = edit(winBack, { "leaf/entry.conditions/value": "2" });
    expect(v2.entry.conditions).toEqual({ field: "customer.ordersCount", op: "gte", value: 2 });
    expect(text(winBack, v2)).toEqual(["Flow filter: customer's order count ≥ 1 → customer's order count ≥ 2"]);
  });

  it("consent, re-entry, the trigger's filter and the goal each read as a line", () => {
    const v2 = edit(checkout, {
      "entry/consent": "any",
      "entry/reentry": "never",
      "leaf/trigger.where/op": "eq",
      "goal/withinHours": "72",
      "goal/exitOnGoal": "false",
    });
    expect(v2.entry).toMatchObject({ requiresConsent: "any", reentry: { mode: "never" } });
    expect(v2.goal).toMatchObject({ withinHours: 72, exitOnGoal: false });
    expect(text(checkout, v2)).toEqual([
      "Trigger filter: checkout completed ≠ true → checkout completed = true",
      "Consent needed to enter: Email marketing → Email or SMS marketing",
      "Re-entry: enters at most once per 3 days → enters once per customer",
      "Goal window: while in the flow → 3 d",
      "When the goal is reached: ends the flow → recorded, the flow goes on",
    ]);
    expect(text(checkout, v2, "pl")).toEqual([
      "Filtr wyzwalacza: checkout ukończony ≠ tak → checkout ukończony = tak",
      "Zgoda wymagana do wejścia: Marketing e-mailowy → Marketing e-mailowy lub SMS",
      "Ponowne wejście: klient wchodzi najwyżej raz na 3 dni → klient wchodzi tylko raz",
      "Okno celu: cały pobyt w przepływie → 3 dni",
      "Gdy cel zostanie osiągnięty: kończy przepływ → jest odnotowywany, przepływ trwa dalej",
    ]);
    const v3 = edit(v2, { "entry/reentry": "window", "entry/reentryHours": "12", "goal/withinHours": "" });
    expect(v3.entry.reentry).toEqual({ mode: "window", hours: 12 });
    expect(v3.goal?.withinHours).toBeUndefined();
  });

  it("refuses what the schema refuses, next to the exact field, in the merchant's words", () => {
    const form = { "entry/reentry": "window", "entry/reentryHours": "", "goal/withinHours": "-5" };
    const { definition, trace } = applyEditsTraced(checkout, form);
    const check = validateFlowDefinition(definition);
    expect(check.ok).toBe(false);
    const errors = check.ok ? [] : check.errors;
    expect(Object.keys(errorsByField(errors, trace)).sort()).toEqual(["entry/reentryHours", "goal/withinHours"]);
    expect(errorsByField(errors, trace, w("en"))).toEqual({
      "entry/reentryHours": ["Enter a number."],
      "goal/withinHours": ["Enter a number greater than 0."],
    });
    expect(errorsByField(errors, trace, w("pl"))).toEqual({
      "entry/reentryHours": ["Wpisz liczbę."],
      "goal/withinHours": ["Wpisz liczbę większą niż 0."],
    });
    expect(entryFormProblems({ "filter/new/field": "customer.countryCode", "filter/new/op": "eq", "filter/new/value": " " })).toEqual([
      { path: "filter/new/value", message: "the new condition needs a value" },
    ]);
    expect(errorsByField(entryFormProblems({ "filter/new/field": "customer.ordersCount" }), undefined, w("pl"))).toEqual({
      "filter/new/value": ["Wpisz wartość nowego warunku."],
    });
    expect(entryFormProblems({ "filter/new/field": "customer.secret" })[0]).toMatchObject({ path: "filter/new/field" });
  });

  it("a filter leaf's error lands on the leaf the merchant typed in, even after an earlier one was removed", () => {
    const two = edit(checkout, { "filter/new/field": "customer.ordersCount", "filter/new/op": "eq", "filter/new/value": "0" });
    const three = edit(two, { "filter/new/field": "customer.totalSpent", "filter/new/op": "gte", "filter/new/value": "10" });
    // Leaf 0 removed, leaf 1 given no number: the schema sees it at all.0, the page shows it at all.1.
    const form = { "leaf/entry.conditions.all.0/remove": "on", "leaf/entry.conditions.all.1/value": "abc" };
    const { definition, trace } = applyEditsTraced(three, form);
    const check = validateFlowDefinition(definition);
    expect(check.ok ? [] : check.errors.map((e) => e.path)).toEqual(["entry.conditions.all[0].value"]);
    expect(errorsByField(check.ok ? [] : check.errors, trace, w("en"))).toEqual({
      "leaf/entry.conditions.all.1/value": ["Enter a number."],
    });
    // A new leaf's bad value is the new condition's Value field.
    const added = applyEditsTraced(three, { "filter/new/field": "customer.ordersCount", "filter/new/op": "gt", "filter/new/value": "x" });
    const bad = validateFlowDefinition(added.definition);
    expect(errorsByField(bad.ok ? [] : bad.errors, added.trace, w("pl"))).toEqual({ "filter/new/value": ["Wpisz liczbę."] });
  });

  it("switches the filter between all and any", () => {
    const two = edit(edit(checkout, { "filter/new/field": "customer.ordersCount", "filter/new/op": "eq", "filter/new/value": "0" }), {
      "filter/new/field": "customer.countryCode",
      "filter/new/op": "eq",
      "filter/new/value": "PL",
      "filter/match": "any",
    });
    expect(two.entry.conditions).toEqual({
      any: [
        { field: "customer.ordersCount", op: "eq", value: 0 },
        { field: "customer.countryCode", op: "eq", value: "PL" },
      ],
    });
    const back = edit(two, { "filter/match": "all" });
    expect(text(two, back)).toEqual([
      "Flow filter: customer's order count = 0 or customer's country code = PL → customer's order count = 0 and customer's country code = PL",
    ]);
  });
});
