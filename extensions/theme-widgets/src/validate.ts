// Pure helpers shared by the widgets (no DOM access at import time, so the unit
// tests can import them in Node).
import { M, type Strings } from "./i18n";

export type Field = "email" | "phone" | "emailConsent" | "smsConsent";
export type FieldErrors = Partial<Record<Field | "form", string>>;

export interface SignupInput {
  email: string;
  phone: string;
  emailConsent: boolean;
  smsConsent: boolean;
  /** Whether the phone field (and SMS consent) is shown at all. */
  showSms: boolean;
}

export interface SubscribePayload {
  email: string;
  phone?: string;
  emailConsent: boolean;
  smsConsent: boolean;
  source: "signup_popup";
  locale: string;
  clientId?: string;
}

const EMAIL_RE = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

export function isValidEmail(value: string): boolean {
  return EMAIL_RE.test(value.trim());
}

/** Drops spaces, dashes, dots and brackets; keeps a leading "+". */
export function normalizePhone(value: string): string {
  return value.trim().replace(/[\s().-]/g, "");
}

export function isValidPhone(value: string): boolean {
  return /^\+?[0-9]{6,15}$/.test(normalizePhone(value));
}

export function validateSignup(input: SignupInput, t: Strings): FieldErrors {
  const errors: FieldErrors = {};
  const email = input.email.trim();
  if (!email) errors.email = t[M.errEmailRequired];
  else if (!isValidEmail(email)) errors.email = t[M.errEmailInvalid];
  if (input.showSms) {
    const phone = input.phone.trim();
    if (phone && !isValidPhone(phone)) errors.phone = t[M.errPhoneInvalid];
    else if (!phone && input.smsConsent) errors.phone = t[M.errSmsNeedsPhone];
  }
  return errors;
}

export function buildPayload(input: SignupInput, locale: string, clientId?: string | null): SubscribePayload {
  const payload: SubscribePayload = {
    email: input.email.trim(),
    emailConsent: input.emailConsent === true,
    smsConsent: input.showSms && input.smsConsent === true,
    source: "signup_popup",
    locale,
  };
  const phone = input.showSms ? normalizePhone(input.phone) : "";
  if (phone) payload.phone = phone;
  if (clientId) payload.clientId = clientId;
  return payload;
}

export const SUPPRESS_KEY = "flowmate:signup:dismissedAt";
export const SUPPRESS_MS = 14 * 24 * 60 * 60 * 1000;

/** True while a close/submit recorded at `storedValue` (ms timestamp) is younger than 14 days. */
export function isSuppressed(storedValue: string | null, now: number): boolean {
  // Number(null) is 0 and Number("junk") is NaN: both compare as "not suppressed".
  return now - Number(storedValue) < SUPPRESS_MS;
}
