import { stepRefs } from "../journey/graph";
import type { FlowDefinition, Step } from "../journey/schema";
import {
  anchorWords,
  conditionWords,
  discountWords,
  eventWords,
  formatDuration,
  hoursDuration,
  reentryWords,
  stepNames,
  type Wording,
} from "./wording";
import { storedLabel } from "./stored-words";

// A flow definition as the vertical timeline the flow page draws: trigger and entry
// rules, then the steps walked from the start (branches indented under their
// condition, split or A/B split, each with its label), then the exits and the goal.
// A step reached a second time (two branches joining) is drawn once; the other path
// says where it continues.

export type TimelineKind =
  | "trigger"
  | "entry"
  | "wait"
  | "wait_window"
  | "wait_for_event"
  | "condition"
  | "split"
  | "ab_split"
  | "send"
  | "discount"
  | "tag"
  | "suppress"
  | "exit_step"
  | "end"
  | "goto"
  | "exit_rule"
  | "goal";

export interface TimelineRow {
  /** Unique within the timeline: the step id, or trigger / entry / exit:<i> / goal / end:<n> / goto:<n>. */
  key: string;
  kind: TimelineKind;
  /** 0 = the main path; each branch adds one. */
  depth: number;
  /** The branch this row opens ("Yes", "Variant b (50%)"); only on a branch's first row. */
  branch?: string;
  /** The step drawn, for steps (editing and links address it). */
  stepId?: string;
  /** The step's merchant-facing name ("Email 2", "Wait before email 2"). */
  name?: string;
  title: string;
  /** A send step's channel (the timeline shows it beside the title). */
  channel?: "email" | "sms";
  /** A second line: a where clause, an A/B test. */
  detail?: string;
}

export function flowTimeline(def: FlowDefinition, w: Wording): TimelineRow[] {
  const names = stepNames(def, w);
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const rows: TimelineRow[] = [];
  const drawn = new Set<string>();
  let n = 0;

  rows.push({ key: "trigger", kind: "trigger", depth: 0, title: triggerWords(def, w), detail: whereWords(def.trigger.where, w) });
  const filter = def.entry.conditions;
  // The filter is re-checked before every message, so the row says so.
  const filterDetail = filter ? w.t("flow.row.filter", { condition: conditionWords(filter, w) }) : undefined;
  rows.push({ key: "entry", kind: "entry", depth: 0, title: entryWords(def, w), detail: filterDetail });

  const walk = (start: string | undefined, depth: number, branch?: string) => {
    let id = start;
    let label = branch;
    for (;;) {
      if (id === undefined) {
        rows.push({ key: `end:${n++}`, kind: "end", depth, branch: label, title: w.t("flow.row.end") });
        return;
      }
      const st = byId.get(id);
      if (!st) return;
      if (drawn.has(id)) {
        rows.push({ key: `goto:${n++}`, kind: "goto", depth, branch: label, title: w.t("flow.row.goto", { step: names.get(id) ?? id }) });
        return;
      }
      drawn.add(id);
      rows.push({ ...stepRow(def, st, w, names), depth, branch: label });
      label = undefined;
      const branches = branchesOf(st, w);
      if (branches) {
        for (const b of branches) walk(b.next, depth + 1, b.label);
        return;
      }
      if (st.type === "exit") return;
      id = stepRefs(st)[0]?.id;
    }
  };
  walk(def.startStepId, 0);

  def.exits.forEach((e, i) =>
    rows.push({
      key: `exit:${i}`,
      kind: "exit_rule",
      depth: 0,
      title: w.t("flow.row.exitRule", { events: eventWords(e.events, w) }),
      detail: whereWords(e.where, w),
    }),
  );
  if (def.goal) {
    const outcome = w.t(def.goal.exitOnGoal ? "flow.goal.ends" : "flow.goal.records");
    const events = eventWords(def.goal.events, w);
    rows.push({
      key: "goal",
      kind: "goal",
      depth: 0,
      title: def.goal.withinHours
        ? w.t("flow.row.goalWithin", { events, duration: formatDuration(w, hoursDuration(def.goal.withinHours)), outcome })
        : w.t("flow.row.goal", { events, outcome }),
      detail: whereWords(def.goal.where, w),
    });
  }
  return rows;
}

function whereWords(where: Parameters<typeof conditionWords>[0] | undefined, w: Wording): string | undefined {
  return where ? w.t("flow.row.where", { condition: conditionWords(where, w) }) : undefined;
}

function triggerWords(def: FlowDefinition, w: Wording): string {
  const tr = def.trigger;
  switch (tr.type) {
    case "event":
      return w.t("flow.row.trigger", { events: eventWords(tr.events, w) });
    case "segment_entered":
      return w.t("flow.row.triggerSegment", { segment: tr.segmentKey });
    case "date":
      return w.t("flow.row.triggerDate", {
        offset:
          tr.offsetDays === 0
            ? w.t("flow.dateOffset.on")
            : w.t(tr.offsetDays < 0 ? "flow.dateOffset.before" : "flow.dateOffset.after", { days: Math.abs(tr.offsetDays) }),
        field: tr.dateField === "property" ? (tr.property ?? w.t("flow.dateField.property")) : w.t(`flow.dateField.${tr.dateField}`),
        time: tr.localTime,
      });
    case "inactivity":
      return w.t("flow.row.triggerInactivity", { days: tr.days, basis: w.t(`flow.basis.${tr.basis}`) });
  }
}

