import { CONDITION_OPS, type Condition, type ConditionValue, type FlowDefinition } from "../journey/schema";
import type { ValidationError } from "../journey/validate";
import { durationAmount, type DurationUnit } from "./wording";

// In-place edits of a flow's steps, as the flow page's form sends them: the edited
// definition is built from the active one and then validated by the flow schema like
// any other definition. Form fields are named `<what>/<stepId>/<field>` (step ids may
// contain dots, never a slash).

/** The editable values of one condition leaf, addressed by its path inside the step ("if", "if.all.0", "branches.1.when"). */
export interface LeafField {
  path: string;
  field: string;
  op: string;
  value: string;
  /** How the value is read back: a list is comma-separated; a ref or no value is not editable. */
  valueKind: "number" | "string" | "boolean" | "list" | "ref" | "none";
}

export interface StepFields {
  wait?: { amount: number; unit: DurationUnit };
  leaves?: LeafField[];
  discount?: { kind: string; value: number; expiresInHours: number };
  send?: { maxDeferHours: number | null; channel: string };
}

/** What the page offers to edit, per step id. */
export function editableFields(def: FlowDefinition): Record<string, StepFields> {
  const out: Record<string, StepFields> = {};
  for (const st of def.steps) {
    if (st.type === "wait" && !("fromPath" in st.duration)) out[st.id] = { wait: durationAmount(st.duration) };
    if (st.type === "wait_for_event") out[st.id] = { wait: durationAmount(st.timeout) };
    if (st.type === "condition") out[st.id] = { leaves: leaves(st.if, "if") };
    if (st.type === "split") out[st.id] = { leaves: st.branches.flatMap((b, i) => leaves(b.when, `branches.${i}.when`)) };
    if (st.type === "create_discount") out[st.id] = { discount: { kind: st.kind, value: st.value, expiresInHours: st.expiresInHours } };
    if (st.type === "send") out[st.id] = { send: { maxDeferHours: st.maxDeferHours ?? null, channel: st.channel } };
  }
  return out;
}

function leaves(c: Condition, path: string): LeafField[] {
  if ("all" in c) return c.all.flatMap((x, i) => leaves(x, `${path}.all.${i}`));
  if ("any" in c) return c.any.flatMap((x, i) => leaves(x, `${path}.any.${i}`));
  if ("not" in c) return leaves(c.not, `${path}.not`);
  return [{ path, field: c.field, op: c.op, value: valueText(c.value), valueKind: valueKind(c) }];
}

function valueKind(c: { op: string; value?: ConditionValue }): LeafField["valueKind"] {
  if (c.op === "exists" || c.op === "not_exists") return "none";
  const v = c.value;
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "list";
  if (v && typeof v === "object") return "ref";
  return "string";
}

function valueText(v: ConditionValue | undefined): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "object") return v.ref;
  return String(v);
}

/**
 * The definition with the form's edits applied (not validated: the caller validates
 * it, and shows the schema's errors next to the fields). A catalogue flow edited here
 * is marked `source.edited`: rebuilding it from its settings would undo the edit.
 */
export function applyEdits(def: FlowDefinition, form: Record<string, string>): unknown {
  const next = JSON.parse(JSON.stringify(def)) as FlowDefinition & { steps: Record<string, unknown>[] };
  const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s.replace(",", ".")));
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
    if (what === "cond" && parts.length === 4) {
      const [, , path, prop] = parts as [string, string, string, string];
      const leaf = readPath(st, path) as { field: string; op: string; value?: ConditionValue } | undefined;
      if (!leaf || !("field" in leaf)) continue;
      if (prop === "op") leaf.op = raw;
      if (prop === "value") {
        const kind = valueKind(leaf);
        if (kind === "number") leaf.value = num(raw);
        else if (kind === "boolean") leaf.value = raw === "true";
        else if (kind === "list")
          leaf.value = raw
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean)
            .map((x) => (/^-?\d+(\.\d+)?$/.test(x) ? Number(x) : x));
        else if (kind === "string") leaf.value = raw;
      }
      if ((leaf.op === "exists" || leaf.op === "not_exists") && CONDITION_OPS.includes(leaf.op)) delete leaf.value;
    }
  }
  if (next.source) next.source = { ...next.source, edited: true };
  return next;
}

function readPath(root: unknown, path: string): unknown {
  let cur = root;
  for (const p of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/**
 * The schema's errors by what the page shows them next to: a step id, "priority",
 * "exit:<i>", or "general" for the rest.
 */
export function errorsByField(errors: readonly ValidationError[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (k: string, m: string) => (out[k] ??= []).push(m);
  for (const e of errors) {
    const stepMatch = /^steps\[\d+\] \(([^)]+)\)(?:\.(.*))?$/.exec(e.path);
    const exitMatch = /^exits\[(\d+)\]/.exec(e.path);
    if (stepMatch) add(stepMatch[1]!, stepMatch[2] ? `${stepMatch[2]}: ${e.message}` : e.message);
    else if (e.path === "priority") add("priority", e.message);
    else if (exitMatch) add(`exit:${exitMatch[1]}`, e.message);
    else add("general", e.path ? `${e.path}: ${e.message}` : e.message);
  }
  return out;
}
