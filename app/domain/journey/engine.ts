import { arbitrateSend } from "../arbitration/arbitrate";
import { dailyWindows, nextInstantInWindows, parseHHMM, resolveTimeZone } from "../arbitration/local-time";
import type { Channel, EpochMs } from "../arbitration/types";
import { abDraw, pickWeighted } from "./ab-draw";
import { evaluate, readPath, type Scope } from "./conditions";
import { FILTER_FAILED, filterFailure } from "./filter";
import { sendsMeasuringSplits } from "./graph";
import type { Duration, FlowDefinition, SendStep, Step } from "./schema";
import { triggerSummary } from "./types";
import type {
  Command,
  CustomerEvent,
  DecisionCommand,
  DecisionOutcome,
  EngineContext,
  EnrollmentState,
  StepInput,
  StepResult,
  TriggerPayload,
  WaitState,
} from "./types";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MAX_STEPS_PER_CALL = 200;
const MAX_HISTORY = 100;
const MAX_SEEN_EVENTS = 50;
const STOP = Symbol("stop");
type Next = string | undefined | typeof STOP;

/**
 * The engine: one pure transition of one enrollment.
 *
 *   step(definition, state, input, now, context) -> { state, commands }
 *
 * - `definition`: the validated FlowDefinition of the enrollment's FlowVersion.
 * - `state`: Enrollment.state (null only for `start`).
 * - `input`: start | wake | event | stop.
 * - `now`: epoch ms.
 * - `context`: the customer, shop, recent sends and other enrollments right now.
 *
 * There is no randomness: A/B variants are drawn from a hash of the shop, flow key,
 * step and customer (abDraw), so the split is the same on every call and every run.
 *
 * Walks steps until the enrollment must wait (a `schedule` or `wait_for_event`
 * command), or ends (`exit` / `complete`). Every send, every send not made (skip,
 * defer, holdout), entry and every end carries a `decision` command. The input state
 * is never mutated. A call with nothing to do returns the same state and no commands.
 */
export function step(
  definition: FlowDefinition,
  state: EnrollmentState | null,
  input: StepInput,
  now: EpochMs,
  context: EngineContext,
): StepResult {
  if (input.kind === "start") {
    if (state) return { state, commands: [] }; // already started: a replayed start does nothing
    const run = new Run(definition, initialState(input.trigger, now), now, context);
    run.decide("enter", "trigger", null, { trigger: triggerSummary(input.trigger), holdout: context.holdout });
    run.advance(definition.startStepId);
    return run.result();
  }

  if (!state) throw new Error(`step(${input.kind}) needs the enrollment's state; only "start" begins without one`);
  if (state.status !== "active") return { state, commands: [] };

  if (input.kind === "stop") {
    const run = new Run(definition, clone(state), now, context);
    run.decide("exit", input.reason, state.stepId, {});
    run.end("exited", input.reason);
    return run.result();
  }

  if (input.kind === "wake") {
    const w = state.wait;
    if (!w) return { state, commands: [] };
    const run = new Run(definition, clone(state), now, context);
    if (now < w.until) {
      // Woken early (a stale timer): re-arm the same wait, change nothing.
      return { state, commands: [run.timerCommand(w)] };
    }
    run.s.wait = null;
    run.resume(w);
    return run.result();
  }

  // An event.
  const event = input.event;
  if (event.id && state.seenEventIds.includes(event.id)) return { state, commands: [] };
  const run = new Run(definition, clone(state), now, context);
  run.onEvent(event);
  if (run.commands.length === 0) return { state, commands: [] };
  if (event.id) run.s.seenEventIds = [...run.s.seenEventIds, event.id].slice(-MAX_SEEN_EVENTS);
  return run.result();
}

export function initialState(trigger: TriggerPayload, now: EpochMs): EnrollmentState {
  return {
    v: 1,
    status: "active",
    stepId: null,
    wait: null,
    enteredAt: now,
    trigger,
    visits: {},
    variants: {},
    discounts: {},
    lastEvent: null,
    goalReachedAt: null,
    finishedAt: null,
    endReason: null,
    seenEventIds: [],
    history: [],
    seq: 0,
  };
}

function clone(s: EnrollmentState): EnrollmentState {
  return structuredClone(s);
}

