import { z } from "zod";
import type { EpochMs } from "../arbitration/types";
import { parseFlowDefinition } from "../journey/validate";
import type { Condition, ExitRule, FlowDefinition, FlowDefinitionInput, Reentry, RuntimeNeed } from "../journey/schema";
import type { TriggerPayload } from "../journey/types";

// Shared pieces of the prebuilt catalogue. Each flow file exports one CatalogueEntry:
// display strings (EN/PL), a zod schema of the merchant-editable settings (every field
// defaulted, so `{}` is the recommended setup), and buildFlow(settings) -> definition.
// Switching a flow on and off is Flow.status (off | on | paused); catalogue flows are
// created `off`.

export interface LocalizedText {
  en: string;
  pl: string;
}

export interface CatalogueMeta {
  name: LocalizedText;
  description: LocalizedText;
}

/** Facts about the shop some flows derive defaults from (computed by the runner/admin). */
export interface CatalogueEnv {
  /** The shop's median days between a customer's consecutive orders (see shopPurchaseCycleDays); null = too little history. */
  shopPurchaseCycleDays?: number | null;
}

/** Extra data a flow may need to complete a trigger payload before shouldEnroll. */
export interface TriggerEnrichment {
  /** Learned reorder interval per product id (see learnReorderIntervalDays). */
  learnedIntervalDays?: Record<string, number>;
}

export interface CatalogueEntry<S extends z.ZodType = z.ZodType> {
  key: string;
  meta: CatalogueMeta;
  defaultPriority: number;
  defaultStatus: "off";
  /** Merchant-editable settings; `settingsSchema.parse({})` is the default setup. */
  settingsSchema: S;
  defaultSettings: z.output<S>;
  /** The definition for these settings (partial settings are completed with defaults). Throws on invalid settings. */
  buildFlow(settings?: z.input<S>, env?: CatalogueEnv): FlowDefinition;
  /** Completes a trigger payload before shouldEnroll (e.g. replenishment's reorder interval). */
  enrichTrigger?(settings: z.output<S>, trigger: TriggerPayload, extra: TriggerEnrichment): TriggerPayload;
  /** What the runtime loads for this entry's flows; buildFlow writes it into the definition's `needs`. */
  needs?: readonly RuntimeNeed[];
}

export const Priority = (d: number) => z.number().int().min(0).max(1000).default(d);
export const Hours = z
  .number()
  .positive()
  .max(24 * 366);
export const Days = z.number().positive().max(3650);
export const TemplateKey = z.string().min(1).max(200);
const EventName = z.string().regex(/^[a-z][a-z0-9_:.-]{0,63}$/);
export const EventList = (d: string[]) => z.array(EventName).max(20).default(d);
/** null = once per customer ever; 0 = every trigger; N = at most once per N days. */
export const ReentryDays = (d: number | null) => z.number().min(0).max(3650).nullable().default(d);

export const Incentive = (d: { enabled: boolean; value: number; expiresInHours: number; prefix: string; minCartValue?: number }) =>
  z
    .object({
      enabled: z.boolean().default(d.enabled),
      kind: z.enum(["percentage", "fixed_amount", "free_shipping"]).default("percentage"),
      value: z.number().nonnegative().max(100_000).default(d.value),
      expiresInHours: Hours.default(d.expiresInHours),
      prefix: z
        .string()
        .regex(/^[A-Z0-9]{1,16}$/)
        .default(d.prefix),
      /** Offer the incentive only when the cart/checkout is worth at least this much (shop currency). */
      minCartValue: z
        .number()
        .nonnegative()
        .default(d.minCartValue ?? 0),
    })
    .prefault({});
export type Incentive = z.output<ReturnType<typeof Incentive>>;

export function reentry(days: number | null): Reentry {
  if (days === null) return { mode: "never" };
  if (days === 0) return { mode: "always" };
  return { mode: "window", hours: days * 24 };
}

export function exitRules(events: readonly string[], where?: Condition): ExitRule[] {
  return events.map((e) => ({ events: [e], reason: e.replace(/[^a-z0-9_]/g, "_"), ...(where ? { where } : {}) }));
}

/** Validates what a builder produced: a catalogue flow is always a valid definition. */
export function finish(input: FlowDefinitionInput): FlowDefinition {
  return parseFlowDefinition(input);
}

export function sameOrder(): Condition {
  return { field: "event.orderId", op: "eq", value: { ref: "trigger.orderId" } };
}

export function otherOrder(): Condition {
  return { field: "event.orderId", op: "neq", value: { ref: "trigger.orderId" } };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * A customer's (or product's) reorder interval in whole days: the median gap between
 * consecutive purchases, ignoring same-day repeats; null with fewer than
 * `minGaps` gaps (default 2, i.e. three purchases).
 */
export function learnReorderIntervalDays(purchases: readonly EpochMs[], minGaps = 2): number | null {
  const days = [...purchases].sort((a, b) => a - b).map((t) => t / 86_400_000);
  const gaps: number[] = [];
  for (let i = 1; i < days.length; i++) if (days[i]! - days[i - 1]! >= 1) gaps.push(days[i]! - days[i - 1]!);
  return gaps.length >= minGaps ? Math.round(median(gaps)) : null;
}

/**
 * The shop's purchase cycle: the median of the gaps (in days) between consecutive
 * orders of the same customer, over the shop's repeat customers. Null when there are
 * fewer than `minSamples` gaps (too little history to trust).
 */
export function shopPurchaseCycleDays(gapsDays: readonly number[], minSamples = 30): number | null {
  const gaps = gapsDays.filter((g) => Number.isFinite(g) && g >= 1);
  return gaps.length >= minSamples ? Math.round(median(gaps)) : null;
}
