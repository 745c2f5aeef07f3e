// The settings page's forms: zod schemas over FormData, with errors per field as
// message keys (the page shows them translated next to the field).
import { z } from "zod";
import { EXPERIMENT_METRICS } from "~/domain/experiments";
import { MIN_STOREFRONT_EVENT_DAYS, STOREFRONT_EVENT_DAYS } from "~/domain/privacy/retention";

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const minutesOf = (hhmm: string): number => {
  const m = TIME.exec(hhmm)!;
  return Number(m[1]) * 60 + Number(m[2]);
};
export const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const Time = z.string().regex(TIME, "settings.error.time");
const Check = z
  .enum(["on", "true", "false", ""])
  .optional()
  .transform((v) => v === "on" || v === "true");
const Int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "settings.error.whole")
    .transform(Number)
    .pipe(z.number().int().min(min, "settings.error.range").max(max, "settings.error.range"));
/** Blank: null; else a whole number in range (errors as for Int). */
const OptionalInt = (min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const text = (v ?? "").trim();
      if (!text) return null;
      const n = Int(min, max).safeParse(text);
      if (n.success) return n.data;
      ctx.addIssue({ code: "custom", message: n.error.issues[0]?.message ?? "settings.error.invalid" });
      return z.NEVER;
    });

export const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz.length > 0 && tz.length < 64;
  } catch {
    return false;
  }
};

export const ScheduleForm = z
  .object({
    timezone: z.string().refine(isTimeZone, "settings.error.timezone"),
    emailQuiet: Check,
    emailQuietStart: Time,
    emailQuietEnd: Time,
    smsQuiet: Check,
    smsQuietStart: Time,
    smsQuietEnd: Time,
  })
  .superRefine((v, c) => {
    if (v.emailQuiet && v.emailQuietStart === v.emailQuietEnd)
      c.addIssue({ code: "custom", path: ["emailQuietEnd"], message: "settings.error.sameTimes" });
    if (v.smsQuiet && v.smsQuietStart === v.smsQuietEnd)
      c.addIssue({ code: "custom", path: ["smsQuietEnd"], message: "settings.error.sameTimes" });
  });
export type ScheduleInput = z.output<typeof ScheduleForm>;

/** Up to three cap rules per channel: count per windowHours, blank rows ignored. */
export const CAP_ROWS = 3;
export type CapsInput = { email: { count: number; windowHours: number }[]; sms: { count: number; windowHours: number }[] };

export const MeasurementForm = z
  .object({
    holdoutPercent: Int(0, 50),
    attributionEmailDays: Int(1, 30),
    attributionSmsDays: Int(1, 30),
    attributeOpens: Check,
    // The A/B winner rule new experiments start with (Shop.settings.experiments).
    abMetric: z.enum(EXPERIMENT_METRICS, "settings.error.choice"),
    abMinSample: Int(30, 10_000_000),
    abMinProbabilityPercent: Int(50, 99),
    abMinDays: Int(0, 365),
    abMaxDays: Int(1, 365),
  })
  .superRefine((v, c) => {
    if (v.abMaxDays < v.abMinDays) c.addIssue({ code: "custom", path: ["abMaxDays"], message: "settings.error.maxBelowMin" });
  });
export type MeasurementInput = z.output<typeof MeasurementForm>;

export const PrivacyForm = z.object({
  doubleOptIn: z.enum(["single", "double"], "settings.error.choice").transform((v) => v === "double"),
  storefrontEventDays: Int(MIN_STOREFRONT_EVENT_DAYS, STOREFRONT_EVENT_DAYS),
});
export type PrivacyInput = z.output<typeof PrivacyForm>;

export const FlowForm = z.object({
  flowId: z.string().min(1).max(64),
  priority: Int(0, 1000),
  /** Blank: once per customer; 0: every time; N: at most once per N days. */
  reentryDays: OptionalInt(0, 3650),
  /** Blank: no rule. */
  excludeAfterOrderHours: OptionalInt(1, 720),
  /** Blank: the shop's default. */
  holdoutPercent: OptionalInt(0, 50),
});
export type FlowInput = z.output<typeof FlowForm>;

export function parseForm<S extends z.ZodType>(schema: S, form: FormData): Parsed<z.output<S>> {
  const r = schema.safeParse(Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v : ""])));
  if (r.success) return { ok: true, data: r.data };
  const errors: FieldErrors = {};
  for (const issue of r.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message.startsWith("settings.error.") ? issue.message : "settings.error.invalid";
  }
  return { ok: false, errors };
}

export function parseCaps(form: FormData): Parsed<CapsInput> {
  const errors: FieldErrors = {};
  const out: CapsInput = { email: [], sms: [] };
  for (const channel of ["email", "sms"] as const) {
    for (let i = 0; i < CAP_ROWS; i++) {
      const text = (name: string) => {
        const v = form.get(name);
        return typeof v === "string" ? v.trim() : "";
      };
      const count = text(`${channel}Count${i}`);
      const hours = text(`${channel}Hours${i}`);
      if (!count && !hours) continue;
      const c = Int(1, 100).safeParse(count);
      const h = Int(1, 24 * 366).safeParse(hours);
      if (!c.success) errors[`${channel}Count${i}`] = c.error.issues[0]!.message;
      if (!h.success) errors[`${channel}Hours${i}`] = h.error.issues[0]!.message;
      if (c.success && h.success) out[channel].push({ count: c.data, windowHours: h.data });
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: out };
}
