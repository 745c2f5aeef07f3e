import { describe, expect, it } from "vitest";
import { estimateSmsCost, smsPricePerSegment } from "~/domain/sms/cost";
import { parseSmsKeyword } from "~/domain/sms/keywords";
import { withOptOutFooter } from "~/domain/sms/opt-out";
import { isWithinSmsWindow, nextSmsSendTime } from "~/domain/sms/quiet-hours";
import { countSmsSegments } from "~/domain/sms/segments";
import { decodeSmsLinkCode, encodeSmsLinkCode, findSmsUrls, replaceSmsUrls, SMS_LINK_CODE_LENGTH } from "~/domain/sms/short-links";
import { estimatedSmsBody } from "~/domain/sms/estimate";

describe("SMS segments (GSM-7 vs UCS-2)", () => {
  it("fits 160 GSM-7 characters in one segment and splits 161 into 153 + 8", () => {
    expect(countSmsSegments("a".repeat(160))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1, perSegment: 160, remaining: 0 });
    expect(countSmsSegments("a".repeat(161))).toMatchObject({
      encoding: "GSM-7",
      units: 161,
      segments: 2,
      perSegment: 153,
      remaining: 153 - 8,
    });
    expect(countSmsSegments("a".repeat(306)).segments).toBe(2);
    expect(countSmsSegments("a".repeat(307)).segments).toBe(3);
    expect(countSmsSegments("").segments).toBe(0);
  });

  it("fits 70 UCS-2 characters in one segment and splits 71 into 67 + 4", () => {
    expect(countSmsSegments("ą".repeat(70))).toMatchObject({ encoding: "UCS-2", units: 70, segments: 1, perSegment: 70 });
    expect(countSmsSegments("ą".repeat(71))).toMatchObject({
      encoding: "UCS-2",
      units: 71,
      segments: 2,
      perSegment: 67,
      remaining: 67 - 4,
    });
  });

  it("sends a Polish sentence as UCS-2 and names the characters that forced it", () => {
    const text = "Dziękujemy za zakupy! Twój kod -10% na kolejne zamówienie: WITAJ-7KQ4M2XA. Ważny do niedzieli.";
    const c = countSmsSegments(text);
    expect(c.encoding).toBe("UCS-2");
    expect(c.units).toBe(text.length);
    expect(text.length).toBeGreaterThan(70);
    expect(c.segments).toBe(Math.ceil(text.length / 67));
    expect(c.nonGsmCharacters.sort()).toEqual(["ó", "ę", "ż"].sort());
    // The same text without diacritics is GSM-7 and one segment.
    expect(
      countSmsSegments("Dziekujemy za zakupy! Twoj kod -10% na kolejne zamowienie: WITAJ-7KQ4M2XA. Wazny do niedzieli."),
    ).toMatchObject({
      encoding: "GSM-7",
      segments: 1,
    });
  });

  it("counts an emoji as two UCS-2 units and never splits it across segments", () => {
    expect(countSmsSegments("Hi 😀")).toMatchObject({ encoding: "UCS-2", units: 5, segments: 1 });
    expect(countSmsSegments("😀".repeat(35))).toMatchObject({ units: 70, segments: 1 });
    // 36 emoji = 72 units; 33 fit in a 67-unit segment (the 34th would be split).
    expect(countSmsSegments("😀".repeat(36))).toMatchObject({ units: 72, segments: 2, remaining: 67 - 6 });
  });

  it("counts extension-table characters (€ [ ] { } ~ ^ | \\) as two septets", () => {
    expect(countSmsSegments("Price: 10€ [promo]")).toMatchObject({ encoding: "GSM-7", units: 18 + 3, segments: 1 });
    expect(countSmsSegments("€".repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(countSmsSegments("€".repeat(81))).toMatchObject({ units: 162, segments: 2 });
    expect(countSmsSegments("a".repeat(159) + "[")).toMatchObject({ units: 161, segments: 2 });
    // An escape pair is never split: 152 septets + "€" does not fit the first 153.
    expect(countSmsSegments("a".repeat(152) + "€" + "a".repeat(10)).segments).toBe(2);
  });

  it("keeps the opt-out footer GSM-7 in both languages", () => {
    expect(withOptOutFooter("Nowa kolekcja juz jest!", "pl")).toBe("Nowa kolekcja juz jest!\nRezygnacja: odpisz STOP");
    expect(withOptOutFooter("New arrivals!", "en")).toBe("New arrivals!\nReply STOP to opt out");
    expect(withOptOutFooter("Sale! Reply STOP to opt out", "en")).toBe("Sale! Reply STOP to opt out");
    expect(countSmsSegments(withOptOutFooter("x", "pl")).encoding).toBe("GSM-7");
  });
});

describe("SMS cost estimate", () => {
  it("multiplies segments x recipients x the destination's price per segment", () => {
    const e = estimateSmsCost("a".repeat(161), { PL: 1000, us: 10, BR: 5 });
    expect(e.segments).toBe(2);
    expect(e.recipients).toBe(1015);
    expect(e.lines).toEqual([
      { country: "PL", recipients: 1000, pricePerSegment: 0.0418, cost: 83.6 },
      { country: "US", recipients: 10, pricePerSegment: 0.0083, cost: 0.166 },
      { country: "BR", recipients: 5, pricePerSegment: 0.08, cost: 0.8 },
    ]);
    expect(e.total).toBe(84.566);
    expect(e.currency).toBe("USD");
  });

  it("prices a Polish text by its UCS-2 segments, and has a price for GB, DE and everywhere else", () => {
    expect(estimateSmsCost("Zażółć gęślą jaźń", { PL: 100 })).toMatchObject({ encoding: "UCS-2", segments: 1, total: 4.18 });
    expect(smsPricePerSegment("GB")).toBe(0.0463);
    expect(smsPricePerSegment("de")).toBe(0.0927);
    expect(smsPricePerSegment("ZZ")).toBe(0.08);
    expect(estimateSmsCost("hi", { PL: 0, DE: -3 }).total).toBe(0);
  });
});

describe("SMS quiet hours: never outside 08:00-21:00 local", () => {
  const warsaw = "Europe/Warsaw";
  it("defers 21:30 in Warsaw to 08:00 the next day (summer, CEST)", () => {
    expect(nextSmsSendTime(new Date("2026-06-15T19:30:00Z"), warsaw).toISOString()).toBe("2026-06-16T06:00:00.000Z");
  });
  it("defers 21:30 in Warsaw to 08:00 the next day (winter, CET)", () => {
    expect(nextSmsSendTime(new Date("2026-01-15T20:30:00Z"), warsaw).toISOString()).toBe("2026-01-16T07:00:00.000Z");
  });
  it("lands on 08:00 local across the DST changes (spring forward, fall back)", () => {
    // Sat 28 Mar 2026 21:30 CET; clocks go forward that night: 08:00 CEST = 06:00Z.
    expect(nextSmsSendTime(new Date("2026-03-28T20:30:00Z"), warsaw).toISOString()).toBe("2026-03-29T06:00:00.000Z");
    // Sat 24 Oct 2026 21:30 CEST; clocks go back that night: 08:00 CET = 07:00Z.
    expect(nextSmsSendTime(new Date("2026-10-24T19:30:00Z"), warsaw).toISOString()).toBe("2026-10-25T07:00:00.000Z");
  });
  it("moves early morning to 08:00 the same day and leaves daytime alone", () => {
    expect(nextSmsSendTime(new Date("2026-06-15T04:10:00Z"), warsaw).toISOString()).toBe("2026-06-15T06:00:00.000Z");
    const noon = new Date("2026-06-15T10:00:00Z");
    expect(nextSmsSendTime(noon, warsaw)).toBe(noon);
    expect(isWithinSmsWindow(new Date("2026-06-15T18:59:59Z"), warsaw)).toBe(true); // 20:59:59
    expect(isWithinSmsWindow(new Date("2026-06-15T19:00:00Z"), warsaw)).toBe(false); // 21:00
    expect(isWithinSmsWindow(new Date("2026-06-15T06:00:00Z"), warsaw)).toBe(true); // 08:00
  });
  it("works in other zones, honours a narrower window, and reads an unknown zone as UTC", () => {
    // 22:15 in New York (EDT) -> 08:00 EDT = 12:00Z.
    expect(nextSmsSendTime(new Date("2026-07-02T02:15:00Z"), "America/New_York").toISOString()).toBe("2026-07-02T12:00:00.000Z");
    // A shop's 10:00-20:00 window; a wider one (06:00-23:00) is clamped to 08:00-21:00.
    expect(nextSmsSendTime(new Date("2026-06-15T07:00:00Z"), warsaw, { startMinute: 600, endMinute: 1200 }).toISOString()).toBe(
      "2026-06-15T08:00:00.000Z",
    );
    expect(nextSmsSendTime(new Date("2026-06-15T04:30:00Z"), warsaw, { startMinute: 360, endMinute: 1380 }).toISOString()).toBe(
      "2026-06-15T06:00:00.000Z",
    );
    expect(nextSmsSendTime(new Date("2026-06-15T22:00:00Z"), "Not/AZone").toISOString()).toBe("2026-06-16T08:00:00.000Z");
  });
});

describe("inbound SMS keywords", () => {
  it.each([
    ["STOP", "stop"],
    [" stop ", "stop"],
    ["Stop.", "stop"],
    ["STOPALL", "stop"],
    ["unsubscribe", "stop"],
    ["Cancel", "stop"],
    ["END", "stop"],
    ["quit", "stop"],
    ["NIE", "stop"],
    ["nie!", "stop"],
    ["STOP SMS", "stop"],
    ["stop  sms", "stop"],
    ["Rezygnuję", "stop"],
    ["START", "start"],
    ["yes", "start"],
    ["UNSTOP", "start"],
    ["HELP", "help"],
    ["pomoc", "help"],
  ])("%j -> %s", (body, keyword) => {
    expect(parseSmsKeyword(body)).toBe(keyword);
  });
  it.each(["nie wiem, kiedy dostawa?", "Please stop by the store", "Stopped", "", "ok"])("%j is not a keyword", (body) => {
    expect(parseSmsKeyword(body)).toBeNull();
  });
});

describe("SMS short links", () => {
  it("finds links, leaving sentence punctuation outside them, and numbers them in order", () => {
    const text = "Go: https://kawa.pl/cart?x=1. Or (https://kawa.pl/a), then https://kawa.pl/b!";
    expect(findSmsUrls(text)).toEqual(["https://kawa.pl/cart?x=1", "https://kawa.pl/a", "https://kawa.pl/b"]);
    expect(replaceSmsUrls(text, (_, i) => `<${i}>`)).toBe("Go: <0>. Or (<1>), then <2>!");
  });

  it("encodes a code of fixed shape that decodes back, and refuses anything else", () => {
    const ref = "~4oFfkvmLQwW3S5J0Kh5O1Q"; // a UUID in base64url
    const code = encodeSmsLinkCode(ref, 2, "AbCd_-12xyz");
    expect(code).toBe(`2AbCd_-12${ref}`);
    expect(code).toHaveLength(SMS_LINK_CODE_LENGTH);
    expect(decodeSmsLinkCode(code)).toEqual({ index: 2, mac: "AbCd_-12", messageRef: ref });
    expect(decodeSmsLinkCode("0AbCd_-12cmwsq297g0000fq7duwbpirsp")).toEqual({
      index: 0,
      mac: "AbCd_-12",
      messageRef: "cmwsq297g0000fq7duwbpirsp",
    });
    for (const bad of ["", "2AbCd", "2AbCd_-12", "Z" + code.slice(1), code + "/x"]) expect(decodeSmsLinkCode(bad), bad).toBeNull();
  });

  it("the cost estimate counts the short link, not the storefront's long one", () => {
    const shop = { name: "Kawa & Co.", host: "kawa-demo.example", locale: "pl" };
    const withBase = { ...shop, linkBase: "https://flowmate.example.com" };
    const segments = (language: "pl" | "en", s: typeof shop) =>
      countSmsSegments(estimatedSmsBody("abandoned_checkout_sms_1", language, s, "checkout_recovery")).segments;
    expect([segments("pl", shop), segments("pl", withBase)]).toEqual([4, 3]);
    expect([segments("en", shop), segments("en", withBase)]).toEqual([2, 1]);
  });
});
