import { CONDITION_OPS, type Condition, type ConditionValue } from "../journey/schema";

// The leaves of a condition as the flow page edits them (a comparison and a value
// each), shared by condition steps, splits, the flow filter and the trigger's filter.

/** The editable values of one condition leaf, addressed by its path inside the step ("if", "if.all.0", "branches.1.when"). */
export interface LeafField {
  path: string;
  field: string;
  op: string;
  value: string;
  /** How the value is read back: a list is comma-separated; a ref or no value is not editable. */
  valueKind: "number" | "string" | "boolean" | "list" | "ref" | "none";
}

export function leaves(c: Condition, path: string): LeafField[] {
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

/** One leaf's edited comparison or value, read back as the leaf's own kind of value. */
export function setLeaf(target: unknown, prop: string, raw: string): void {
  const leaf = target as { field: string; op: string; value?: ConditionValue } | undefined;
  if (!leaf || typeof leaf !== "object" || !("field" in leaf)) return;
  if (prop === "op") leaf.op = raw;
  if (prop === "value") {
    const kind = valueKind(leaf);
    if (kind === "number") leaf.value = num(raw);
    else if (kind === "boolean") leaf.value = raw === "true";
    else if (kind === "list") leaf.value = listValue(raw);
    else if (kind === "string") leaf.value = raw;
  }
  if ((leaf.op === "exists" || leaf.op === "not_exists") && CONDITION_OPS.includes(leaf.op)) delete leaf.value;
}

/** A number typed in a form ("1,5" too); empty is NaN, which the schema refuses. */
export function num(s: string): number {
  return s.trim() === "" ? Number.NaN : Number(s.replace(",", "."));
}

function listValue(raw: string): (string | number)[] {
  return raw
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => (/^-?\d+(\.\d+)?$/.test(x) ? Number(x) : x));
}

export function readPath(root: unknown, path: string): unknown {
  let cur = root;
  for (const p of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}
