import { describe, expect, it } from "vitest";
import { en } from "~/i18n/en";
import { pl } from "~/i18n/pl";

describe("report labels", () => {
  it("every decision reason the customers page explains has a short name in the reports, in both languages", () => {
    const explained = Object.keys(en)
      .filter((k) => k.startsWith("why.reason."))
      .map((k) => k.slice("why.reason.".length))
      // Not reasons a report breaks down: sends and entries are the funnel itself; "other" is the fallback.
      .filter((code) => !["trigger", "allowed", "other"].includes(code));
    const missing = explained.filter((code) => !(`report.reason.${code}` in en));
    expect(missing).toEqual([]);
    for (const code of explained) expect(pl[`report.reason.${code}` as keyof typeof pl], code).toBeTruthy();
  });
});