/** The columns of the Enrollment row that follow from a state (what the runner writes). */
export function enrollmentColumns(state: EnrollmentState): {
  status: "active" | "completed" | "exited";
  nextWakeAt: EpochMs | null;
  exitReason: string | null;
  goalReachedAt: EpochMs | null;
  finishedAt: EpochMs | null;
} {
  return {
    status: state.status,
    nextWakeAt: state.status === "active" ? (state.wait?.until ?? null) : null,
    exitReason: state.status === "exited" ? state.endReason : null,
    goalReachedAt: state.goalReachedAt,
    finishedAt: state.finishedAt,
  };
}

/** The next send this enrollment plans (for other enrollments' priority checks), or null. */
export function plannedSend(definition: FlowDefinition, state: EnrollmentState): { channel: Channel; at: EpochMs } | null {
  if (state.status !== "active" || !state.wait) return null;
  return plannedSendFor(definition, state.wait);
}

function plannedSendFor(definition: FlowDefinition, w: WaitState): { channel: Channel; at: EpochMs } | null {
  const byId = new Map(definition.steps.map((s) => [s.id, s]));
  let starts: (string | undefined)[];
  if (w.kind === "defer") starts = [w.stepId];
  else if (w.kind === "timer") starts = [w.next];
  else if (w.kind === "window") {
    const st = byId.get(w.stepId);
    starts = [st && st.type === "wait_window" ? st.next : undefined];
  } else return null;
  // The first send reachable without waiting (through conditions, splits, tags, discounts).
  const queue = starts.filter((id): id is string => id !== undefined);
  const seen = new Set<string>();
  while (queue.length) {
    const st = byId.get(queue.shift()!);
    if (!st || seen.has(st.id)) continue;
    seen.add(st.id);
    switch (st.type) {
      case "send":
        return { channel: st.channel, at: w.until };
      case "condition":
        queue.push(...[st.then, st.else].filter((x): x is string => x !== undefined));
        break;
      case "split":
        queue.push(...[...st.branches.map((b) => b.next), st.otherwise].filter((x): x is string => x !== undefined));
        break;
      case "ab_split":
        queue.push(...st.variants.map((v) => v.next).filter((x): x is string => x !== undefined));
        break;
      case "create_discount":
      case "add_tag":
      case "suppress_marketing":
        if (st.next !== undefined) queue.push(st.next);
        break;
      default:
        break;
    }
  }
  return null;
}

/** Every event name the definition reacts to while enrolled (goal, exits, wait_for_event): the runner may deliver only these. */
export function eventsOfInterest(definition: FlowDefinition): string[] {
  const names = new Set<string>();
  for (const e of definition.exits) e.events.forEach((n) => names.add(n));
  definition.goal?.events.forEach((n) => names.add(n));
  for (const s of definition.steps) if (s.type === "wait_for_event") s.events.forEach((n) => names.add(n));
  return [...names].sort();
}

/** Milliseconds of a duration; dynamic ones read the scope (falling back when absent or not positive). */
export function durationMs(d: Duration, scope: Scope): number {
  if ("fromPath" in d) {
    const raw = readPath(scope, d.fromPath);
    const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : NaN;
    const value = Number.isFinite(n) && n > 0 ? n : d.fallback;
    const total = Math.max(d.min, value + d.offset);
    return total * (d.unit === "days" ? DAY : HOUR);
  }
  return (d.minutes ?? 0) * MINUTE + (d.hours ?? 0) * HOUR + (d.days ?? 0) * DAY;
}

class Run {
  readonly commands: Command[] = [];
  private readonly steps: Map<string, Step>;
  private readonly priority: number;

  constructor(
    readonly def: FlowDefinition,
    readonly s: EnrollmentState,
    readonly now: EpochMs,
    readonly ctx: EngineContext,
  ) {
    this.steps = new Map(def.steps.map((st) => [st.id, st]));
    this.priority = ctx.flow?.priority ?? def.priority;
  }

  result(): StepResult {
    if (this.commands.length > 0) this.s.seq += 1;
    return { state: this.s, commands: this.commands };
  }

  // -- bookkeeping ---------------------------------------------------------

  decide(
    outcome: DecisionOutcome,
    reason: string,
    stepId: string | null,
    details: Record<string, unknown>,
    extra: Partial<DecisionCommand> = {},
  ): void {
    this.commands.push({ type: "decision", outcome, reason, stepId, at: this.now, ...extra, details });
  }

  private record(stepId: string, result: string): void {
    this.s.history.push({ at: this.now, stepId, result });
    if (this.s.history.length > MAX_HISTORY) this.s.history.splice(0, this.s.history.length - MAX_HISTORY);
  }

