import { z } from "zod";
import { MessageContent } from "../messages/message-content";

// Flow definitions are versioned data (FlowVersion.definition). `schemaVersion: 1` is
// this shape; a later shape gets a new literal and an upgrade function, so a stored
// version is always read by the schema it was written with.

export const SCHEMA_VERSION = 1 as const;

const ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const CODE = /^[a-z][a-z0-9_]{0,63}$/;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const StepId = z.string().regex(ID, "a step id is 1-64 letters, digits, _ . -");
const StepRef = z.string().regex(ID, "refers to a step id (1-64 letters, digits, _ . -)");
export const EventName = z.string().regex(/^[a-z][a-z0-9_:.-]{0,63}$/, "an event name is lower_snake_case");
const ReasonCode = z.string().regex(CODE, "a reason code is lower_snake_case");
const Hhmm = z.string().regex(HHMM, "a local time is HH:MM (24 h)");

// ---------------------------------------------------------------------------
// Conditions: a small, JSON-only expression language over the scope
//   customer.* (CustomerFacts + hasEmail/hasPhone), trigger.* (the trigger payload's
//   data + at/event), event.* (the event being checked, or the last one a
//   wait_for_event step matched), shop.*, enrollment.* (enteredAt, variants).
// ---------------------------------------------------------------------------

export const CONDITION_OPS = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "not_in",
  "contains",
  "not_contains",
  "exists",
  "not_exists",
  "within_days",
  "older_than_days",
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** A literal, or `{ref: "trigger.orderId"}` to compare with another field of the scope. */
export type ConditionValue = string | number | boolean | null | (string | number)[] | { ref: string };

export type Condition =
  { all: Condition[] } | { any: Condition[] } | { not: Condition } | { field: string; op: ConditionOp; value?: ConditionValue };

export const CONDITION_ROOTS = ["customer", "trigger", "event", "shop", "enrollment"] as const;

const FieldPath = z.string().regex(/^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/, "a field is a dotted path such as customer.ordersCount");

const ConditionValueSchema: z.ZodType<ConditionValue> = z.union([
  z.string().max(500),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string().max(500), z.number()])).max(200),
  z.strictObject({ ref: FieldPath }),
]);

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema).min(1).max(50) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1).max(50) }),
    z.strictObject({ not: ConditionSchema }),
    z.strictObject({ field: FieldPath, op: z.enum(CONDITION_OPS), value: ConditionValueSchema.optional() }),
  ]),
);

// ---------------------------------------------------------------------------
// Durations. Hours and days are absolute (1 day = 24 h of real time, also across a
// DST change); "at a local time" is what wait_window is for.
// ---------------------------------------------------------------------------

export const FixedDuration = z
  .strictObject({
    minutes: z.number().nonnegative().optional(),
    hours: z.number().nonnegative().optional(),
    days: z.number().nonnegative().optional(),
  })
  .refine((d) => (d.minutes ?? 0) + (d.hours ?? 0) + (d.days ?? 0) > 0, "a duration must be longer than zero");
export type FixedDuration = z.infer<typeof FixedDuration>;

/** A duration read from the scope (e.g. trigger.reorderIntervalDays) plus an offset, with a fallback. */
export const DynamicDuration = z.strictObject({
  fromPath: FieldPath,
  unit: z.enum(["hours", "days"]),
  offset: z.number().default(0),
  fallback: z.number().positive(),
  min: z.number().nonnegative().default(0),
});
export type DynamicDuration = z.infer<typeof DynamicDuration>;

export const Duration = z.union([FixedDuration, DynamicDuration]);
export type Duration = z.infer<typeof Duration>;

// ---------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------

const base = { id: StepId, label: z.string().max(200).optional() };
const next = StepRef.optional(); // absent = end of the flow (the enrollment completes)
const Policy = z.enum(["defer", "skip"]);
const Subject = z.string().trim().min(1, "a subject line cannot be empty").max(200);

export const SendStep = z.strictObject({
  ...base,
  type: z.literal("send"),
  channel: z.enum(["email", "sms"], { error: "channel is email or sms" }),
  purpose: z.enum(["marketing", "transactional"]).default("marketing"),
  templateKey: z.string({ error: "a send step needs a templateKey" }).min(1, "a send step needs a templateKey").max(200),
  /** Preference-center topic; null/absent = consent only. */
  topic: z.string().max(64).nullable().optional(),
  /** Email only: the subject line (Liquid, like the template's), instead of the template's own. */
  subject: Subject.optional(),
  /**
   * A/B test of this message: one variant per customer (drawn deterministically, see
   * abDraw, and kept in state) is sent. The first variant is the control. Each
   * variant may change the content (templateKey), the subject and the incentive
   * (discountStepId: another create_discount step, or null for none); what it leaves
   * out is the step's own. Delay variants are an ab_split before the send.
   */
  variants: z
    .array(
      z.strictObject({
        key: z.string().regex(CODE, "a variant key is lower_snake_case"),
        weight: z.number().positive(),
        templateKey: z.string().min(1).max(200).optional(),
        subject: Subject.optional(),
        discountStepId: StepRef.nullable().optional(),
        label: z.string().max(200).optional(),
      }),
    )
    .min(2, "an A/B test needs at least two variants")
    .max(10)
    .optional(),
  /** A create_discount step whose code this message carries. */
  discountStepId: StepRef.optional(),
  /**
   * The message editor's own content per locale (email: subject, preheader, blocks;
   * SMS: text), rendered instead of the catalogue template's. Absent = the template.
   */
  content: MessageContent.optional(),
  onCap: Policy.default("defer"),
  onConflict: Policy.default("defer"),
  /** skip: the flow walks on; exit: the enrollment exits with reason no_consent. */
  onNoConsent: z.enum(["skip", "exit"]).default("skip"),
  /** A send postponed beyond due + this is skipped (`deferral_expired`) rather than sent stale. */
  maxDeferHours: z.number().positive().nullable().optional(),
  next,
});