function entryWords(def: FlowDefinition, w: Wording): string {
  const reentry = reentryWords(def.entry.reentry, w);
  return w.t("flow.row.entry", { consent: w.t(`flow.consent.${def.entry.requiresConsent}`), reentry });
}

function stepRow(def: FlowDefinition, st: Step, w: Wording, names: Map<string, string>): Omit<TimelineRow, "depth"> {
  const base = { key: st.id, stepId: st.id, name: names.get(st.id) };
  switch (st.type) {
    case "wait": {
      const d = st.duration;
      if ("fromPath" in d)
        return {
          ...base,
          kind: "wait",
          title: storedLabel(st.label, w) ?? w.t("flow.row.wait", { duration: d.fromPath }),
          detail: w.t("flow.row.waitDynamic", {
            path: d.fromPath,
            unit: w.t(`flow.unit.${d.unit}`),
            offset: d.offset ? (d.offset > 0 ? `+${d.offset}` : String(d.offset)) : "",
            fallback: d.fallback,
          }),
        };
      const duration = formatDuration(w, d);
      return {
        ...base,
        kind: "wait",
        title:
          st.anchor === "entry" ? w.t("flow.row.waitAfter", { duration, anchor: anchorWords(def, w) }) : w.t("flow.row.wait", { duration }),
      };
    }
    case "wait_window":
      return {
        ...base,
        kind: "wait_window",
        title: w.t("flow.row.waitWindow", { start: st.start, end: st.end, zone: w.t(`flow.zone.${st.timezone}`) }),
      };
    case "wait_for_event":
      return {
        ...base,
        kind: "wait_for_event",
        title: w.t("flow.row.waitForEvent", { duration: formatDuration(w, st.timeout), events: eventWords(st.events, w) }),
        detail: whereWords(st.where, w),
      };
    case "condition":
      return {
        ...base,
        kind: "condition",
        title: w.t("flow.row.condition", { condition: conditionWords(st.if, w) }),
        detail: storedLabel(st.label, w),
      };
    case "split":
      return { ...base, kind: "split", title: storedLabel(st.label, w) ?? w.t("flow.row.split") };
    case "ab_split":
      return { ...base, kind: "ab_split", title: storedLabel(st.label, w) ?? w.t("flow.row.abSplit") };
    case "send": {
      const name = base.name ?? st.id;
      return {
        ...base,
        kind: "send",
        channel: st.channel,
        title: w.t(st.discountStepId ? "flow.row.sendDiscount" : "flow.row.send", { name }),
        detail: st.variants ? w.t("flow.row.sendTest", { count: st.variants.length }) : undefined,
      };
    }
    case "create_discount":
      return {
        ...base,
        kind: "discount",
        title: w.t("flow.row.discount", { value: discountWords(st, w), duration: formatDuration(w, hoursDuration(st.expiresInHours)) }),
      };
    case "add_tag":
      return { ...base, kind: "tag", title: w.t("flow.row.tag", { tag: st.tag }) };
    case "suppress_marketing":
      return {
        ...base,
        kind: "suppress",
        title: w.t("flow.row.suppress", { channel: w.t(`flow.channel.${st.channel}`), reason: st.reason }),
      };
    case "exit":
      return { ...base, kind: "exit_step", title: w.t("flow.row.exitStep", { reason: st.reason }) };
  }
}

/** The labelled branches of a branching step, in order; null for a step with one way on. */
function branchesOf(st: Step, w: Wording): { label: string; next: string | undefined }[] | null {
  switch (st.type) {
    case "condition":
      return [
        { label: w.t("flow.branch.yes"), next: st.then },
        { label: w.t("flow.branch.no"), next: st.else },
      ];
    case "split":
      return [
        ...st.branches.map((b) => ({
          label: storedLabel(b.label, w) ?? w.t("flow.branch.when", { condition: conditionWords(b.when, w) }),
          next: b.next,
        })),
        { label: w.t("flow.branch.otherwise"), next: st.otherwise },
      ];
    case "ab_split": {
      const total = st.variants.reduce((s, v) => s + v.weight, 0);
      return st.variants.map((v) => ({
        label: storedLabel(v.label, w) ?? w.t("flow.branch.variant", { key: v.key, weight: Math.round((v.weight / total) * 100) }),
        next: v.next,
      }));
    }
    case "wait_for_event":
      return [
        { label: w.t("flow.branch.onEvent"), next: st.onEvent },
        { label: w.t("flow.branch.onTimeout"), next: st.onTimeout },
      ];
    default:
      return null;
  }
}
