import type { FlowDefinition, Step } from "./schema";

// The flow as a graph: which steps a step leads to, what is reachable, and which send
// an A/B split's branches reach first (the send whose figures measure the split).

/** The steps `st` may lead to, with the field that names each (absent id = end of the flow). */
export function stepRefs(st: Step): { field: string; id: string | undefined }[] {
  switch (st.type) {
    case "send":
    case "wait":
    case "wait_window":
    case "create_discount":
    case "add_tag":
    case "suppress_marketing":
      return [{ field: "next", id: st.next }];
    case "wait_for_event":
      return [
        { field: "onEvent", id: st.onEvent },
        { field: "onTimeout", id: st.onTimeout },
      ];
    case "condition":
      return [
        { field: "then", id: st.then },
        { field: "else", id: st.else },
      ];
    case "split":
      return [...st.branches.map((b, i) => ({ field: `branches[${i}].next`, id: b.next })), { field: "otherwise", id: st.otherwise }];
    case "ab_split":
      return st.variants.map((v, i) => ({ field: `variants[${i}].next`, id: v.next }));
    case "exit":
      return [];
  }
}

/** Ids of the steps reachable from the start step (the start included). */
export function reachableStepIds(def: Pick<FlowDefinition, "startStepId" | "steps">): Set<string> {
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const queue = [def.startStepId];
  while (queue.length) {
    const id = queue.shift()!;
    const st = byId.get(id);
    if (seen.has(id) || !st) continue;
    seen.add(id);
    for (const r of stepRefs(st)) if (r.id !== undefined) queue.push(r.id);
  }
  return seen;
}

/**
 * The send steps reached first from `from`, through any steps that are not sends or
 * other A/B splits (waits, conditions, tags, discounts...). A split's branch is
 * measured by these sends: its delay variants wait differently before the same send.
 */
export function firstSendsFrom(def: Pick<FlowDefinition, "steps">, from: string | undefined): string[] {
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const found = new Set<string>();
  const seen = new Set<string>();
  const queue = from === undefined ? [] : [from];
  while (queue.length) {
    const id = queue.shift()!;
    const st = byId.get(id);
    if (seen.has(id) || !st) continue;
    seen.add(id);
    if (st.type === "send") found.add(id);
    else if (st.type !== "ab_split") for (const r of stepRefs(st)) if (r.id !== undefined) queue.push(r.id);
  }
  return [...found];
}

/** For every send reached first after an A/B split: the split's id (its sends carry the split's variant). */
export function sendsMeasuringSplits(def: Pick<FlowDefinition, "steps">): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const st of def.steps) {
    if (st.type !== "ab_split") continue;
    for (const v of st.variants)
      for (const sendId of firstSendsFrom(def, v.next)) {
        const splits = out.get(sendId) ?? [];
        if (!splits.includes(st.id)) splits.push(st.id);
        out.set(sendId, splits);
      }
  }
  return out;
}
