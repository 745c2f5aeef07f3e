import { z } from "zod";
import { HOST_NAME } from "../shared/host-name";
import { DEFAULT_WARMUP_RAMP, rampPlan, WARMUP_BOUNDS, type WarmupRamp } from "./warmup";

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

/** A whole number typed by a merchant: "25600", "25 600", "25,600" and "25.600" all read 25600 ("1.5" is refused). */
const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .regex(/^(\d{1,9}|\d{1,3}([\s,.]\d{3}){1,2})$/, "warmupPlan.error.whole")
    .transform((v) => Number(v.replace(/[\s,.]/g, "")))
    .pipe(z.number().min(min, message).max(max, message));

/** A growth factor: "2", "1.5" or "1,5" (the Polish decimal comma), at most two decimals. */
const growthFactor = z
  .string()
  .trim()
  .transform((v) => v.replace(",", ".").replace(/^[x×]|[x×]$/gi, ""))
  .pipe(z.string().regex(/^\d{1,2}(\.\d{1,2})?$/, "warmupPlan.error.growth"))
  .transform(Number)
  .pipe(z.number().min(WARMUP_BOUNDS.growth.min, "warmupPlan.error.growth").max(WARMUP_BOUNDS.growth.max, "warmupPlan.error.growth"));

/** The merchant's own ramp; errors next to the field they concern. */
export const WarmupRampForm = z
  .object({
    firstDay: wholeNumber(WARMUP_BOUNDS.firstDay.min, WARMUP_BOUNDS.firstDay.max, "warmupPlan.error.firstDay"),
    growth: growthFactor,
    target: wholeNumber(1, WARMUP_BOUNDS.target.max, "warmupPlan.error.target"),
  })
  .superRefine((r, ctx) => {
    if (r.target < r.firstDay) ctx.addIssue({ code: "custom", path: ["target"], message: "warmupPlan.error.targetBelowFirst" });
    else if (rampPlan(r).length > WARMUP_BOUNDS.days.max)
      ctx.addIssue({ code: "custom", path: ["growth"], message: "warmupPlan.error.tooLong" });
  });

/**
 * start: the ramp begins today; save: a running ramp takes the new plan (its day count
 * kept); stop: no daily limit. Without `plan` (or with "default") the default ramp.
 */
export const WarmupForm = z
  .object({
    warmup: z.enum(["start", "save", "stop"]),
    plan: z.enum(["default", "custom"]).optional(),
    firstDay: z.string().optional(),
    growth: z.string().optional(),
    target: z.string().optional(),
  })
  .transform((v, ctx): { warmup: "start" | "save" | "stop"; ramp: WarmupRamp } => {
    if (v.warmup === "stop" || v.plan !== "custom") return { warmup: v.warmup, ramp: { ...DEFAULT_WARMUP_RAMP } };
    const ramp = WarmupRampForm.safeParse({ firstDay: v.firstDay ?? "", growth: v.growth ?? "", target: v.target ?? "" });
    if (ramp.success) return { warmup: v.warmup, ramp: ramp.data };
    for (const issue of ramp.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  });
export type WarmupInput = z.output<typeof WarmupForm>;

/** Field -> message key, the first issue per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    out[field] ??= issue.message;
  }
  return out;
}
