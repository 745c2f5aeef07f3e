import type { EpochMs } from "../arbitration/types";
import type { Condition, ConditionValue } from "./schema";

const DAY = 86_400_000;

/** What conditions see: `customer`, `trigger`, `event`, `shop`, `enrollment`. */
export type Scope = Record<string, unknown>;

/** Reads a dotted path ("customer.properties.vip") from the scope; undefined when absent. */
export function readPath(scope: unknown, path: string): unknown {
  let cur: unknown = scope;
  for (const part of path.split(".")) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur) && part === "length") {
      cur = cur.length;
      continue;
    }
    if (typeof cur !== "object") return undefined;
    cur = Object.hasOwn(cur, part) ? (cur as Record<string, unknown>)[part] : undefined;
  }
  return cur;
}

function resolveValue(v: ConditionValue | undefined, scope: Scope): unknown {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return readPath(scope, v.ref);
  return v;
}

/** Numbers, numeric strings ("49.90": Shopify money) and booleans compare as such. */
function asNumber(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== null && nb !== null) return na === nb;
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return false;
}

/**
 * Evaluates a condition. Missing fields never throw: they compare as absent (every
 * comparison except `neq`, `not_in`, `not_contains` and `not_exists` is then false).
 * Time ops (`within_days`, `older_than_days`) read epoch-ms fields against `now`.
 */
export function evaluate(cond: Condition, scope: Scope, now: EpochMs): boolean {
  if ("all" in cond) return cond.all.every((c) => evaluate(c, scope, now));
  if ("any" in cond) return cond.any.some((c) => evaluate(c, scope, now));
  if ("not" in cond) return !evaluate(cond.not, scope, now);
  const actual = readPath(scope, cond.field);
  const expected = resolveValue(cond.value, scope);
  const present = actual !== undefined && actual !== null;
  switch (cond.op) {
    case "exists":
      return present;
    case "not_exists":
      return !present;
    case "eq":
      return present ? equal(actual, expected) : expected === null;
    case "neq":
      return present ? !equal(actual, expected) : expected !== null;
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const a = asNumber(actual);
      const b = asNumber(expected);
      if (a === null || b === null) return false;
      return cond.op === "gt" ? a > b : cond.op === "gte" ? a >= b : cond.op === "lt" ? a < b : a <= b;
    }
    case "in":
      return Array.isArray(expected) && present && expected.some((e) => equal(actual, e));
    case "not_in":
      return !(Array.isArray(expected) && present && expected.some((e) => equal(actual, e)));
    case "contains":
      return contains(actual, expected);
    case "not_contains":
      return !contains(actual, expected);
    case "within_days": {
      const t = asNumber(actual);
      const d = asNumber(expected);
      return t !== null && d !== null && t <= now && now - t <= d * DAY;
    }
    case "older_than_days": {
      const t = asNumber(actual);
      const d = asNumber(expected);
      return t !== null && d !== null && now - t > d * DAY;
    }
  }
}

function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((a) => equal(a, expected));
  if (typeof actual === "string" && typeof expected === "string") return actual.toLowerCase().includes(expected.toLowerCase());
  return false;
}

/** Every field path a condition reads (for validation). */
export function conditionFields(cond: Condition): string[] {
  if ("all" in cond) return cond.all.flatMap(conditionFields);
  if ("any" in cond) return cond.any.flatMap(conditionFields);
  if ("not" in cond) return conditionFields(cond.not);
  const refs = cond.value !== null && typeof cond.value === "object" && !Array.isArray(cond.value) ? [cond.value.ref] : [];
  return [cond.field, ...refs];
}
