// A tiny runner stand-in for engine tests: time is simulated by calling step() with
// `wake` inputs at the times the engine scheduled (no sleeping, no database). Sends
// are fed back into the context's recentSends the way the real runner would.

import { DEFAULT_FREQUENCY_CAPS } from "~/domain/arbitration";
import type { CustomerFacts, OtherEnrollment, RecentSend, ShopSettings } from "~/domain/arbitration";
import {
  enrollmentColumns,
  shouldEnroll,
  type EnrollDecision,
  type PastEnrollment,
  step,
  type Command,
  type CustomerEvent,
  type EngineContext,
  type EnrollmentState,
  type FlowDefinition,
  type StepInput,
  type TriggerPayload,
} from "~/domain/journey";

export const M = 60_000;
export const H = 3_600_000;
export const D = 86_400_000;

/** Tuesday 10 March 2026, 10:00 in Warsaw (CET, UTC+1). */
export const T0 = Date.parse("2026-03-10T09:00:00Z");

export const iso = (ms: number) => new Date(ms).toISOString().replace(":00.000Z", "Z");

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export function customer(over: DeepPartial<CustomerFacts> = {}): CustomerFacts {
  const base: CustomerFacts = {
    id: "cust-1",
    email: { address: true, consent: "subscribed", suppressed: null },
    sms: { address: true, consent: "subscribed", suppressed: null },
    timezone: "Europe/Warsaw",
    locale: "pl",
    countryCode: "PL",
    ordersCount: 0,
    totalSpent: 0,
    firstOrderAt: null,
    lastOrderAt: null,
    lastSeenAt: null,
    lastEngagedAt: null,
    createdAt: T0 - 400 * D,
    tags: [],
    marketingPausedUntil: null,
    unsubscribedTopics: [],
    properties: {},
    segments: [],
  };
  return {
    ...base,
    ...(over as Partial<CustomerFacts>),
    email: { ...base.email, ...(over.email ?? {}) },
    sms: { ...base.sms, ...(over.sms ?? {}) },
  };
}

export function shop(over: Partial<ShopSettings> = {}): ShopSettings {
  return {
    id: "shop-1",
    timezone: "Europe/Warsaw",
    locale: "en",
    quietHours: { startMinute: 21 * 60, endMinute: 8 * 60 },
    frequencyCaps: DEFAULT_FREQUENCY_CAPS,
    holdoutPercent: 10,
    ...over,
  };
}

export interface SimOptions {
  now?: number;
  enrollmentId?: string;
  customer?: CustomerFacts;
  shop?: ShopSettings;
  holdout?: boolean;
  recentSends?: RecentSend[];
  otherEnrollments?: OtherEnrollment[];
  priority?: number;
}

export interface LogEntry {
  at: number;
  cmd: Command;
}

export class Sim {
  state: EnrollmentState | null = null;
  now: number;
  readonly ctx: EngineContext;
  readonly log: LogEntry[] = [];
  /** The commands of each step() call, in order. */
  readonly calls: Command[][] = [];
  /** The customer's recent sends (the engine's sends are appended as the runner would). */
  readonly recent: RecentSend[];
  /** The customer's other active enrollments. */
  readonly others: OtherEnrollment[];

  constructor(
    readonly def: FlowDefinition,
    opts: SimOptions = {},
  ) {
    this.now = opts.now ?? T0;
    this.recent = [...(opts.recentSends ?? [])];
    this.others = [...(opts.otherEnrollments ?? [])];
    this.ctx = {
      enrollmentId: opts.enrollmentId ?? "enr-1",
      flow: { id: `flow-${def.key}`, key: def.key, priority: opts.priority ?? def.priority },
      customer: opts.customer ?? customer(),
      shop: opts.shop ?? shop(),
      recentSends: this.recent,
      otherEnrollments: this.others,
      holdout: opts.holdout ?? false,
    };
  }

  private apply(input: StepInput): Command[] {
    const r = step(this.def, this.state, input, this.now, this.ctx);
    this.state = r.state;
    this.calls.push(r.commands);
    for (const cmd of r.commands) {
      this.log.push({ at: this.now, cmd });
      if (cmd.type === "send")
        this.recent.push({
          channel: cmd.channel,
          purpose: cmd.purpose,
          at: this.now,
          flowKey: this.ctx.flow.key,
          priority: this.ctx.flow.priority,
        });
    }
    return r.commands;
  }

  start(trigger: Partial<TriggerPayload> & { data?: Record<string, unknown> } = {}): Command[] {
    const t: TriggerPayload = { type: "event", at: this.now, data: {}, ...trigger };
    return this.apply({ kind: "start", trigger: t });
  }

  /** Delivers an event; with `at`, first runs every timer due before then. */
  event(name: string, data: Record<string, unknown> = {}, opts: { at?: number; id?: string } = {}): Command[] {
    if (opts.at !== undefined) this.runUntil(opts.at);
    const event: CustomerEvent = { name, at: this.now, data, ...(opts.id ? { id: opts.id } : {}) };
    return this.apply({ kind: "event", event });
  }