  end(status: "completed" | "exited", reason: string): void {
    if (status === "exited") this.commands.push({ type: "exit", reason });
    else this.commands.push({ type: "complete", reason: reason === "goal_reached" ? "goal_reached" : "end_of_flow" });
    this.s.status = status;
    this.s.endReason = reason;
    this.s.finishedAt = this.now;
    this.s.wait = null;
  }

  private key(stepId: string): string {
    return `${this.ctx.enrollmentId}:${stepId}:${this.s.visits[stepId] ?? 1}`;
  }

  scope(event?: CustomerEvent | null): Scope {
    const t = this.ctx.trigger ?? this.s.trigger;
    const c = this.ctx.customer;
    const ev = event ?? this.s.lastEvent;
    return {
      customer: {
        ...c,
        hasEmail: c.email.address,
        hasPhone: c.sms.address,
        emailConsent: c.email.consent,
        smsConsent: c.sms.consent,
        properties: c.properties ?? {},
      },
      trigger: { ...t.data, type: t.type, event: t.event, segmentKey: t.segmentKey, at: t.at },
      event: ev ? { ...ev.data, name: ev.name, at: ev.at } : undefined,
      shop: { id: this.ctx.shop.id, timezone: this.ctx.shop.timezone, locale: this.ctx.shop.locale },
      enrollment: { enteredAt: this.s.enteredAt, variants: this.s.variants, goalReachedAt: this.s.goalReachedAt },
    };
  }

  timerCommand(w: WaitState): Command {
    if (w.kind === "event") return { type: "wait_for_event", stepId: w.stepId, events: w.events, timeoutAt: w.until };
    const why = w.kind === "defer" ? "deferred" : w.kind === "window" ? "wait_window" : "wait";
    return { type: "schedule", stepId: w.stepId, at: w.until, why, plannedSend: plannedSendFor(this.def, w) };
  }

  private wait(w: WaitState): typeof STOP {
    this.s.wait = w;
    this.commands.push(this.timerCommand(w));
    return STOP;
  }

  // -- walking ---------------------------------------------------------------

  advance(startId: string | undefined): void {
    let id: string | undefined = startId;
    for (let guard = 0; ; guard++) {
      if (guard >= MAX_STEPS_PER_CALL) {
        this.decide("exit", "loop_guard", id ?? null, { steps: guard });
        return this.end("exited", "loop_guard");
      }
      if (id === undefined) {
        this.decide("exit", "end_of_flow", this.s.stepId, {});
        return this.end("completed", "end_of_flow");
      }
      const st = this.steps.get(id);
      if (!st) {
        this.decide("exit", "invalid_step", id, { missing: id });
        return this.end("exited", "invalid_step");
      }
      this.s.stepId = id;
      this.s.visits[id] = (this.s.visits[id] ?? 0) + 1;
      const next = this.execute(st);
      if (next === STOP) return;
      id = next;
    }
  }

  /** A timer fired for `w` (already cleared from the state). */
  resume(w: WaitState): void {
    const st = this.steps.get(w.stepId);
    if (!st) {
      this.decide("exit", "invalid_step", w.stepId, { missing: w.stepId });
      return this.end("exited", "invalid_step");
    }
    if (w.kind === "timer") return this.advance(w.next);
    if (w.kind === "event") {
      this.record(w.stepId, "timeout");
      return this.advance(st.type === "wait_for_event" ? st.onTimeout : undefined);
    }
    // window / defer: run the same step again (same visit, same idempotency key).
    const next = w.kind === "defer" && st.type === "send" ? this.send(st, w.dueSince) : this.execute(st);
    if (next !== STOP) this.advance(next);
  }

