import type { FlowDefinition } from "../journey/schema";
import type { ValidationError } from "../journey/validate";
import { isEmailTemplateKey } from "../messages/catalogue";
import {
  alignConsent,
  switchLock,
  switchRefusal,
  switchSendChannel,
  type ChannelSources,
  type SendChannel,
  type SwitchLock,
} from "./channel-switch";
import { applyGroupEdits, conditionGroup, newConditionProblems, type ConditionGroup, type EditTrace } from "./condition-groups";
import { num, type LeafField } from "./condition-leaves";
import { applyEntryEdits, entryFormProblems } from "./entry-edits";
import { fieldMessage, fieldOfPath, type Wording as FieldWording } from "./field-errors";
import { durationAmount, type DurationUnit } from "./wording";

// In-place edits of a flow's steps, as the flow page's form sends them: the edited
// definition is built from the active one and then validated by the flow schema like
// any other definition. Form fields are named `<what>/<stepId>/<field>` (step ids may
// contain dots, never a slash). A condition step's or a split branch's condition is a
// group (app/domain/flows/condition-groups.ts) under `cond/<stepId>`: its leaves as
// `cond/<stepId>/<leafPath>/op|value|remove`, `cond/<stepId>/<root>/match` (all | any)
// and `cond/<stepId>/<root>/new/field|op|value` for a condition added.

export type { ConditionGroup, EditTrace, LeafField };

export interface StepFields {
  wait?: { amount: number; unit: DurationUnit };
  /** A condition step's condition, or a split's, one per branch. */
  groups?: ConditionGroup[];
  discount?: { kind: string; value: number; expiresInHours: number };
  /** locked: why the channel cannot switch (an A/B test of its own), else null. */
  send?: { maxDeferHours: number | null; channel: string; locked: SwitchLock | null };
}

/** What the page offers to edit, per step id. */
export function editableFields(def: FlowDefinition): Record<string, StepFields> {
  const out: Record<string, StepFields> = {};
  for (const st of def.steps) {
    if (st.type === "wait" && !("fromPath" in st.duration)) out[st.id] = { wait: durationAmount(st.duration) };
    if (st.type === "wait_for_event") out[st.id] = { wait: durationAmount(st.timeout) };
    if (st.type === "condition") out[st.id] = { groups: [conditionGroup(st.if, "if")] };
    if (st.type === "split")
      out[st.id] = { groups: st.branches.map((b, i) => ({ ...conditionGroup(b.when, `branches.${i}.when`), label: b.label })) };
    if (st.type === "create_discount") out[st.id] = { discount: { kind: st.kind, value: st.value, expiresInHours: st.expiresInHours } };
    if (st.type === "send") out[st.id] = { send: { maxDeferHours: st.maxDeferHours ?? null, channel: st.channel, locked: switchLock(st) } };
  }
  return out;
}

/**
 * The definition with the form's edits applied (not validated: the caller validates
 * it, and shows the schema's errors next to the fields). A catalogue flow edited here
 * is marked `source.edited`: rebuilding it from its settings would undo the edit.
 * `sources` gives, per send step switching channel, what its new channel starts from
 * (see channel-switch.ts; the server finds it in the version history and catalogue).
 */
export function applyEdits(def: FlowDefinition, form: Record<string, string>, sources: Record<string, ChannelSources> = {}): unknown {
  return applyEditsTraced(def, form, sources).definition;
}

/** applyEdits, with where each condition leaf of the result came from in the form (for errorsByField). */
export function applyEditsTraced(
  def: FlowDefinition,
  form: Record<string, string>,
  sources: Record<string, ChannelSources> = {},
): { definition: unknown; trace: EditTrace } {
  const trace: EditTrace = new Map();
  const next = JSON.parse(JSON.stringify(def)) as FlowDefinition & { steps: Record<string, unknown>[] };
  const step = (id: string) => next.steps.find((s) => s.id === id) as Record<string, unknown> | undefined;
  for (const [name, raw] of Object.entries(form)) {
    const parts = name.split("/");
    const [what, id, field] = parts;
    if (what === "priority") next.priority = num(raw);
    if (!id) continue;
    if (what === "exit" && field === "events") {
      const exit = next.exits[Number(id)];
      if (exit)
        exit.events = raw
          .split(",")
          .map((e) => e.trim())
          .filter(Boolean);
    }
    const st = step(id);
    if (!st) continue;
    if (what === "wait" && field === "amount") {
      const unit = (form[`wait/${id}/unit`] ?? "hours") as DurationUnit;
      const duration = { [unit]: num(raw) };
      if (st.type === "wait_for_event") st.timeout = duration;
      else st.duration = duration;
    }
    if (what === "discount") {
      if (field === "kind") st.kind = raw;
      if (field === "value" || field === "expiresInHours") st[field] = num(raw);
    }
    if (what === "send" && field === "maxDeferHours") st.maxDeferHours = raw.trim() === "" ? null : num(raw);
  }
  for (const [id, groups] of conditionGroups(def)) {
    const st = step(id);
    if (!st) continue;
    for (const g of groups)
      applyGroupEdits(st, g.root, groupNames(id, g.root), form, g.choices, { map: trace, key: (path) => `step:${id}/${path}` });
  }
  const switched = applyChannelSwitches(next, form, sources);
  const consentChosen = form["entry/consent"] !== undefined && form["entry/consent"] !== def.entry.requiresConsent;
  applyEntryEdits(next, form, trace);
  if (switched) {
    const merchantConsent = next.entry.requiresConsent;
    alignConsent(def, next);
    // The merchant's own choice in the same save wins; the schema's checks then judge it.
    if (consentChosen) next.entry.requiresConsent = merchantConsent;
  }
  if (next.source) next.source = { ...next.source, edited: true };
  return { definition: next, trace };
}

