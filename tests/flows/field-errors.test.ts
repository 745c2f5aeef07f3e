// Which form field of the flow page a schema error is shown under, and its wording in
// English and Polish (app/domain/flows/field-errors.ts).
import { describe, expect, it } from "vitest";
import type { EditTrace } from "~/domain/flows/condition-groups";
import { fieldMessage, fieldOfPath, normalizePath } from "~/domain/flows/field-errors";
import { translator, type Locale } from "~/i18n";

const w = (locale: Locale) => ({ t: translator(locale), locale });

describe("path -> field", () => {
  it.each([
    ["priority", "priority"],
    ["entry.requiresConsent", "entry/consent"],
    ["entry.reentry", "entry/reentry"],
    ["entry.reentry.hours", "entry/reentryHours"],
    ["goal.withinHours", "goal/withinHours"],
    ["goal.exitOnGoal", "goal/exitOnGoal"],
    ["entry.conditions.value", "leaf/entry.conditions/value"],
    ["entry.conditions.all[2].value", "leaf/entry.conditions.all.2/value"],
    ["entry.conditions.any[0].not.op", "leaf/entry.conditions.any.0.not/op"],
    ["trigger.where.op", "leaf/trigger.where/op"],
    ["exits[1].events", "exit/1/events"],
    ["steps[3] (wait_2).duration", "wait/wait_2/amount"],
    ["steps[3] (wait.for.it).timeout.hours", "wait/wait.for.it/amount"],
    ["steps[5] (discount_3).expiresInHours", "discount/discount_3/expiresInHours"],
    ["steps[1] (send_1).maxDeferHours", "send/send_1/maxDeferHours"],
    ["steps[6] (check_value).if.all[1].value", "cond/check_value/if.all.1/value"],
    ["steps[6] (check_value).branches[1].when.op", "cond/check_value/branches.1.when/op"],
    ["filter/new/value", "filter/new/value"],
  ])("%s -> %s", (path, field) => {
    expect(fieldOfPath(path)).toBe(field);
  });

  it.each([["entry.conditions"], ["steps[6] (check_value).if"], ["steps[2] (send_1).templateKey"], ["startStepId"], ["trigger.events"]])(
    "%s is about a whole condition, step or row: no single field",
    (path) => expect(fieldOfPath(path)).toBeNull(),
  );

  it("follows the trace: the field the leaf came from, a new leaf's own fields", () => {
    const trace: EditTrace = new Map([
      ["entry.conditions.all.0", "leaf/entry.conditions.all.1"],
      ["entry.conditions.all.1", "filter/new"],
      ["step:check_value/if.any.1", "cond/check_value/if/new"],
    ]);
    expect(fieldOfPath("entry.conditions.all[0].value", trace)).toBe("leaf/entry.conditions.all.1/value");
    expect(fieldOfPath("entry.conditions.all[1].value", trace)).toBe("filter/new/value");
    expect(fieldOfPath("entry.conditions.all[1].field", trace)).toBe("filter/new/field");
    expect(fieldOfPath("steps[6] (check_value).if.any[1].value", trace)).toBe("cond/check_value/if/new/value");
    expect(normalizePath("steps[6] (check_value).if.any[1]")).toBe("step:check_value/if.any.1");
  });
});

describe("the message under the field", () => {
  it.each([
    ["Invalid input: expected number, received NaN", "entry/reentryHours", "Enter a number.", "Wpisz liczbę."],
    ["Too small: expected number to be >0", "goal/withinHours", "Enter a number greater than 0.", "Wpisz liczbę większą niż 0."],
    ["Too small: expected number to be >=1", "priority", "Enter a number of at least 1.", "Wpisz liczbę nie mniejszą niż 1."],
    ["Too big: expected number to be <=100", "discount/d/value", "Enter a number of at most 100.", "Wpisz liczbę nie większą niż 100."],
    ["Invalid input: expected string, received number", "leaf/entry.conditions/value", "Enter a number.", "Wpisz liczbę."],
    ["the new condition needs a value", "filter/new/value", "Enter a value for the new condition.", "Wpisz wartość nowego warunku."],
    ["a duration must be longer than zero", "wait/w/amount", "Enter a time longer than zero.", "Wpisz czas dłuższy niż zero."],
  ])("%s on %s", (message, field, en, pl) => {
    expect(fieldMessage(message, field, w("en"))).toBe(en);
    expect(fieldMessage(message, field, w("pl"))).toBe(pl);
  });

  it("keeps the schema's own words where it has no common form", () => {
    expect(fieldMessage("something unusual", "entry/consent", w("pl"))).toBe("something unusual");
  });
});
