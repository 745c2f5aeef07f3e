// The widgets' pure helpers (validation, payload, locale choice, suppression),
// imported straight from the extension sources.
import { describe, expect, it } from "vitest";
import { fill, M, stringsFor } from "../../extensions/theme-widgets/src/i18n";
import {
  buildPayload,
  isSuppressed,
  isValidEmail,
  isValidPhone,
  normalizePhone,
  SUPPRESS_MS,
  validateSignup,
} from "../../extensions/theme-widgets/src/validate";

const en = stringsFor("en");
const pl = stringsFor("pl");
const input = { email: "ada@example.com", phone: "", emailConsent: false, smsConsent: false, showSms: false };

describe("theme widget helpers", () => {
  it("picks Polish for pl* locales and English for everything else", () => {
    for (const locale of ["pl", "pl-PL", "PL"]) expect(stringsFor(locale)[M.title]).toBe("Zapisz się do newslettera");
    for (const locale of ["en", "en-GB", "de", "", null, undefined]) expect(stringsFor(locale)[M.title]).toBe("Join our newsletter");
  });

  it("has every message in both languages, with the shop name in both consent texts", () => {
    expect(Object.keys(pl)).toEqual(Object.keys(en));
    for (const value of [...Object.values(en), ...Object.values(pl)]) expect(value.trim()).not.toBe("");
    for (const t of [en, pl]) {
      expect(t[M.emailConsent]).toContain("{shop}");
      expect(t[M.smsConsent]).toContain("{shop}");
      expect(t[M.smsConsent]).toContain("STOP");
    }
    expect(fill(en[M.emailConsent], "Northwind")).toContain("marketing emails from Northwind.");
  });

  it("validates emails", () => {
    for (const ok of ["ada@example.com", " ada.lovelace+news@mail.example.co.uk ", "jan@przykład.pl"]) expect(isValidEmail(ok)).toBe(true);
    for (const bad of ["", "ada", "ada@", "ada@example", "@example.com", "ada @example.com", "ada@example..com"]) {
      expect(isValidEmail(bad), bad).toBe(false);
    }
  });

  it("normalises and validates phone numbers", () => {
    expect(normalizePhone(" +48 512-345-678 ")).toBe("+48512345678");
    expect(normalizePhone("(0) 7700.900.123")).toBe("07700900123");
    for (const ok of ["+48 512 345 678", "+1 (212) 555-0123", "512345678"]) expect(isValidPhone(ok)).toBe(true);
    for (const bad of ["12ab", "+", "12345", "+1234567890123456", "48-512-345-678 ext 2"]) expect(isValidPhone(bad), bad).toBe(false);
  });

  it("reports field errors in the shopper's language", () => {
    expect(validateSignup(input, en)).toEqual({});
    expect(validateSignup({ ...input, email: " " }, en)).toEqual({ email: en[M.errEmailRequired] });
    expect(validateSignup({ ...input, email: "nope" }, pl)).toEqual({ email: "Podaj prawidłowy adres e-mail, np. jan@przyklad.pl." });
    expect(validateSignup({ ...input, showSms: true, phone: "12ab" }, en)).toEqual({ phone: en[M.errPhoneInvalid] });
    expect(validateSignup({ ...input, showSms: true, smsConsent: true }, en)).toEqual({ phone: en[M.errSmsNeedsPhone] });
    // A hidden phone field is never validated.
    expect(validateSignup({ ...input, showSms: false, phone: "12ab", smsConsent: true }, en)).toEqual({});
  });

  it("builds the subscribe payload of the API contract", () => {
    expect(buildPayload({ ...input, email: " ada@example.com " }, "en")).toStrictEqual({
      email: "ada@example.com",
      emailConsent: false,
      smsConsent: false,
      source: "signup_popup",
      locale: "en",
    });
    expect(
      buildPayload({ ...input, showSms: true, phone: "+48 512 345 678", emailConsent: true, smsConsent: true }, "pl", "abc"),
    ).toStrictEqual({
      email: "ada@example.com",
      phone: "+48512345678",
      emailConsent: true,
      smsConsent: true,
      source: "signup_popup",
      locale: "pl",
      clientId: "abc",
    });
    // Phone field hidden: neither the phone nor an SMS consent can be sent.
    expect(buildPayload({ ...input, phone: "+48512345678", smsConsent: true }, "en")).toStrictEqual({
      email: "ada@example.com",
      emailConsent: false,
      smsConsent: false,
      source: "signup_popup",
      locale: "en",
    });
  });

  it("suppresses the popup for 14 days after a close or submit", () => {
    const now = Date.UTC(2026, 0, 15);
    expect(isSuppressed(null, now)).toBe(false);
    expect(isSuppressed("garbage", now)).toBe(false);
    expect(isSuppressed(String(now - 1000), now)).toBe(true);
    expect(isSuppressed(String(now - SUPPRESS_MS + 1000), now)).toBe(true);
    expect(isSuppressed(String(now - SUPPRESS_MS), now)).toBe(false);
    expect(SUPPRESS_MS).toBe(14 * 24 * 60 * 60 * 1000);
  });
});
