import { reachableStepIds, stepRefs, type FlowDefinition, type Step } from "../journey";

/**
 * The definition with an A/B test settled: the tested step keeps only the winner.
 * - A send step takes the winning variant's template, subject line and incentive, and
 *   tests nothing any more.
 * - An ab_split is taken out: whatever led to it leads to the winner's branch, and the
 *   other branches' steps, now unreachable, go.
 * A create_discount step that only a losing variant carried goes too (the engine would
 * otherwise mint its code for everyone as a standalone step). The caller validates the
 * result before storing it as a new version.
 */
export function promoteWinner(def: FlowDefinition, stepId: string, winnerKey: string): FlowDefinition {
  const st = def.steps.find((s) => s.id === stepId);
  if (!st) throw new Error(`step "${stepId}" is not in the flow`);
  let steps: Step[];
  let startStepId = def.startStepId;
  if (st.type === "send" && st.variants) {
    const w = st.variants.find((v) => v.key === winnerKey);
    if (!w) throw new Error(`step "${stepId}" has no variant "${winnerKey}"`);
    const { variants: _variants, ...rest } = st;
    const settled: Step = stripUndefined({
      ...rest,
      templateKey: w.templateKey ?? st.templateKey,
      subject: w.subject ?? st.subject,
      discountStepId: w.discountStepId !== undefined ? (w.discountStepId ?? undefined) : st.discountStepId,
    });
    steps = def.steps.map((s) => (s.id === stepId ? settled : s));
  } else if (st.type === "ab_split") {
    const w = st.variants.find((v) => v.key === winnerKey);
    if (!w) throw new Error(`step "${stepId}" has no variant "${winnerKey}"`);
    if (w.next === undefined && startStepId === stepId) throw new Error(`the winner of "${stepId}" would leave the flow empty`);
    steps = def.steps.filter((s) => s.id !== stepId).map((s) => redirect(s, stepId, w.next));
    if (startStepId === stepId) startStepId = w.next!;
  } else {
    throw new Error(`step "${stepId}" is not an A/B test`);
  }
  const carriedBefore = carriedDiscounts(def.steps);
  const carriedAfter = carriedDiscounts(steps);
  for (const id of carriedBefore) {
    if (carriedAfter.has(id)) continue;
    const dropped = steps.find((s) => s.id === id);
    if (dropped?.type !== "create_discount") continue;
    if (startStepId === id) startStepId = dropped.next;
    steps = steps.filter((s) => s.id !== id).map((s) => redirect(s, id, dropped.next));
  }
  const reachable = reachableStepIds({ startStepId, steps });
  return { ...def, startStepId, steps: steps.filter((s) => reachable.has(s.id)) };
}

/** create_discount steps some send (or one of its variants) carries. */
function carriedDiscounts(steps: readonly Step[]): Set<string> {
  const ids = new Set<string>();
  for (const s of steps) {
    if (s.type !== "send") continue;
    if (s.discountStepId) ids.add(s.discountStepId);
    for (const v of s.variants ?? []) if (v.discountStepId) ids.add(v.discountStepId);
  }
  return ids;
}

/** The step with every reference to `from` pointing at `to` instead (undefined: the end of the flow). */
function redirect(st: Step, from: string, to: string | undefined): Step {
  if (!stepRefs(st).some((r) => r.id === from)) return st;
  const swap = (id: string | undefined) => (id === from ? to : id);
  const copy = structuredClone(st);
  switch (copy.type) {
    case "send":
    case "create_discount":
    case "add_tag":
    case "suppress_marketing":
      copy.next = swap(copy.next);
      break;
    case "wait":
    case "wait_window":
      // A wait cannot end the flow: one before a winner that ends it keeps its dangling
      // reference, and validation refuses the promotion.
      copy.next = swap(copy.next) ?? copy.next;
      break;
    case "wait_for_event":
      copy.onEvent = swap(copy.onEvent);
      copy.onTimeout = swap(copy.onTimeout);
      break;
    case "condition":
      copy.then = swap(copy.then);
      copy.else = swap(copy.else);
      break;
    case "split":
      copy.branches = copy.branches.map((b) => ({ ...b, next: swap(b.next) }));
      copy.otherwise = swap(copy.otherwise);
      break;
    case "ab_split":
      copy.variants = copy.variants.map((v) => ({ ...v, next: swap(v.next) }));
      break;
    case "exit":
      break;
  }
  return stripUndefined(copy);
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