export const WaitStep = z.strictObject({
  ...base,
  type: z.literal("wait"),
  duration: Duration,
  /** step: from when the step is reached (default); entry: from the enrollment's start ("72 h after the checkout"). */
  anchor: z.enum(["step", "entry"]).default("step"),
  next: StepRef,
});

export const WaitWindowStep = z.strictObject({
  ...base,
  type: z.literal("wait_window"),
  /** Local [start, end), may wrap over midnight. */
  start: Hhmm,
  end: Hhmm,
  timezone: z.enum(["recipient", "shop"]).default("recipient"),
  /** ISO weekdays allowed (1 = Monday ... 7 = Sunday); absent = every day. */
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
  next: StepRef,
});

export const WaitForEventStep = z.strictObject({
  ...base,
  type: z.literal("wait_for_event"),
  events: z.array(EventName).min(1, "wait_for_event needs at least one event"),
  where: ConditionSchema.optional(),
  timeout: FixedDuration,
  onEvent: StepRef.optional(),
  onTimeout: StepRef.optional(),
});

export const ConditionStep = z.strictObject({
  ...base,
  type: z.literal("condition"),
  if: ConditionSchema,
  then: StepRef.optional(),
  else: StepRef.optional(),
});

export const SplitStep = z.strictObject({
  ...base,
  type: z.literal("split"),
  branches: z
    .array(z.strictObject({ when: ConditionSchema, next, label: z.string().max(200).optional() }))
    .min(1)
    .max(20),
  otherwise: StepRef.optional(),
});

/**
 * A/B test of paths, e.g. of the delay before a message (a: wait 1 h -> send; b: wait
 * 4 h -> send). One variant per customer, drawn like a send's; the first is the
 * control. The sends each branch reaches first carry the variant, and measure it.
 */
export const AbSplitStep = z.strictObject({
  ...base,
  type: z.literal("ab_split"),
  variants: z
    .array(
      z.strictObject({
        key: z.string().regex(CODE, "a variant key is lower_snake_case"),
        weight: z.number().positive(),
        next,
        label: z.string().max(200).optional(),
      }),
    )
    .min(2, "an A/B split needs at least two variants")
    .max(10),
});

export const CreateDiscountStep = z.strictObject({
  ...base,
  type: z.literal("create_discount"),
  kind: z.enum(["percentage", "fixed_amount", "free_shipping"]),
  value: z.number().nonnegative(),
  expiresInHours: z
    .number()
    .positive()
    .max(24 * 366),
  prefix: z.string().regex(/^[A-Z0-9]{1,16}$/, "a discount prefix is 1-16 capital letters or digits"),
  next: StepRef,
});

export const AddTagStep = z.strictObject({
  ...base,
  type: z.literal("add_tag"),
  tag: z.string().min(1).max(40),
  next,
});

export const SuppressStep = z.strictObject({
  ...base,
  type: z.literal("suppress_marketing"),
  channel: z.enum(["email", "sms", "all"]),
  reason: z.enum(["sunset", "manual"]).default("sunset"),
  next,
});

export const ExitStep = z.strictObject({
  ...base,
  type: z.literal("exit"),
  reason: ReasonCode.default("exit_step"),
});

export const Step = z.discriminatedUnion("type", [
  SendStep,
  WaitStep,
  WaitWindowStep,
  WaitForEventStep,
  ConditionStep,
  SplitStep,
  AbSplitStep,
  CreateDiscountStep,
  AddTagStep,
  SuppressStep,
  ExitStep,
]);
export type Step = z.infer<typeof Step>;
export type StepType = Step["type"];
export type SendStep = z.infer<typeof SendStep>;
export type WaitStep = z.infer<typeof WaitStep>;
export type WaitWindowStep = z.infer<typeof WaitWindowStep>;
export type WaitForEventStep = z.infer<typeof WaitForEventStep>;
export type CreateDiscountStep = z.infer<typeof CreateDiscountStep>;

// ---------------------------------------------------------------------------
// Triggers, entry, exits, goal
// ---------------------------------------------------------------------------

