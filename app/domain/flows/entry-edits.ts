import type { FlowDefinition } from "../journey/schema";
import type { ValidationError } from "../journey/validate";
import { applyGroupEdits, conditionGroup, newConditionProblems, type ConditionGroup, type EditTrace } from "./condition-groups";
import { leaves, num, type LeafField } from "./condition-leaves";
import { FILTER_FIELDS } from "./filter-fields";

export { FILTER_FIELDS };

// The flow page's edits of who enters and what ends a flow: the filter
// (entry.conditions, re-checked before every message), the consent entry needs,
// re-entry, the trigger's own filter (trigger.where) and the goal. Form fields:
//   entry/consent, entry/reentry, entry/reentryHours, goal/withinHours, goal/exitOnGoal,
//   leaf/<path>/op|value|remove   (path under entry.conditions or trigger.where),
//   filter/match                  (all | any: how the filter's conditions combine),
//   filter/new/field|op|value     (one condition added to the filter).

export interface EntryFields {
  consent: string;
  reentry: { mode: string; hours: number | null };
  filter: LeafField[];
  /** The filter as one editable condition (its leaves are `filter` too). */
  filterGroup: ConditionGroup;
  triggerWhere: LeafField[];
  goal: { withinHours: number | null; exitOnGoal: boolean } | null;
}

export function entryFields(def: FlowDefinition): EntryFields {
  const r = def.entry.reentry;
  return {
    consent: def.entry.requiresConsent,
    reentry: { mode: r.mode, hours: r.mode === "window" ? r.hours : null },
    filter: def.entry.conditions ? leaves(def.entry.conditions, "entry.conditions") : [],
    filterGroup: { ...conditionGroup(def.entry.conditions, "entry.conditions"), choices: FILTER_FIELDS.map((f) => ({ ...f })) },
    triggerWhere: def.trigger.where ? leaves(def.trigger.where, "trigger.where") : [],
    goal: def.goal ? { withinHours: def.goal.withinHours ?? null, exitOnGoal: def.goal.exitOnGoal } : null,
  };
}

/** What the schema cannot say about the form itself (a new condition without a value), addressed to the form field. */
export function entryFormProblems(form: Record<string, string>): ValidationError[] {
  return newConditionProblems(form, "filter/new", FILTER_FIELDS);
}

/**
 * Applies the entry, filter and goal fields to a JSON copy of the definition (validated
 * by the caller). `trace` records where each filter leaf came from in the form.
 */
export function applyEntryEdits(next: FlowDefinition, form: Record<string, string>, trace: EditTrace = new Map()): void {
  const entry = next.entry as Record<string, unknown>;
  if (form["entry/consent"] !== undefined) entry.requiresConsent = form["entry/consent"];
  const mode = form["entry/reentry"];
  if (mode === "window") entry.reentry = { mode, hours: num(form["entry/reentryHours"] ?? "") };
  else if (mode !== undefined) entry.reentry = { mode };

  if (next.goal) {
    const goal = next.goal as Record<string, unknown>;
    const within = form["goal/withinHours"];
    if (within !== undefined) {
      if (within.trim() === "") delete goal.withinHours;
      else goal.withinHours = num(within);
    }
    if (form["goal/exitOnGoal"] !== undefined) goal.exitOnGoal = form["goal/exitOnGoal"] === "true";
  }

  const owner = next as unknown as Record<string, unknown>;
  const key = (path: string) => path;
  applyGroupEdits(owner, "entry.conditions", FILTER_NAMES, form, FILTER_FIELDS, { map: trace, key });
  applyGroupEdits(owner, "trigger.where", TRIGGER_NAMES, form, [], { map: trace, key });
}

const FILTER_NAMES = { leafPrefix: "leaf", match: "filter/match", newPrefix: "filter/new" };
// The trigger's filter: its leaves edited or removed; nothing added (the catalogue's trigger filters are about the trigger).
const TRIGGER_NAMES = { leafPrefix: "leaf", match: "trigger/match", newPrefix: "trigger/new" };
