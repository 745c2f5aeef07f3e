import type { z } from "zod";
import { contentProblems } from "../messages/message-content";
import { conditionFields } from "./conditions";
import { sendsMeasuringSplits, stepRefs } from "./graph";
import { CONDITION_ROOTS, FlowDefinitionSchema, type Condition, type FlowDefinition, type Step } from "./schema";

export interface ValidationError {
  /** Where, e.g. `steps[3]` or `trigger.events`; `steps[3]` paths name the step id too. */
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; definition: FlowDefinition } | { ok: false; errors: ValidationError[] };

export class FlowDefinitionError extends Error {
  constructor(readonly errors: ValidationError[]) {
    super(`Invalid flow definition:\n${formatValidationErrors(errors)}`);
    this.name = "FlowDefinitionError";
  }
}

/** One line per error: `steps[2] (send_1).templateKey: a send step needs a templateKey`. */
export function formatValidationErrors(errors: readonly ValidationError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("\n");
}

/**
 * Validates a flow definition before it is stored as a FlowVersion or activated:
 * the schema (shapes, types, required fields, unknown keys), then the graph (unique
 * step ids, every referenced step exists, every step reachable from the start, no
 * loop without a wait, discounts referenced by sends are create_discount steps,
 * condition fields on known roots). Returns the parsed definition with defaults
 * applied, or readable errors.
 */
export function validateFlowDefinition(input: unknown): ValidationResult {
  const parsed = FlowDefinitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error.issues, input) };
  const errors = graphErrors(parsed.data);
  return errors.length ? { ok: false, errors } : { ok: true, definition: parsed.data };
}

/** validateFlowDefinition, throwing FlowDefinitionError on invalid input. */
export function parseFlowDefinition(input: unknown): FlowDefinition {
  const r = validateFlowDefinition(input);
  if (!r.ok) throw new FlowDefinitionError(r.errors);
  return r.definition;
}

// ---------------------------------------------------------------------------

type Issue = z.core.$ZodIssue;

