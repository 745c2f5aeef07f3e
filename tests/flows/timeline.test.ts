// The flow page's timeline: every catalogue flow (defaults, and with its options on)
// read as rows in EN and PL, each reachable step drawn exactly once.
import { describe, expect, it } from "vitest";
import { CATALOGUE, CATALOGUE_KEYS, buildCatalogueFlow } from "~/domain/flows";
import { storedNote } from "~/domain/flows/stored-words";
import { flowTimeline } from "~/domain/flows/timeline";
import { parseFlowDefinition, reachableStepIds } from "~/domain/journey";
import { translator, type Locale } from "~/i18n";

const w = (locale: Locale) => ({ t: translator(locale), locale });
/** The labels the catalogue writes into definitions, in English (read from the catalogue). */
const ENGLISH_LABELS = CATALOGUE_KEYS.flatMap((k) =>
  CATALOGUE[k].buildFlow(undefined, {}).steps.flatMap((s) => ("label" in s && typeof s.label === "string" ? [s.label] : [])),
);

describe("flowTimeline", () => {
  for (const key of CATALOGUE_KEYS)
    for (const locale of ["en", "pl"] as const)
      it(`${key} (${locale}): trigger first, each reachable step once, exits and goal last, no placeholder left`, () => {
        const def = CATALOGUE[key].buildFlow(undefined, {});
        const rows = flowTimeline(def, w(locale));
        expect(rows[0]!.kind).toBe("trigger");
        expect(rows[1]!.kind).toBe("entry");
        const stepRows = rows.filter((r) => r.stepId);
        expect(stepRows.map((r) => r.stepId).sort()).toEqual([...reachableStepIds(def)].sort());
        expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
        expect(rows.filter((r) => r.kind === "exit_rule")).toHaveLength(def.exits.length);
        if (def.goal) expect(rows.at(-1)!.kind).toBe("goal");
        for (const r of rows) {
          expect(r.title, JSON.stringify(r)).not.toMatch(/\{\w+\}|undefined|NaN/);
          if (r.detail) expect(r.detail).not.toMatch(/\{\w+\}|undefined/);
        }
      });

  it("reads the abandoned checkout as a merchant would, with the incentive branch indented", () => {
    const rows = flowTimeline(buildCatalogueFlow("abandoned_checkout", {}), w("en"));
    const line = (id: string) => rows.find((r) => r.stepId === id)!;
    expect(rows[0]!.title).toBe("Starts when checkout started or checkout updated");
    expect(rows[0]!.detail).toBe("only if checkout completed ≠ true");
    expect(line("wait_1")).toMatchObject({ depth: 0, title: "Wait 1 hour after the checkout", name: "Wait before email 1" });
    expect(line("wait_2").title).toBe("Wait 24 hours after the checkout");
    expect(line("send_2")).toMatchObject({ title: "Send Email 2", kind: "send" });
    expect(line("check_value")).toMatchObject({ depth: 0, title: "If checkout value ≥ 50" });
    expect(line("discount_3")).toMatchObject({ depth: 1, branch: "Yes", title: "Create a discount: 10%, valid 2 days" });
    expect(line("send_3_offer")).toMatchObject({ depth: 1, title: "Send Email 3 with the discount" });
    expect(line("send_3")).toMatchObject({ depth: 1, branch: "No", title: "Send Email 3" });
    expect(rows.find((r) => r.kind === "exit_rule")!.title).toBe("Leaves the flow when checkout completed");
    expect(rows.at(-1)!.title).toBe("Goal: order placed, ends the flow");
  });

  it("speaks Polish with Polish plurals", () => {
    const rows = flowTimeline(buildCatalogueFlow("abandoned_checkout", { delaysHours: [1, 24, 72] }), w("pl"));
    const line = (id: string) => rows.find((r) => r.stepId === id)!;
    expect(line("wait_1").title).toBe("Czekaj 1 godzinę od: rozpoczęcia checkoutu");
    expect(line("wait_2").title).toBe("Czekaj 24 godziny od: rozpoczęcia checkoutu");
    expect(line("wait_3").title).toBe("Czekaj 72 godziny od: rozpoczęcia checkoutu");
    expect(line("check_value").title).toBe("Jeśli wartość checkoutu ≥ 50");
    expect(line("send_3")).toMatchObject({ branch: "Nie", title: "Wyślij: E-mail 3" });
    const days = flowTimeline(buildCatalogueFlow("win_back", {}), w("pl"));
    expect(days.find((r) => r.stepId === "wait_2")!.title).toBe("Czekaj 7 dni");
  });

  it("shows the catalogue's own stored labels in Polish, and a merchant's own label as typed", () => {
    const def = buildCatalogueFlow("abandoned_checkout", {});
    expect(flowTimeline(def, w("en")).find((r) => r.stepId === "check_value")!.detail).toBe("Checkout worth an incentive?");
    expect(flowTimeline(def, w("pl")).find((r) => r.stepId === "check_value")!.detail).toBe("Koszyk wart zachęty?");
    for (const key of CATALOGUE_KEYS)
      for (const r of flowTimeline(CATALOGUE[key].buildFlow(undefined, {}), w("pl")))
        for (const text of [r.title, r.detail, r.branch, r.name])
          expect(ENGLISH_LABELS, `${key}: ${JSON.stringify(r)}`).not.toContain(text);
    const own = { ...def, steps: def.steps.map((s) => (s.id === "check_value" ? { ...s, label: "Mój warunek" } : s)) };
    expect(flowTimeline(own, w("pl")).find((r) => r.stepId === "check_value")!.detail).toBe("Mój warunek");
  });

  it("shows the app's own change notes in Polish, a merchant's note as typed", () => {
    expect(storedNote("Rollback to version 3", w("pl"))).toBe("Przywrócenie wersji 3");
    expect(storedNote("Catalogue defaults", w("pl"))).toBe("Ustawienia domyślne z katalogu");
    expect(storedNote("Rollback to version 3", w("en"))).toBe("Rollback to version 3");
    expect(storedNote("Krótsze przerwy", w("pl"))).toBe("Krótsze przerwy");
    expect(storedNote(null, w("pl"))).toBeNull();
  });

  it("draws waits for events with both outcomes, A/B splits with their shares, and joins once", () => {
    const def = parseFlowDefinition({
      schemaVersion: 1,
      key: "custom-x",
      name: "X",
      trigger: { type: "event", events: ["order_placed"] },
      startStepId: "ab",
      steps: [
        {
          id: "ab",
          type: "ab_split",
          variants: [
            { key: "a", weight: 1, next: "w_a" },
            { key: "b", weight: 3, next: "w_b" },
          ],
        },
        { id: "w_a", type: "wait", duration: { hours: 1 }, next: "s" },
        { id: "w_b", type: "wait", duration: { minutes: 90 }, next: "s" },
        { id: "s", type: "send", channel: "sms", templateKey: "t", next: "ev" },
        { id: "ev", type: "wait_for_event", events: ["fulfillment_created"], timeout: { days: 14 }, onEvent: "bye" },
        { id: "bye", type: "exit", reason: "done" },
      ],
    });
    const rows = flowTimeline(def, w("en"));
    expect(rows.filter((r) => r.branch).map((r) => r.branch)).toEqual(["Variant a (25%)", "It happened", "Timed out", "Variant b (75%)"]);
    expect(rows.find((r) => r.stepId === "w_b")!.title).toBe("Wait 90 minutes");
    expect(rows.find((r) => r.kind === "goto")).toMatchObject({ depth: 1, title: "Continue at: SMS 1" });
    expect(rows.find((r) => r.stepId === "ev")!.title).toBe("Wait up to 14 days for fulfillment created");
    expect(rows.find((r) => r.branch === "Timed out")).toMatchObject({ kind: "end", depth: 2 });
  });
});
