import { describe, expect, it } from "vitest";
import { formatMoney, safeUrl } from "~/domain/messages/email-view";
import { boundedMemo } from "~/domain/shared/bounded-memo";
import { withUtm } from "~/domain/messages/utm";
import { claimSigner, signToken, verifyToken } from "~/server/security/signed-token.server";

// The caches and shortcuts that make composing an email cheap must give exactly what
// the plain computations give.

describe("boundedMemo", () => {
  it("never mixes up argument lists that join to the same text", () => {
    let calls = 0;
    const join = boundedMemo((a: string, b: string) => {
      calls++;
      return `${a}|${b}`;
    });
    expect(join("ab", "c")).toBe("ab|c");
    expect(join("a", "bc")).toBe("a|bc");
    expect(join("1:a", "b")).toBe("1:a|b");
    expect(join("1", ":ab")).toBe("1|:ab");
    expect(join("ab", "c")).toBe("ab|c");
    expect(calls).toBe(4);
  });

  it("stays bounded, recomputing after it is cleared", () => {
    let calls = 0;
    const twice = boundedMemo((s: string) => {
      calls++;
      return s + s;
    }, 3);
    for (const s of ["a", "b", "c", "d", "a"]) expect(twice(s)).toBe(s + s);
    expect(calls).toBe(5);
  });
});

describe("memoised formatting and URLs", () => {
  it("gives the same result on the first and the repeated call", () => {
    for (const [raw, base] of [
      ["/products/mug", "https://shop.example.com"],
      ["https://other.example.com/x?y=1", "https://shop.example.com"],
      ["javascript:alert(1)", "https://shop.example.com"],
      ["/relative", undefined],
    ] as const) {
      const first = safeUrl(raw, base);
      expect(safeUrl(raw, base)).toBe(first);
    }
    expect(safeUrl("javascript:alert(1)", "https://shop.example.com")).toBe("");
    expect(safeUrl("/relative")).toBe("");
    expect(formatMoney(54, "PLN", "pl")).toBe(formatMoney("54.00", "PLN", "pl"));
    expect(formatMoney(54, "PLN", "pl")).not.toBe(formatMoney(54, "PLN", "en"));
    expect(formatMoney(54, "PLN", "en")).not.toBe(formatMoney(54, "EUR", "en"));
    const tags = { campaign: "welcome", content: "welcome_1" };
    expect(withUtm("https://a.example.com/", tags)).toBe(withUtm("https://a.example.com/", tags));
    expect(withUtm("https://a.example.com/", tags, "sms")).toContain("utm_medium=sms");
    expect(withUtm("https://a.example.com/", tags)).toContain("utm_medium=email");
  });
});

describe("claimSigner", () => {
  const secret = "test-secret";

  it("signs byte for byte what signToken signs with the field added last", () => {
    const shared = { shopId: "shop_1", customerId: "cust_1", messageId: "msg_1" };
    const sign = claimSigner("click", shared, "url", secret);
    for (const url of ['https://a.example.com/p?x=1&y="2"', "https://b.example.com/ł/ü", ""]) {
      const token = sign(url);
      expect(token).toBe(signToken("click", { ...shared, url }, secret));
      expect(verifyToken("click", token, Date.now(), secret)).toEqual({ ok: true, claims: { ...shared, url } });
    }
  });

  it("works when the shared claims are empty and keeps purposes apart", () => {
    const sign = claimSigner("click", {} as { shopId: string; customerId: string }, "url", secret);
    expect(sign("https://a.example.com/")).toBe(signToken("click", { url: "https://a.example.com/" } as never, secret));
    expect(verifyToken("unsubscribe", sign("https://a.example.com/"), Date.now(), secret)).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
  });
});