  private execute(st: Step): Next {
    const now = this.now;
    switch (st.type) {
      case "wait": {
        const until = (st.anchor === "entry" ? this.s.enteredAt : now) + durationMs(st.duration, this.scope());
        if (until <= now) {
          this.record(st.id, "wait:elapsed");
          return st.next;
        }
        this.record(st.id, "wait");
        return this.wait({ kind: "timer", stepId: st.id, until, next: st.next });
      }
      case "wait_window": {
        const tz =
          st.timezone === "shop"
            ? resolveTimeZone(this.ctx.shop.timezone)
            : resolveTimeZone(this.ctx.customer.timezone, this.ctx.shop.timezone);
        const at = nextInstantInWindows(now, tz, dailyWindows(parseHHMM(st.start), parseHHMM(st.end)), st.days);
        if (at === null || at <= now) {
          this.record(st.id, "window:open");
          return st.next;
        }
        this.record(st.id, "wait_window");
        return this.wait({ kind: "window", stepId: st.id, until: at });
      }
      case "wait_for_event": {
        this.record(st.id, "wait_for_event");
        return this.wait({ kind: "event", stepId: st.id, until: now + durationMs(st.timeout, {}), events: [...st.events] });
      }
      case "condition": {
        const ok = evaluate(st.if, this.scope(), now);
        this.record(st.id, ok ? "then" : "else");
        return ok ? st.then : st.else;
      }
      case "split": {
        const scope = this.scope();
        const i = st.branches.findIndex((b) => evaluate(b.when, scope, now));
        this.record(st.id, i >= 0 ? `branch:${i}` : "otherwise");
        return i >= 0 ? st.branches[i]!.next : st.otherwise;
      }
      case "ab_split": {
        const chosen = this.variantOf(st.id, st.variants);
        this.record(st.id, `variant:${chosen.key}`);
        return chosen.next;
      }
      case "create_discount": {
        const idempotencyKey = this.key(st.id);
        const carried = this.def.steps.some(
          (x) => x.type === "send" && (x.discountStepId === st.id || x.variants?.some((v) => v.discountStepId === st.id)),
        );
        // Carried by a message: created together with that message, so a message that
        // is skipped or held out never mints an unused code. Standalone: created now.
        const create = !carried && !this.ctx.holdout;
        this.s.discounts[st.id] = { idempotencyKey, created: create };
        if (create) this.commands.push(discountCommand(st, idempotencyKey));
        this.record(st.id, carried ? "discount:prepared" : create ? "discount" : "discount:holdout");
        return st.next;
      }
      case "add_tag": {
        this.commands.push({ type: "add_tag", stepId: st.id, tag: st.tag });
        this.record(st.id, "tag");
        return st.next;
      }
      case "suppress_marketing": {
        this.commands.push({ type: "suppress_marketing", stepId: st.id, channel: st.channel, reason: st.reason });
        this.record(st.id, "suppress");
        return st.next;
      }
      case "exit": {
        this.record(st.id, "exit");
        this.decide("exit", "exit_step", st.id, { reason: st.reason });
        this.end("exited", st.reason);
        return STOP;
      }
      case "send":
        return this.send(st, now);
    }
  }

  /** The enrollment's variant at an A/B step: the one it already has, else the customer's draw. */
  private variantOf<T extends { key: string; weight: number }>(stepId: string, variants: readonly T[]): T {
    const kept = variants.find((v) => v.key === this.s.variants[stepId]);
    const chosen = kept ?? pickWeighted(variants, abDraw(this.ctx.shop.id, this.ctx.flow.key, stepId, this.ctx.customer.id));
    this.s.variants[stepId] = chosen.key;
    return chosen;
  }

  /** A send after an A/B split carries the split's variant, so its figures measure the split. */
  private splitVariant(sendId: string): string | undefined {
    const split = splitsBefore(this.def).get(sendId)?.[0];
    return split === undefined ? undefined : this.s.variants[split];
  }

