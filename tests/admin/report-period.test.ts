import { describe, expect, it } from "vitest";
import { csvFilename, parseCsv, toCsv } from "~/domain/measurement/csv";
import { parsePeriod, periodDays, periodQuery, MAX_DAYS } from "~/domain/measurement/report-period";

const today = new Date("2026-12-07T00:00:00Z");
const p = (q: string) => {
  const r = parsePeriod(new URLSearchParams(q), today);
  return { kind: r.kind, from: r.from.toISOString().slice(0, 10), to: r.to.toISOString().slice(0, 10) };
};

describe("report period", () => {
  it("the last 7, 30, 90 days include today; anything else is the last 30 days", () => {
    expect(p("period=7")).toEqual({ kind: "7", from: "2026-12-01", to: "2026-12-07" });
    expect(p("period=30")).toEqual({ kind: "30", from: "2026-11-08", to: "2026-12-07" });
    expect(p("period=90")).toEqual({ kind: "90", from: "2026-09-09", to: "2026-12-07" });
    for (const q of ["", "period=365", "period=custom", "period=custom&from=2026-11-01", "period=custom&from=x&to=y"]) {
      expect(p(q)).toEqual({ kind: "30", from: "2026-11-08", to: "2026-12-07" });
    }
  });

  it("a custom period is put in order, ends today at the latest, refuses impossible dates and is cut to MAX_DAYS", () => {
    expect(p("period=custom&from=2026-11-01&to=2026-11-03")).toEqual({ kind: "custom", from: "2026-11-01", to: "2026-11-03" });
    expect(p("period=custom&from=2026-11-03&to=2026-11-01")).toEqual({ kind: "custom", from: "2026-11-01", to: "2026-11-03" });
    expect(p("period=custom&from=2026-12-01&to=2027-01-10")).toEqual({ kind: "custom", from: "2026-12-01", to: "2026-12-07" });
    expect(p("period=custom&from=2027-01-01&to=2027-01-10")).toEqual({ kind: "custom", from: "2026-12-07", to: "2026-12-07" });
    expect(p("period=custom&from=2026-02-31&to=2026-03-03").kind).toBe("30");
    const long = parsePeriod(new URLSearchParams("period=custom&from=2020-01-01&to=2026-12-07"), today);
    expect(periodDays(long)).toHaveLength(MAX_DAYS);
    expect(periodQuery(long).get("to")).toBe("2026-12-07");
  });

  it("lists every day once, across a DST change (days are UTC dates)", () => {
    const days = periodDays(parsePeriod(new URLSearchParams("period=custom&from=2026-10-24&to=2026-10-27"), today));
    expect(days.map((d) => d.toISOString())).toEqual([
      "2026-10-24T00:00:00.000Z",
      "2026-10-25T00:00:00.000Z",
      "2026-10-26T00:00:00.000Z",
      "2026-10-27T00:00:00.000Z",
    ]);
  });
});

describe("report CSV", () => {
  it("writes a header row, plain numbers, money with 2 decimals, quotes what needs quoting, and reads back", () => {
    const text = toCsv(
      ["Flow", "Sent", "Revenue", "Rate"],
      [
        ['Welcome, "first"', 1234, { money: 820.5 }, 0.25],
        ["line\nbreak", -3, { money: -0.004 }, null],
      ],
    );
    expect(text).toBe('Flow,Sent,Revenue,Rate\r\n"Welcome, ""first""",1234,820.50,0.25\r\n"line\nbreak",-3,0.00,\r\n');
    expect(parseCsv(text)).toEqual([
      ["Flow", "Sent", "Revenue", "Rate"],
      ['Welcome, "first"', "1234", "820.50", "0.25"],
      ["line\nbreak", "-3", "0.00", ""],
    ]);
  });

  it("defuses text a spreadsheet would run as a formula, never a number", () => {
    expect(parseCsv(toCsv(["a", "b"], [["=HYPERLINK(1)", -5]]))[1]).toEqual(["'=HYPERLINK(1)", "-5"]);
  });

  it("names files with safe characters only", () => {
    expect(csvFilename("flowmate", "porzucony koszyk / ł", "daily", "2026-11-08")).toBe("flowmate_porzucony-koszyk-l_daily_2026-11-08.csv");
  });
});