/** The form's names for one condition of a step. */
export function groupNames(stepId: string, root: string) {
  return { leafPrefix: `cond/${stepId}`, match: `cond/${stepId}/${root}/match`, newPrefix: `cond/${stepId}/${root}/new` };
}

function conditionGroups(def: FlowDefinition): [string, ConditionGroup[]][] {
  return Object.entries(editableFields(def)).flatMap(([id, f]) => (f.groups ? [[id, f.groups] as [string, ConditionGroup[]]] : []));
}

/** What the schema cannot say about the form itself: a condition added without a value, addressed to its field. */
export function formProblems(def: FlowDefinition, form: Record<string, string>): ValidationError[] {
  const out = entryFormProblems(form);
  for (const [id, groups] of conditionGroups(def))
    for (const g of groups) out.push(...newConditionProblems(form, groupNames(id, g.root).newPrefix, g.choices));
  return out;
}

/** The steps whose `send/<id>/channel` field names another channel. */
export function channelSwitches(def: FlowDefinition, form: Record<string, string>): { stepId: string; to: SendChannel }[] {
  return def.steps.flatMap((st) => {
    const to = form[`send/${st.id}/channel`];
    return st.type === "send" && (to === "email" || to === "sms") && to !== st.channel ? [{ stepId: st.id, to }] : [];
  });
}

/** Why the form's channel switches cannot be made (next to the step), beyond what the schema says. */
export function channelFormProblems(def: FlowDefinition, form: Record<string, string>): ValidationError[] {
  return channelSwitches(def, form).flatMap(({ stepId }) => {
    const i = def.steps.findIndex((s) => s.id === stepId);
    const st = def.steps[i];
    const why = st?.type === "send" ? switchRefusal(st) : null;
    return why ? [{ path: `steps[${i}] (${stepId}).channel`, message: why }] : [];
  });
}

function applyChannelSwitches(next: FlowDefinition, form: Record<string, string>, sources: Record<string, ChannelSources>): boolean {
  const switches = channelSwitches(next, form);
  const flowKey = next.source?.catalogueKey ?? next.key;
  for (const { stepId, to } of switches) {
    const i = next.steps.findIndex((s) => s.id === stepId);
    const st = next.steps[i];
    const src = sources[stepId];
    if (st?.type !== "send" || switchRefusal(st)) continue;
    next.steps[i] = switchSendChannel(
      st,
      to,
      flowKey,
      src ?? { email: null, fallbackEmailKey: fallbackEmailKey(next), subjects: { en: "", pl: "" } },
    );
  }
  return switches.length > 0;
}

/** Without the server's sources: another email of the flow, else the catalogue's first. */
function fallbackEmailKey(def: FlowDefinition): string {
  const other = def.steps.find((s) => s.type === "send" && s.channel === "email" && isEmailTemplateKey(s.templateKey));
  return other?.type === "send" ? other.templateKey : "welcome_1";
}

/**
 * The schema's errors by what the page shows them next to: the exact form field when
 * the path names one ("entry/reentryHours", "leaf/entry.conditions.all.1/value",
 * "cond/<stepId>/if/new/value", see field-errors.ts), else a step id, "exit:<i>", the
 * trigger, entry or goal row, or "general" for the rest. With `w`, a field's message is
 * in the merchant's language.
 */
export function errorsByField(errors: readonly ValidationError[], trace?: EditTrace, w?: FieldWording): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (k: string, m: string) => {
    const list = (out[k] ??= []);
    if (!list.includes(m)) list.push(m);
  };
  for (const e of errors) {
    const field = fieldOfPath(e.path, trace);
    if (field) {
      // One message per field, the first (a form problem before the schema's): what to fix first.
      if (!out[field]) add(field, w ? fieldMessage(e.message, field, w) : e.message);
      continue;
    }
    const stepMatch = /^steps\[\d+\] \(([^)]+)\)(?:\.(.*))?$/.exec(e.path);
    const exitMatch = /^exits\[(\d+)\]/.exec(e.path);
    if (stepMatch) add(stepMatch[1]!, stepMatch[2] ? `${stepMatch[2]}: ${e.message}` : e.message);
    else if (exitMatch) add(`exit:${exitMatch[1]}`, e.message);
    else if (/^(entry|trigger|goal)(\.|$)/.test(e.path)) add(e.path.split(".")[0]!, `${e.path}: ${e.message}`);
    else add("general", e.path ? `${e.path}: ${e.message}` : e.message);
  }
  return out;
}
