import type { MessageContent } from "../messages/message-content";
import type { ArbitrationContext } from "../arbitration/arbitrate";
import type { Channel, EpochMs, Purpose } from "../arbitration/types";

// Every instant in these shapes is epoch milliseconds (UTC). All shapes are plain
// JSON: state goes to Enrollment.state, commands are executed by the runner.

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/**
 * What started (or may start) an enrollment. The runner normalises commerce payloads
 * into `data`: checkout/cart {token, value, currency, lines: [{productId, variantId,
 * title, quantity, price}], recoveryUrl}, order {orderId, value, currency, lines,
 * checkoutToken}, product view {productId, productTitle, url}, date/inactivity
 * {occurrence} (see matchDateTrigger / matchInactivityTrigger).
 */
export interface TriggerPayload {
  type: "event" | "segment_entered" | "date" | "inactivity";
  /** Event name for `event` triggers. */
  event?: string;
  /** Segment key for `segment_entered`. */
  segmentKey?: string;
  /** Event.id / webhook id that caused it, for tracing. */
  sourceId?: string;
  at: EpochMs;
  data: Record<string, unknown>;
}

/** A customer event delivered to an active enrollment (Event row, or a message event). */
export interface CustomerEvent {
  /** Dedupe key (Event.id or source id): an event seen twice is ignored the second time. */
  id?: string;
  name: string;
  at: EpochMs;
  data: Record<string, unknown>;
}

export type StepInput =
  /** The enrollment begins (state must be null). */
  | { kind: "start"; trigger: TriggerPayload }
  /** The enrollment's timer (nextWakeAt) fired. */
  | { kind: "wake" }
  /** A customer event arrived while enrolled: goal, exits, then a waiting wait_for_event. */
  | { kind: "event"; event: CustomerEvent }
  /** The runner ends the enrollment (flow switched off, customer redacted or merged, ...). */
  | { kind: "stop"; reason: string };

/** The customer at this moment, built by the runner from the database. */
export interface EngineContext extends ArbitrationContext {
  /** Enrollment.id: the root of every idempotency key. */
  enrollmentId: string;
  /** The Flow row: id, key and its (editable) priority, which overrides definition.priority. */
  flow: { id: string; key: string; priority: number; excludeAfterOrderHours?: number | null };
  /** A fresher view of the trigger's data (current cart value, ...); the one stored at start otherwise. */
  trigger?: TriggerPayload;
}

// ---------------------------------------------------------------------------
// Commands (data; only the runner executes them)
// ---------------------------------------------------------------------------

export type DecisionOutcome = "send" | "skip" | "defer" | "exit" | "holdout" | "enter" | "not_enrolled";

export interface SendCommand {
  type: "send";
  stepId: string;
  channel: Channel;
  purpose: Purpose;
  templateKey: string;
  topic: string | null;
  /** Customer locale, else the shop's: the template language. */
  locale: string;
  /** `${enrollmentId}:${stepId}:${visit}`: Message.idempotencyKey; a replay never sends twice. */
  idempotencyKey: string;
  /** Email only: the subject line to render instead of the template's (a step's or its variant's). */
  subject?: string;
  /** The step's own content (message editor), rendered instead of the template's. */
  content?: MessageContent;
  /** A/B variant key: the step's own, or that of the A/B split this send is the first after. */
  variant?: string;
  /** The discount this message carries: the create_discount command with this key precedes it. */
  discount?: { stepId: string; idempotencyKey: string };
}

export interface CreateDiscountCommand {
  type: "create_discount";
  stepId: string;
  /** DiscountCode.idempotencyKey: a retry reuses the code. */
  idempotencyKey: string;
  kind: "percentage" | "fixed_amount" | "free_shipping";
  value: number;
  expiresInHours: number;
  prefix: string;
}

export interface AddTagCommand {
  type: "add_tag";
  stepId: string;
  tag: string;
}

/** Stop marketing on a channel (a Suppression row with this reason): the sunset. */
export interface SuppressMarketingCommand {
  type: "suppress_marketing";
  stepId: string;
  channel: Channel | "all";
  reason: "sunset" | "manual";
}

/** Wake the enrollment at `at` (Enrollment.nextWakeAt). */
export interface ScheduleCommand {
  type: "schedule";
  stepId: string;
  at: EpochMs;
  why: "wait" | "wait_window" | "deferred";
  /** The send the wake leads to, when known: the runner may keep it for other enrollments' priority checks. */
  plannedSend: { channel: Channel; at: EpochMs } | null;
}

/** Wait for one of `events`; wake at `timeoutAt` if none comes (Enrollment.nextWakeAt = timeoutAt). */
export interface WaitForEventCommand {
  type: "wait_for_event";
  stepId: string;
  events: string[];
  timeoutAt: EpochMs;
}