export const EventTrigger = z.strictObject({
  type: z.literal("event"),
  /** Customer events (pixel, webhook, form or system) that start the flow. */
  events: z.array(EventName).min(1),
  where: ConditionSchema.optional(),
  /** Field of the trigger's data that dedupes enrollments (Enrollment.contextKey), e.g. "token". */
  contextKeyPath: z.string().max(64).optional(),
});

export const SegmentTrigger = z.strictObject({
  type: z.literal("segment_entered"),
  segmentKey: z.string().min(1).max(120),
  where: ConditionSchema.optional(),
  contextKeyPath: z.string().max(64).optional(),
});

export const DateTrigger = z.strictObject({
  type: z.literal("date"),
  /** birthday = customer.properties.birthday; first_order = anniversary of firstOrderAt; signup = of createdAt; property = customer.properties[property]. */
  dateField: z.enum(["birthday", "first_order", "signup", "property"]),
  property: z.string().max(64).optional(),
  /** Days before (negative) or after the date. */
  offsetDays: z.number().int().min(-60).max(60).default(0),
  /** Local time (recipient's zone) at which the day's enrollments start. */
  localTime: Hhmm.default("10:00"),
  where: ConditionSchema.optional(),
  contextKeyPath: z.string().max(64).default("occurrence"),
});

export const InactivityTrigger = z.strictObject({
  type: z.literal("inactivity"),
  /** last_order = lastOrderAt; last_engaged = lastEngagedAt (else createdAt); last_seen = lastSeenAt (else createdAt). */
  basis: z.enum(["last_order", "last_engaged", "last_seen"]),
  days: z.number().positive().max(3650),
  where: ConditionSchema.optional(),
  contextKeyPath: z.string().max(64).default("occurrence"),
});

export const Trigger = z.discriminatedUnion("type", [EventTrigger, SegmentTrigger, DateTrigger, InactivityTrigger]);
export type Trigger = z.infer<typeof Trigger>;

export const Reentry = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("never") }),
  z.strictObject({ mode: z.literal("always") }),
  z.strictObject({ mode: z.literal("window"), hours: z.number().positive() }),
]);
export type Reentry = z.infer<typeof Reentry>;

export const Entry = z.strictObject({
  /** Marketing consent needed to enroll: email, sms, any (either), none. */
  requiresConsent: z.enum(["email", "sms", "any", "none"]).default("email"),
  conditions: ConditionSchema.optional(),
  /** never: once per customer; always: every trigger (a same contextKey still dedupes); window: at most once per N hours. */
  reentry: Reentry.default({ mode: "never" }),
});

export const ExitRule = z.strictObject({
  events: z.array(EventName).min(1),
  where: ConditionSchema.optional(),
  /** Stored as Enrollment.exitReason, e.g. order_placed. */
  reason: ReasonCode,
});
export type ExitRule = z.infer<typeof ExitRule>;

export const Goal = z.strictObject({
  events: z.array(EventName).min(1),
  where: ConditionSchema.optional(),
  /** Only counts within this many hours of entry; absent = while enrolled. */
  withinHours: z.number().positive().optional(),
  /** Reaching the goal completes the enrollment (default), or is only recorded. */
  exitOnGoal: z.boolean().default(true),
});
export type Goal = z.infer<typeof Goal>;

/**
 * Facts the runtime must load for a flow before its entry decision, beyond the
 * trigger event: learnedReorderIntervals = the customer's own reorder interval per
 * product in the order, learned from their repeat purchases.
 */
export const RuntimeNeed = z.enum(["learnedReorderIntervals"]);
export type RuntimeNeed = z.infer<typeof RuntimeNeed>;

export const FlowDefinitionSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION, { error: `schemaVersion must be ${SCHEMA_VERSION}` }),
  key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "a flow key is lower_snake_case (catalogue key or custom-<id>)"),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  /** Default Flow.priority (higher wins an arbitration conflict); the Flow row's value rules at run time. */
  priority: z.number().int().min(0).max(1000).default(50),
  trigger: Trigger,
  entry: Entry.default({ requiresConsent: "email", reentry: { mode: "never" } }),
  /** Checked on every event while enrolled. */
  exits: z.array(ExitRule).max(20).default([]),
  goal: Goal.nullable().default(null),
  startStepId: StepRef,
  steps: z.array(Step).min(1, "a flow needs at least one step").max(200),
  /** Set by the catalogue: which entry and settings built this definition (the admin edits the settings). */
  source: z
    .strictObject({
      catalogueKey: z.string(),
      settings: z.record(z.string(), z.unknown()),
      /** Edited on the flow page beyond its settings: rebuilding it from them would undo the edits. */
      edited: z.boolean().optional(),
    })
    .optional(),
  /**
   * What the runtime loads for this flow (see RuntimeNeed). Absent in definitions
   * stored before the field existed: flowNeeds (app/domain/flows) then reads the
   * catalogue entry's declaration.
   */
  needs: z.array(RuntimeNeed).max(RuntimeNeed.options.length).optional(),
});

/** A validated definition (defaults applied). */
export type FlowDefinition = z.infer<typeof FlowDefinitionSchema>;
/** What an author may write (defaults optional). */
export type FlowDefinitionInput = z.input<typeof FlowDefinitionSchema>;
