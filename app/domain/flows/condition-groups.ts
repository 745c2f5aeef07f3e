import type { Condition } from "../journey/schema";
import { leaves, num, readPath, setLeaf, type LeafField } from "./condition-leaves";
import { FILTER_FIELDS } from "./filter-fields";

// One condition as the flow page edits it, wherever it sits (a condition step's `if`,
// a split branch's `when`, the flow filter, the trigger's filter): its leaves edited or
// removed, all/any switched, one condition added. The form fields of a group, under
// the group's form prefix P (e.g. `cond/<stepId>`, or `leaf` for the entry rows):
//   P/<leafPath>/op|value|remove   one leaf
//   <matchName>                    "all" | "any"
//   <newPrefix>/field|op|value     the condition added
// Edits keep a trace from each leaf's path in the edited definition back to the form
// field it came from, so a schema error lands next to the field that caused it even
// after a removal shifted the indices.

export type Match = "all" | "any";

/** A field a merchant may add to a condition, and how its typed value is read. */
export interface ConditionChoice {
  field: string;
  kind: "number" | "string" | "days";
  op: string;
}

export interface ConditionGroup {
  /** Where the condition sits inside its owner ("if", "branches.0.when", "entry.conditions"). */
  root: string;
  /** How the top-level leaves combine; a single leaf reads as "all". */
  match: Match;
  leaves: LeafField[];
  /** Whether the leaves sit in one flat all/any list (else all/any applies to what is added). */
  flat: boolean;
  /** What may be added: the customer facts, and any field the condition already uses. */
  choices: ConditionChoice[];
  /** A split branch's own label. */
  label?: string;
}

export function conditionGroup(c: Condition | undefined, root: string): ConditionGroup {
  const ls = c ? leaves(c, root) : [];
  const match: Match = c && "any" in c ? "any" : "all";
  const top = !c ? [] : "all" in c ? c.all : "any" in c ? c.any : [c];
  const flat = top.every((x) => "field" in x);
  return { root, match, leaves: ls, flat, choices: choicesFor(ls) };
}

function choicesFor(ls: LeafField[]): ConditionChoice[] {
  const out: ConditionChoice[] = FILTER_FIELDS.map((f) => ({ ...f }));
  for (const l of ls) {
    if (out.some((c) => c.field === l.field)) continue;
    if (l.valueKind === "number") out.push({ field: l.field, kind: "number", op: l.op });
    if (l.valueKind === "string") out.push({ field: l.field, kind: "string", op: l.op });
  }
  return out;
}

const NEEDS_NO_VALUE = new Set(["exists", "not_exists"]);
const LIST_OPS = new Set(["in", "not_in"]);

/** Where a group's fields are in the form. */
export interface GroupNames {
  /** The prefix of a leaf's fields: `${leafPrefix}/${leaf.path}/op`. */
  leafPrefix: string;
  match: string;
  newPrefix: string;
}

/** A leaf's path in the edited definition ("entry.conditions.all.1", "step:<id>/if.all.0") -> the form prefix of its fields. */
export type EditTrace = Map<string, string>;

/** The added condition's problems the schema cannot see (no value typed), addressed to the form field. */
export function newConditionProblems(form: Record<string, string>, newPrefix: string, choices: readonly ConditionChoice[]) {
  const field = form[`${newPrefix}/field`]?.trim();
  if (!field) return [];
  if (!choices.some((f) => f.field === field)) return [{ path: `${newPrefix}/field`, message: `unknown field "${field}"` }];
  const op = form[`${newPrefix}/op`] ?? "eq";
  if (!NEEDS_NO_VALUE.has(op) && !(form[`${newPrefix}/value`] ?? "").trim())
    return [{ path: `${newPrefix}/value`, message: "the new condition needs a value" }];
  return [];
}

/**
 * Applies one group's fields to `owner` (a JSON copy: the step, or the definition for
 * the entry rows). `tracePrefix` turns a path inside the owner into the trace's key.
 * Not validated: the caller validates the whole definition.
 */
export function applyGroupEdits(
  owner: Record<string, unknown>,
  root: string,
  names: GroupNames,
  form: Record<string, string>,
  choices: readonly ConditionChoice[],
  trace: { map: EditTrace; key: (path: string) => string },
): void {
  const origin = new WeakMap<object, string>();
  const current = readPath(owner, root) as Condition | undefined;
  for (const l of current ? leaves(current, root) : []) {
    const leaf = readPath(owner, l.path);
    if (leaf && typeof leaf === "object") origin.set(leaf, `${names.leafPrefix}/${l.path}`);
    for (const prop of ["op", "value"] as const) {
      const raw = form[`${names.leafPrefix}/${l.path}/${prop}`];
      if (raw !== undefined) setLeaf(leaf, prop, raw);
    }
  }
  const removed = (current ? leaves(current, root) : [])
    .map((l) => l.path)
    .filter((p) => form[`${names.leafPrefix}/${p}/remove`] !== undefined);
  // Later siblings first, so the paths of the earlier ones stay valid.
  for (const path of removed.sort((a, b) => b.localeCompare(a, "en", { numeric: true }))) removeLeaf(owner, path);

  const match = form[names.match];
  const kept = readPath(owner, root) as Condition | undefined;
  if (kept && (match === "all" || match === "any") && ("all" in kept || "any" in kept)) {
    const list = "all" in kept ? kept.all : kept.any;
    writePath(owner, root, { [match]: list });
  }

  const added = newLeaf(form, names.newPrefix, choices);
  if (added) {
    origin.set(added, names.newPrefix);
    const now = readPath(owner, root) as Condition | undefined;
    const m: Match = match === "any" ? "any" : match === "all" ? "all" : now && "any" in now ? "any" : "all";
    const next: Condition = !now
      ? added
      : m in now
        ? ({ [m]: [...(now as Record<Match, Condition[]>)[m], added] } as Condition)
        : ({ [m]: [now, added] } as Condition);
    writePath(owner, root, next);
  }

  const after = readPath(owner, root) as Condition | undefined;
  for (const l of after ? leaves(after, root) : []) {
    const leaf = readPath(owner, l.path);
    const from = leaf && typeof leaf === "object" ? origin.get(leaf) : undefined;
    if (from) trace.map.set(trace.key(l.path), from);
  }
}

function newLeaf(form: Record<string, string>, prefix: string, choices: readonly ConditionChoice[]): (Condition & object) | null {
  const spec = choices.find((f) => f.field === form[`${prefix}/field`]?.trim());
  if (!spec) return null;
  const op = form[`${prefix}/op`] || spec.op;
  const raw = (form[`${prefix}/value`] ?? "").trim();
  if (NEEDS_NO_VALUE.has(op)) return { field: spec.field, op } as Condition;
  if (LIST_OPS.has(op)) return { field: spec.field, op, value: raw.split(",").map((x) => x.trim()) } as Condition;
  return { field: spec.field, op, value: spec.kind === "string" ? raw : num(raw) } as Condition;
}

function writePath(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  const parent = parts.length === 1 ? root : readPath(root, parts.slice(0, -1).join("."));
  if (parent && typeof parent === "object") (parent as Record<string, unknown>)[parts.at(-1)!] = value;
}

/** Removes a leaf; a group left empty (or a `not` left without its condition) goes with it. */
export function removeLeaf(root: unknown, path: string): void {
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
  const parent = parentPath ? readPath(root, parentPath) : root;
  if (parent && typeof parent === "object") delete (parent as Record<string, unknown>)[last];
}
