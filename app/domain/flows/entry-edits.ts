import type { FlowDefinition } from "../journey/schema";
import type { ValidationError } from "../journey/validate";
import { leaves, num, readPath, setLeaf, type LeafField } from "./condition-leaves";
import { FILTER_FIELDS } from "./filter-fields";

export { FILTER_FIELDS };

// The flow page's edits of who enters and what ends a flow: the filter
// (entry.conditions, re-checked before every message), the consent entry needs,
// re-entry, the trigger's own filter (trigger.where) and the goal. Form fields:
//   entry/consent, entry/reentry, entry/reentryHours, goal/withinHours, goal/exitOnGoal,
//   leaf/<path>/op|value|remove   (path under entry.conditions or trigger.where),
//   filter/new/field|op|value     (one condition added to the filter).

export const LEAF_ROOTS = ["entry.conditions", "trigger.where"] as const;

export interface EntryFields {
  consent: string;
  reentry: { mode: string; hours: number | null };
  filter: LeafField[];
  triggerWhere: LeafField[];
  goal: { withinHours: number | null; exitOnGoal: boolean } | null;
}

export function entryFields(def: FlowDefinition): EntryFields {
  const r = def.entry.reentry;
  return {
    consent: def.entry.requiresConsent,
    reentry: { mode: r.mode, hours: r.mode === "window" ? r.hours : null },
    filter: def.entry.conditions ? leaves(def.entry.conditions, "entry.conditions") : [],
    triggerWhere: def.trigger.where ? leaves(def.trigger.where, "trigger.where") : [],
    goal: def.goal ? { withinHours: def.goal.withinHours ?? null, exitOnGoal: def.goal.exitOnGoal } : null,
  };
}

const NEEDS_NO_VALUE = new Set(["exists", "not_exists"]);
const LIST_OPS = new Set(["in", "not_in"]);

/** What the schema cannot say about the form itself (a new condition without a value). */
export function entryFormProblems(form: Record<string, string>): ValidationError[] {
  const field = form["filter/new/field"]?.trim();
  if (!field) return [];
  if (!FILTER_FIELDS.some((f) => f.field === field)) return [{ path: "entry.conditions", message: `unknown field "${field}"` }];
  const op = form["filter/new/op"] ?? "eq";
  if (!NEEDS_NO_VALUE.has(op) && !(form["filter/new/value"] ?? "").trim())
    return [{ path: "entry.conditions", message: "the new condition needs a value" }];
  return [];
}

/** Applies the entry, filter and goal fields to a JSON copy of the definition (validated by the caller). */
export function applyEntryEdits(next: FlowDefinition, form: Record<string, string>): void {
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

  const removed: string[] = [];
  for (const [name, raw] of Object.entries(form)) {
    const m = /^leaf\/([A-Za-z0-9_.]+)\/(op|value|remove)$/.exec(name);
    if (!m || !LEAF_ROOTS.some((r) => m[1] === r || m[1]!.startsWith(`${r}.`))) continue;
    if (m[2] === "remove") removed.push(m[1]!);
    else setLeaf(readPath(next, m[1]!), m[2]!, raw);
  }
  // Later siblings first, so the paths of the earlier ones stay valid.
  for (const path of removed.sort((a, b) => b.localeCompare(a, "en", { numeric: true }))) removeLeaf(next, path);

  const added = newLeaf(form);
  if (added) {
    const current = next.entry.conditions;
    entry.conditions = !current ? added : "all" in current ? { all: [...current.all, added] } : { all: [current, added] };
  }
}

function newLeaf(form: Record<string, string>): Record<string, unknown> | null {
  const spec = FILTER_FIELDS.find((f) => f.field === form["filter/new/field"]?.trim());
  if (!spec) return null;
  const op = form["filter/new/op"] || spec.op;
  const raw = (form["filter/new/value"] ?? "").trim();
  if (NEEDS_NO_VALUE.has(op)) return { field: spec.field, op };
  if (LIST_OPS.has(op)) return { field: spec.field, op, value: raw.split(",").map((x) => x.trim()) };
  return { field: spec.field, op, value: spec.kind === "string" ? raw : num(raw) };
}

/** Removes a leaf; a group left empty (or a `not` left without its condition) goes with it. */
function removeLeaf(root: unknown, path: string): void {
  const parts = path.split(".");
  const last = parts.at(-1)!;
  const parentPath = parts.slice(0, -1).join(".");
  if (/^\d+$/.test(last) && (parts.at(-2) === "all" || parts.at(-2) === "any")) {
    const list = readPath(root, parentPath);
    if (!Array.isArray(list)) return;
    list.splice(Number(last), 1);
    if (list.length === 0) removeLeaf(root, parts.slice(0, -2).join("."));
    return;
  }
  if (last === "not") return removeLeaf(root, parentPath);
  const parent = readPath(root, parentPath);
  if (parent && typeof parent === "object") delete (parent as Record<string, unknown>)[last];
}
