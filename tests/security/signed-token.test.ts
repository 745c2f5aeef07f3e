import { describe, expect, it } from "vitest";
import { signToken, verifyToken } from "~/server/security/signed-token.server";

const SECRET = "test-secret";
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The other spellings of a 43-character base64url MAC that decode to the same 32 bytes. */
function sameBytesSpellings(mac: string): string[] {
  const last = ALPHABET.indexOf(mac.at(-1)!);
  const base = last & ~0b11; // the last character's two low bits are padding
  return [0, 1, 2, 3]
    .map((i) => ALPHABET[base + i]!)
    .filter((c) => c !== mac.at(-1))
    .map((c) => mac.slice(0, -1) + c);
}

describe("signed tokens", () => {
  it("accepts the token it issued and refuses every other spelling of its MAC, even ones that decode to the same bytes", () => {
    for (let i = 0; i < 20; i++) {
      const token = signToken("unsubscribe", { shopId: "shop", customerId: `c${i}`, channel: "email" }, SECRET);
      expect(verifyToken("unsubscribe", token, Date.now(), SECRET)).toMatchObject({ ok: true, claims: { customerId: `c${i}` } });
      const [body, mac] = token.split(".") as [string, string];
      expect(mac).toHaveLength(43);
      for (const other of sameBytesSpellings(mac)) {
        expect(Buffer.from(other, "base64url").equals(Buffer.from(mac, "base64url"))).toBe(true);
        expect(verifyToken("unsubscribe", `${body}.${other}`, Date.now(), SECRET)).toEqual({ ok: false, reason: "bad_signature" });
      }
    }
  });

  it("refuses a token for another purpose, with another secret, expired, or malformed", () => {
    const token = signToken("unsubscribe", { shopId: "shop", customerId: "c", exp: 100 }, SECRET);
    expect(verifyToken("preferences", token, 0, SECRET)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyToken("unsubscribe", token, 0, "other-secret")).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyToken("unsubscribe", token, 100_001, SECRET)).toEqual({ ok: false, reason: "expired" });
    expect(verifyToken("unsubscribe", token, 99_000, SECRET).ok).toBe(true);
    for (const bad of ["", "abc", "a.b.c", ".x", "x."]) expect(verifyToken("unsubscribe", bad, 0, SECRET)).toMatchObject({ ok: false });
  });
});
