import { z } from "zod";
import { HOST_NAME } from "../shared/host-name";

// The sending settings page's forms. Error messages are message keys (sending.error.*),
// so the page shows them next to the field in the merchant's language.

const trimmed = (max: number) => z.string().trim().max(max, "sending.error.tooLong");
const optionalText = (max: number) =>
  trimmed(max)
    .optional()
    .transform((v) => (v ? v : null));
/** A provider field: blank is null ("keep what is stored"), anything else must match. */
const optionalMatching = (pattern: RegExp, message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.string().regex(pattern, message).nullable());

export const SenderForm = z.object({
  senderName: trimmed(100).min(1, "sending.error.required"),
  senderEmail: trimmed(254).min(1, "sending.error.required").email("sending.error.email"),
  replyTo: optionalText(254).pipe(z.string().email("sending.error.email").nullable()),
  company: optionalText(100),
  address1: trimmed(200).min(1, "sending.error.required"),
  address2: optionalText(200),
  zip: trimmed(20).min(1, "sending.error.required"),
  city: trimmed(100).min(1, "sending.error.required"),
  country: optionalText(100),
  countryCodeV2: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "sending.error.countryCode"),
});
export type SenderForm = z.infer<typeof SenderForm>;

const SMTP_URL = /^smtps?:\/\/[^\s/]+(:\d+)?\/?(\?\S*)?$/i;

/** Empty means "keep what is stored"; `clear` means "use the app's default". */
export const EmailProviderForm = z.object({
  smtpUrl: optionalText(500).pipe(z.string().regex(SMTP_URL, "sending.error.smtpUrl").nullable()),
  clear: z.enum(["true"]).optional(),
});

export const SmsProviderForm = z.object({
  accountSid: optionalMatching(/^AC[0-9a-fA-F]{32}$/, "sending.error.accountSid"),
  authToken: optionalMatching(/^[0-9a-zA-Z]{32}$/, "sending.error.authToken"),
  fromNumber: optionalMatching(/^\+[1-9]\d{6,14}$/, "sending.error.phone"),
  messagingServiceSid: optionalMatching(/^MG[0-9a-fA-F]{32}$/, "sending.error.messagingService"),
  clear: z.enum(["true"]).optional(),
});

export const DkimForm = z.object({
  domain: z.string().trim().toLowerCase().regex(HOST_NAME, "sending.error.domain"),
  selector: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, "sending.error.selector"),
});

export const WarmupForm = z.object({ warmup: z.enum(["start", "stop"]) });

/** Field -> message key, the first issue per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    out[field] ??= issue.message;
  }
  return out;
}