  stop(reason: string): Command[] {
    return this.apply({ kind: "stop", reason });
  }

  nextWake(): number | null {
    return this.state ? enrollmentColumns(this.state).nextWakeAt : null;
  }

  /** Fires the next timer (moving the clock to it). */
  wake(): Command[] {
    const t = this.nextWake();
    if (t === null) throw new Error("nothing scheduled");
    this.now = Math.max(this.now, t);
    return this.apply({ kind: "wake" });
  }

  /** Fires every timer due at or before `t`, then sets the clock to `t`. */
  runUntil(t: number): void {
    for (let guard = 0; guard < 500; guard++) {
      const w = this.nextWake();
      if (w === null || w > t) break;
      this.wake();
    }
    this.now = Math.max(this.now, t);
  }

  /** Fires timers until the enrollment ends (or nothing is scheduled). */
  runToEnd(): void {
    for (let guard = 0; guard < 500 && this.nextWake() !== null; guard++) this.wake();
  }

  /** The log as one line per command (see fmt). */
  trace(): string[] {
    return this.log.map(fmt);
  }

  decisions(): { at: string; outcome: string; reason: string; stepId: string | null }[] {
    return this.log.flatMap(({ at, cmd }) =>
      cmd.type === "decision" ? [{ at: iso(at), outcome: cmd.outcome, reason: cmd.reason, stepId: cmd.stepId }] : [],
    );
  }

  commands(type?: Command["type"]): Command[] {
    return this.log.map((l) => l.cmd).filter((c) => !type || c.type === type);
  }
}

/** One readable line per command, carrying every field that matters. */
export function fmt({ at: when, cmd }: LogEntry): string {
  const t = iso(when);
  switch (cmd.type) {
    case "decision": {
      const d = cmd.details;
      const bits = [`${t} decision ${cmd.outcome}/${cmd.reason}`, cmd.stepId ?? "-"];
      if (cmd.channel) bits.push(cmd.channel);
      if (typeof d.until === "number") bits.push(`until=${iso(d.until)}`);
      if (typeof d.cause === "string") bits.push(`cause=${d.cause}`);
      if (typeof d.rule === "string") bits.push(`rule=${d.rule}`);
      if (d.against && typeof d.against === "object") bits.push(`against=${(d.against as { flowKey: string }).flowKey}`);
      if (typeof d.blockedBy === "string") bits.push(`blockedBy=${d.blockedBy}`);
      return bits.join(" ");
    }
    case "send":
      return [
        `${t} send ${cmd.channel} ${cmd.templateKey} ${cmd.purpose} key=${cmd.idempotencyKey}`,
        ...(cmd.topic ? [`topic=${cmd.topic}`] : []),
        ...(cmd.variant ? [`variant=${cmd.variant}`] : []),
        ...(cmd.subject ? [`subject="${cmd.subject}"`] : []),
        ...(cmd.discount ? [`discount=${cmd.discount.idempotencyKey}`] : []),
      ].join(" ");
    case "create_discount":
      return `${t} create_discount ${cmd.kind} ${cmd.value} ${cmd.expiresInHours}h ${cmd.prefix} key=${cmd.idempotencyKey}`;
    case "schedule":
      return `${t} schedule ${cmd.stepId} at=${iso(cmd.at)} ${cmd.why}${cmd.plannedSend ? ` plans=${cmd.plannedSend.channel}` : ""}`;
    case "wait_for_event":
      return `${t} wait_for_event ${cmd.stepId} [${cmd.events.join(",")}] timeout=${iso(cmd.timeoutAt)}`;
    case "add_tag":
      return `${t} add_tag ${cmd.tag}`;
    case "suppress_marketing":
      return `${t} suppress_marketing ${cmd.channel} ${cmd.reason}`;
    case "goal_reached":
      return `${t} goal_reached ${cmd.event}`;
    case "exit":
      return `${t} exit ${cmd.reason}`;
    case "complete":
      return `${t} complete ${cmd.reason}`;
  }
}

/** A competing enrollment of a higher-priority flow planning an email. */
export function competitor(flowKey: string, priority: number, nextSendAt: number, channel: "email" | "sms" = "email"): OtherEnrollment {
  return { enrollmentId: `enr-${flowKey}`, flowKey, priority, nextSendAt, nextSendChannel: channel };
}

/** A marketing email sent by a campaign (no flow, no priority). */
export function campaignEmail(when: number): RecentSend {
  return { channel: "email", purpose: "marketing", at: when, flowKey: null, priority: null };
}

/** shouldEnroll with test defaults (an event trigger at `now`, 100 % rollout). */
export function enroll(
  def: FlowDefinition,
  trigger: Partial<TriggerPayload> & { data?: Record<string, unknown> },
  opts: { customer?: CustomerFacts; history?: PastEnrollment[]; now?: number; percent?: number } = {},
): EnrollDecision {
  const now = opts.now ?? T0;
  return shouldEnroll(def, { type: "event", at: now, data: {}, ...trigger }, opts.customer ?? customer(), opts.history ?? [], now, {
    flowId: `flow-${def.key}`,
    percent: opts.percent ?? 100,
  });
}