/** The flow's goal was reached (Enrollment.goalReachedAt). */
export interface GoalReachedCommand {
  type: "goal_reached";
  at: EpochMs;
  event: string;
}

/** The enrollment ends early (Enrollment.status = exited, exitReason = reason). */
export interface ExitCommand {
  type: "exit";
  reason: string;
}

/** The enrollment ends normally (Enrollment.status = completed). */
export interface CompleteCommand {
  type: "complete";
  reason: "goal_reached" | "end_of_flow";
}

/** One row of the decision log (Decision). */
export interface DecisionCommand {
  type: "decision";
  outcome: DecisionOutcome;
  /** allowed | no_consent | no_address | suppressed | frequency_cap | quiet_hours | lost_priority | deferral_expired | holdout | exit_condition | filter_failed | goal_reached | end_of_flow | exit_step | trigger | ... */
  reason: string;
  stepId: string | null;
  at: EpochMs;
  channel?: Channel;
  templateKey?: string;
  /** For outcome send: the Message's idempotencyKey, so the runner can link Decision.messageId. */
  messageKey?: string;
  details: Record<string, unknown>;
}

export type Command =
  | SendCommand
  | CreateDiscountCommand
  | AddTagCommand
  | SuppressMarketingCommand
  | ScheduleCommand
  | WaitForEventCommand
  | GoalReachedCommand
  | ExitCommand
  | CompleteCommand
  | DecisionCommand;

// ---------------------------------------------------------------------------
// State (Enrollment.state)
// ---------------------------------------------------------------------------

export type WaitState =
  /** A wait step: resume at `next` (absent = end of flow). */
  | { kind: "timer"; stepId: string; until: EpochMs; next?: string }
  /** A wait_window step: re-check the window at `until`. */
  | { kind: "window"; stepId: string; until: EpochMs }
  /** A deferred send: arbitrate the same send again at `until`. */
  | { kind: "defer"; stepId: string; until: EpochMs; dueSince: EpochMs; reason: string }
  /** A wait_for_event step: one of `events`, or the timeout at `until`. */
  | { kind: "event"; stepId: string; until: EpochMs; events: string[] };

export interface HistoryEntry {
  at: EpochMs;
  stepId: string;
  /** e.g. send, holdout, skip:no_consent, defer:quiet_hours, then, else, branch:0, variant:b, tag, discount, wait, event:fulfillment_created, timeout */
  result: string;
}

export interface EnrollmentState {
  v: 1;
  status: "active" | "completed" | "exited";
  /** The step being executed or waited on; null once finished. */
  stepId: string | null;
  wait: WaitState | null;
  enteredAt: EpochMs;
  trigger: TriggerPayload;
  /** How many times each step was entered (the `visit` in idempotency keys). */
  visits: Record<string, number>;
  /** A/B assignments: step id -> variant key (ab_split and send variants). */
  variants: Record<string, string>;
  /** Discounts prepared by create_discount steps: step id -> {key, created}. Created lazily with the first send that carries them. */
  discounts: Record<string, { idempotencyKey: string; created: boolean }>;
  /** The last event a wait_for_event step matched (conditions read it as event.*). */
  lastEvent: CustomerEvent | null;
  goalReachedAt: EpochMs | null;
  finishedAt: EpochMs | null;
  /** exit reason, or goal_reached / end_of_flow. */
  endReason: string | null;
  /** Recently handled event ids (bounded): a redelivered event is ignored. */
  seenEventIds: string[];
  /** Step history (bounded to the last 100 entries). */
  history: HistoryEntry[];
  /** Number of step() calls that changed this state. */
  seq: number;
}

/** The trigger as decision details show it (no data: that may hold personal details). */
export function triggerSummary(t: TriggerPayload): Record<string, string> {
  const out: Record<string, string> = { type: t.type };
  if (t.event !== undefined) out.event = t.event;
  if (t.segmentKey !== undefined) out.segmentKey = t.segmentKey;
  if (t.sourceId !== undefined) out.sourceId = t.sourceId;
  return out;
}

export interface StepResult {
  state: EnrollmentState;
  commands: Command[];
}

// ---------------------------------------------------------------------------
// Entry
// ---------------------------------------------------------------------------

export interface PastEnrollment {
  enteredAt: EpochMs;
  status: "active" | "completed" | "exited" | "failed";
  contextKey?: string | null;
}

export type NotEnrolledReason =
  "trigger_mismatch" | "entry_condition" | "no_consent" | "already_enrolled" | "reentry_never" | "reentry_window" | "not_in_rollout";

export type EnrollDecision =
  /** Enroll: create the Enrollment (with this contextKey) and call step() with a start input (it logs the `enter` decision). */
  | { enroll: true; contextKey: string | null }
  /** Do not enroll; `decision` is the not_enrolled row for the decision log. */
  | { enroll: false; reason: NotEnrolledReason; decision: DecisionCommand };