  private send(st: SendStep, dueSince: EpochMs): Next {
    const failure = filterFailure(this.def, this.scope(), this.now);
    if (failure) {
      this.decide("exit", FILTER_FAILED, st.id, failure, { channel: st.channel });
      this.record(st.id, FILTER_FAILED);
      this.end("exited", FILTER_FAILED);
      return STOP;
    }
    const v = st.variants ? this.variantOf(st.id, st.variants) : undefined;
    const templateKey = v?.templateKey ?? st.templateKey;
    const subject = v?.subject ?? st.subject;
    const discountStepId = v && v.discountStepId !== undefined ? (v.discountStepId ?? undefined) : st.discountStepId;
    const variant = v?.key ?? this.splitVariant(st.id);
    const topic = st.topic ?? null;
    const arb = arbitrateSend(
      {
        channel: st.channel,
        purpose: st.purpose,
        topic,
        priority: this.priority,
        onCap: st.onCap,
        onConflict: st.onConflict,
        dueSince,
        maxDeferHours: st.maxDeferHours ?? null,
        excludeAfterOrderHours: this.ctx.flow?.excludeAfterOrderHours ?? null,
      },
      this.ctx,
      this.now,
    );
    const extra = { channel: st.channel, templateKey };
    const details = { ...arb.details, ...(variant ? { variant } : {}), ...(dueSince !== this.now ? { dueSince } : {}) };

    switch (arb.outcome) {
      case "send": {
        const idempotencyKey = this.key(st.id);
        const discount = discountStepId ? this.s.discounts[discountStepId] : undefined;
        if (discount && !discount.created) {
          const dst = this.steps.get(discountStepId!);
          if (dst?.type === "create_discount") this.commands.push(discountCommand(dst, discount.idempotencyKey));
          discount.created = true;
        }
        this.commands.push({
          type: "send",
          stepId: st.id,
          channel: st.channel,
          purpose: st.purpose,
          templateKey,
          topic,
          locale: this.ctx.customer.locale ?? this.ctx.shop.locale,
          idempotencyKey,
          ...(subject !== undefined ? { subject } : {}),
          // A variant with a template of its own sends that template, not the step's content.
          ...(st.content && !v?.templateKey ? { content: st.content } : {}),
          ...(variant ? { variant } : {}),
          ...(discount ? { discount: { stepId: discountStepId!, idempotencyKey: discount.idempotencyKey } } : {}),
        });
        this.decide("send", "allowed", st.id, discount ? { ...details, discount: discount.idempotencyKey } : details, {
          ...extra,
          messageKey: idempotencyKey,
        });
        this.record(st.id, "send");
        return st.next;
      }
      case "holdout": {
        this.decide("holdout", "holdout", st.id, details, extra);
        this.record(st.id, "holdout");
        return st.next;
      }
      case "skip": {
        this.decide("skip", arb.reason, st.id, details, extra);
        this.record(st.id, `skip:${arb.reason}`);
        const unusable = arb.reason === "no_consent" || arb.reason === "no_address" || arb.reason === "suppressed";
        if (unusable && st.onNoConsent === "exit") {
          this.decide("exit", arb.reason, st.id, { channel: st.channel });
          this.end("exited", arb.reason);
          return STOP;
        }
        return st.next;
      }
      case "defer": {
        this.decide("defer", arb.reason, st.id, details, extra);
        this.record(st.id, `defer:${arb.reason}`);
        return this.wait({ kind: "defer", stepId: st.id, until: arb.until, dueSince, reason: arb.reason });
      }
    }
  }

  // -- events ----------------------------------------------------------------

  onEvent(event: CustomerEvent): void {
    const goal = this.def.goal;
    if (goal && goal.events.includes(event.name) && this.s.goalReachedAt === null) {
      const inTime = goal.withinHours === undefined || this.now <= this.s.enteredAt + goal.withinHours * HOUR;
      if (inTime && (!goal.where || evaluate(goal.where, this.scope(event), this.now))) {
        this.s.goalReachedAt = this.now;
        this.commands.push({ type: "goal_reached", at: this.now, event: event.name });
        this.record(this.s.stepId ?? "-", `goal:${event.name}`);
        if (goal.exitOnGoal) {
          this.decide("exit", "goal_reached", this.s.stepId, { event: event.name });
          this.end("completed", "goal_reached");
          return;
        }
      }
    }
    for (const rule of this.def.exits) {
      if (!rule.events.includes(event.name)) continue;
      if (rule.where && !evaluate(rule.where, this.scope(event), this.now)) continue;
      this.decide("exit", "exit_condition", this.s.stepId, { rule: rule.reason, event: event.name });
      this.end("exited", rule.reason);
      return;
    }
    const w = this.s.wait;
    if (w?.kind === "event" && w.events.includes(event.name)) {
      const st = this.steps.get(w.stepId);
      if (st?.type !== "wait_for_event") return;
      if (st.where && !evaluate(st.where, this.scope(event), this.now)) return;
      this.s.wait = null;
      this.s.lastEvent = event;
      this.record(st.id, `event:${event.name}`);
      this.advance(st.onEvent);
    }
  }
}

// Definitions are immutable once parsed (one object per FlowVersion, cached by the runner).
const splitsCache = new WeakMap<FlowDefinition, Map<string, string[]>>();
function splitsBefore(def: FlowDefinition): Map<string, string[]> {
  let m = splitsCache.get(def);
  if (!m) splitsCache.set(def, (m = sendsMeasuringSplits(def)));
  return m;
}

function discountCommand(st: Extract<Step, { type: "create_discount" }>, idempotencyKey: string): Command {
  return {
    type: "create_discount",
    stepId: st.id,
    idempotencyKey,
    kind: st.kind,
    value: st.value,
    expiresInHours: st.expiresInHours,
    prefix: st.prefix,
  };
}