function stepLabel(input: unknown, index: number): string {
  const steps = (input as { steps?: unknown } | null)?.steps;
  const id = Array.isArray(steps) ? (steps[index] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === "string" ? `steps[${index}] (${id})` : `steps[${index}]`;
}

function formatPath(path: readonly PropertyKey[], input: unknown): string {
  let out = "";
  path.forEach((p, i) => {
    if (i === 1 && path[0] === "steps" && typeof p === "number") out = stepLabel(input, p);
    else if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  });
  return out;
}

function zodErrors(issues: readonly Issue[], input: unknown, prefix: readonly PropertyKey[] = []): ValidationError[] {
  const out: ValidationError[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union") {
      const branches = (issue as { errors?: Issue[][] }).errors ?? [];
      if (branches.length === 0) {
        // A discriminated union with an unknown discriminator value (the path ends at it).
        const disc = (issue as { discriminator?: string }).discriminator ?? String(path.at(-1) ?? "type");
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
        const value = readAt(input, path);
        const known = options.length ? ` (one of ${options.join(", ")})` : "";
        out.push({
          path: formatPath(path.slice(0, -1), input) || disc,
          message:
            value === undefined
              ? `${disc} is required${known}`
              : `unknown ${disc} "${typeof value === "string" ? value : JSON.stringify(value)}"${known}`,
        });
        continue;
      }
      // Report the branch that got furthest (fewest issues).
      const best = [...branches].sort((a, b) => a.length - b.length)[0]!;
      out.push(...zodErrors(best, input, path));
      continue;
    }
    if (issue.code === "unrecognized_keys") {
      out.push({
        path: formatPath(path, input),
        message: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`,
      });
      continue;
    }
    const value = readAt(input, path);
    const message =
      value === undefined && issue.code === "invalid_type" && !/needs|must|required/.test(issue.message) ? "is required" : issue.message;
    out.push({ path: formatPath(path, input), message });
  }
  return out;
}

function readAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur = input;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p as string];
  }
  return cur;
}

function conditionsOf(def: FlowDefinition): { path: string; cond: Condition; roots: readonly string[] }[] {
  const out: { path: string; cond: Condition; roots: readonly string[] }[] = [];
  const entryRoots = ["customer", "trigger", "shop"];
  if (def.trigger.where) out.push({ path: "trigger.where", cond: def.trigger.where, roots: entryRoots });
  if (def.entry.conditions) out.push({ path: "entry.conditions", cond: def.entry.conditions, roots: entryRoots });
  def.exits.forEach((e, i) => e.where && out.push({ path: `exits[${i}].where`, cond: e.where, roots: CONDITION_ROOTS }));
  if (def.goal?.where) out.push({ path: "goal.where", cond: def.goal.where, roots: CONDITION_ROOTS });
  def.steps.forEach((st, i) => {
    const p = `steps[${i}] (${st.id})`;
    if (st.type === "condition") out.push({ path: `${p}.if`, cond: st.if, roots: CONDITION_ROOTS });
    if (st.type === "split")
      st.branches.forEach((b, j) => out.push({ path: `${p}.branches[${j}].when`, cond: b.when, roots: CONDITION_ROOTS }));
    if (st.type === "wait_for_event" && st.where) out.push({ path: `${p}.where`, cond: st.where, roots: CONDITION_ROOTS });
  });
  return out;
}

function graphErrors(def: FlowDefinition): ValidationError[] {
  const errors: ValidationError[] = [];
  const byId = new Map<string, Step>();
  def.steps.forEach((st, i) => {
    if (byId.has(st.id)) errors.push({ path: `steps[${i}] (${st.id})`, message: `step id "${st.id}" is used twice` });
    else byId.set(st.id, st);
  });
  if (!byId.has(def.startStepId)) errors.push({ path: "startStepId", message: `start step "${def.startStepId}" does not exist` });

  def.steps.forEach((st, i) => {
    const p = `steps[${i}] (${st.id})`;
    for (const r of stepRefs(st)) {
      if (r.id !== undefined && !byId.has(r.id)) errors.push({ path: `${p}.${r.field}`, message: `next step "${r.id}" does not exist` });
      if (r.id === st.id && st.type !== "wait" && st.type !== "wait_for_event")
        errors.push({ path: `${p}.${r.field}`, message: "a step cannot lead to itself" });
    }
    if (st.type === "send") {
      const discountRefs = [
        { field: "discountStepId", id: st.discountStepId },
        ...(st.variants ?? []).map((v, j) => ({ field: `variants[${j}].discountStepId`, id: v.discountStepId ?? undefined })),
      ];
      for (const ref of discountRefs) {
        if (ref.id === undefined) continue;
        const d = byId.get(ref.id);
        if (!d) errors.push({ path: `${p}.${ref.field}`, message: `discount step "${ref.id}" does not exist` });
        else if (d.type !== "create_discount")
          errors.push({ path: `${p}.${ref.field}`, message: `step "${ref.id}" is a ${d.type} step, not create_discount` });
      }
      const keys = st.variants?.map((v) => v.key) ?? [];
      if (new Set(keys).size !== keys.length) errors.push({ path: `${p}.variants`, message: "variant keys must be unique" });
      if (st.content)
        for (const problem of contentProblems(st.content, st))
          errors.push({ path: `${p}.content${problem.path ? `.${problem.path}` : ""}`, message: problem.message });
      if (st.channel !== "email" && (st.subject !== undefined || st.variants?.some((v) => v.subject !== undefined)))
        errors.push({ path: `${p}.subject`, message: "a subject line applies to email only" });
    }
    if (st.type === "ab_split") {
      const keys = st.variants.map((v) => v.key);
      if (new Set(keys).size !== keys.length) errors.push({ path: `${p}.variants`, message: "variant keys must be unique" });
    }
    if (st.type === "wait_window" && st.start === st.end)
      errors.push({ path: p, message: "a local time window needs different start and end times" });
  });

  if (def.trigger.type === "date" && def.trigger.dateField === "property" && !def.trigger.property)
    errors.push({ path: "trigger.property", message: 'a date trigger on dateField "property" needs the property name' });

  for (const c of conditionsOf(def))
    for (const field of conditionFields(c.cond)) {
      const root = field.split(".")[0]!;
      if (!c.roots.includes(root)) errors.push({ path: c.path, message: `field "${field}" must start with one of ${c.roots.join(", ")}` });
    }

  if (errors.length) return errors; // the walks below need a sound graph

  // A send reached first after an A/B split carries the split's variant in its figures:
  // it cannot also test variants of its own, nor measure two splits at once.
  for (const [sendId, splits] of sendsMeasuringSplits(def)) {
    const send = byId.get(sendId);
    const p = `steps[${def.steps.indexOf(send!)}] (${sendId})`;
    if (send?.type === "send" && send.variants)
      errors.push({ path: `${p}.variants`, message: `the send after A/B split "${splits[0]}" cannot test variants of its own` });
    if (splits.length > 1)
      errors.push({
        path: p,
        message: `the send is the first after A/B splits ${splits.map((x) => `"${x}"`).join(" and ")}: measure one at a time`,
      });
  }

  // Reachability from the start step.
  const seen = new Set<string>();
  const queue = [def.startStepId];
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const r of stepRefs(byId.get(id)!)) if (r.id !== undefined) queue.push(r.id);
  }
  def.steps.forEach((st, i) => {
    if (!seen.has(st.id))
      errors.push({ path: `steps[${i}] (${st.id})`, message: `step "${st.id}" is unreachable from the start step "${def.startStepId}"` });
  });

  // A loop must pass through a wait or wait_for_event, or it would spin (and spam).
  const blocking = (st: Step) => st.type === "wait" || st.type === "wait_for_event";
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 1);
    stack.push(id);
    const st = byId.get(id)!;
    if (!blocking(st))
      for (const r of stepRefs(st)) {
        if (r.id === undefined) continue;
        if (blocking(byId.get(r.id)!)) continue;
        if (state.get(r.id) === 1) return [...stack.slice(stack.indexOf(r.id)), r.id];
        if (!state.has(r.id)) {
          const cycle = visit(r.id);
          if (cycle) return cycle;
        }
      }
    stack.pop();
    state.set(id, 2);
    return null;
  };
  for (const st of def.steps) {
    if (state.has(st.id)) continue;
    const cycle = visit(st.id);
    if (cycle) {
      errors.push({ path: "steps", message: `steps ${cycle.map((c) => `"${c}"`).join(" -> ")} form a loop without a wait step` });
      break;
    }
  }
  return errors;
}
