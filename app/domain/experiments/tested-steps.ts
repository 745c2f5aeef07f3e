import { firstSendsFrom, stepRefs, type FlowDefinition, type Step } from "../journey";

/** One A/B test in a flow definition: a send step with variants, or an ab_split. */
export interface TestedStep {
  stepId: string;
  kind: "send" | "split";
  /** In the definition's order; the first is the control. */
  variants: { key: string; weight: number }[];
  controlKey: string;
  /** The send steps whose FlowDaily rows (with the variant's key) hold each variant's figures. */
  measuredSteps: string[];
}

/** Every A/B test of a definition, in step order. */
export function testedSteps(def: Pick<FlowDefinition, "steps">): TestedStep[] {
  return def.steps.flatMap((st): TestedStep[] => {
    if (st.type === "send" && st.variants) return [tested(st.id, "send", st.variants, [st.id])];
    if (st.type === "ab_split") {
      const sends = new Set(st.variants.flatMap((v) => firstSendsFrom(def, v.next)));
      return [tested(st.id, "split", st.variants, [...sends])];
    }
    return [];
  });
}

function tested(
  stepId: string,
  kind: TestedStep["kind"],
  variants: { key: string; weight: number }[],
  measuredSteps: string[],
): TestedStep {
  return { stepId, kind, variants: variants.map((v) => ({ key: v.key, weight: v.weight })), controlKey: variants[0]!.key, measuredSteps };
}

/**
 * What a test compares, as text: the tested step and, for a split, every step of its
 * branches up to the sends that measure it (those without where they lead next). Two
 * versions with the same signature run the same test, so an edit elsewhere in the flow
 * lets it go on where it was instead of starting over.
 */
export function testSignature(def: Pick<FlowDefinition, "steps">, stepId: string): string | null {
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const root = byId.get(stepId);
  if (!root || !(root.type === "ab_split" || (root.type === "send" && root.variants))) return null;
  if (root.type === "send") return JSON.stringify(withoutNext(root));
  const measured = new Set(root.variants.flatMap((v) => firstSendsFrom(def, v.next)));
  const region: unknown[] = [];
  const seen = new Set<string>();
  const queue = [stepId];
  while (queue.length) {
    const id = queue.shift()!;
    const st = byId.get(id);
    if (!st || seen.has(id)) continue;
    seen.add(id);
    if (measured.has(id)) {
      region.push(withoutNext(st));
      continue;
    }
    region.push(st);
    for (const r of stepRefs(st)) if (r.id !== undefined) queue.push(r.id);
  }
  return JSON.stringify(region);
}

function withoutNext(st: Step): unknown {
  const { next: _next, ...rest } = st as Step & { next?: string };
  return rest;
}
