// Which message a step id is, for the report's tables: the flow's current version
// names its send steps; a step only an older version had keeps its id.
import { z } from "zod";
import { db } from "../../db/client.server";

export interface StepInfo {
  stepId: string;
  /** 1-based position among the current version's send steps; null for a step it no longer has. */
  n: number | null;
  channel: string | null;
  templateKey: string | null;
  label: string | null;
}

const Steps = z.object({
  steps: z
    .array(
      z
        .object({
          id: z.string(),
          type: z.string(),
          channel: z.string().optional(),
          templateKey: z.string().optional(),
          label: z.string().optional(),
        })
        .loose(),
    )
    .catch([]),
});

export async function loadStepInfo(shopId: string, activeVersionId: string | null): Promise<StepInfo[]> {
  if (!activeVersionId) return [];
  const version = await db().flowVersion.findFirst({ where: { id: activeVersionId, shopId }, select: { definition: true } });
  const parsed = Steps.safeParse(version?.definition);
  if (!parsed.success) return [];
  return parsed.data.steps
    .filter((s) => s.type === "send")
    .map((s, i) => ({ stepId: s.id, n: i + 1, channel: s.channel ?? null, templateKey: s.templateKey ?? null, label: s.label ?? null }));
}

/** The current version's send steps first, in flow order, then any other step by id. */
export function stepOrder(info: readonly StepInfo[]): (a: string, b: string) => number {
  const pos = new Map(info.map((s, i) => [s.stepId, i]));
  return (a, b) => (pos.get(a) ?? Infinity) - (pos.get(b) ?? Infinity) || a.localeCompare(b);
}
