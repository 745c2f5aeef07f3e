import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

/** Emails are compared trimmed and lower-cased; anything without a plausible shape is dropped. */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return null;
  return email;
}

/**
 * Phones are stored in E.164. A number without a country prefix is read in the
 * shop's (or customer's) country; one that is not a valid number is dropped.
 */
export function normalizePhone(raw: string | null | undefined, defaultCountry?: string | null): string | null {
  if (!raw) return null;
  const parsed = parsePhoneNumberFromString(raw.trim(), (defaultCountry ?? undefined) as CountryCode | undefined);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/** Shopify ids arrive as numbers, numeric strings or GIDs ("gid://shopify/Customer/123"). */
export function shopifyNumericId(raw: unknown): bigint | null {
  if (typeof raw === "number" && Number.isFinite(raw)) return BigInt(Math.trunc(raw));
  if (typeof raw === "bigint") return raw;
  if (typeof raw === "string") {
    const m = /(\d+)\s*$/.exec(raw);
    if (m) return BigInt(m[1]!);
  }
  return null;
}
