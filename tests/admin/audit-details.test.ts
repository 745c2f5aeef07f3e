import { describe, expect, it } from "vitest";
import { auditValue } from "~/components/settings/AuditDetails";
import { translator } from "~/i18n";

// The audit log shows what the app stored in the merchant's language: the fields of a
// nested value (a warm-up ramp) by their labels, and the app's own words for a secret's
// fate; what a merchant typed stays as typed.
describe("audit values", () => {
  const pl = translator("pl");
  const en = translator("en");

  it("names a ramp's fields, in Polish and English", () => {
    expect(auditValue(pl, { firstDay: 50, growth: 2, target: 25600 })).toBe("pierwszego dnia 50, wzrost × 2, cel dziennie 25600");
    expect(auditValue(en, { firstDay: 50, growth: 2, target: 25600 })).toBe("first day 50, growth × 2, daily target 25600");
  });

  it("says a secret changed or was removed in the merchant's language, and leaves other words alone", () => {
    expect(auditValue(pl, "changed")).toBe("zmieniono");
    expect(auditValue(pl, "removed")).toBe("usunięto");
    expect(auditValue(en, "unchanged")).toBe("unchanged");
    expect(auditValue(pl, "Europe/Warsaw")).toBe("Europe/Warsaw");
  });
});
