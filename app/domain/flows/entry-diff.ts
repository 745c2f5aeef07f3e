import type { Condition, FlowDefinition } from "../journey/schema";
import type { DiffLine } from "./definition-diff";
import { conditionWords, hoursDuration, reentryWords, shortDuration, type Wording } from "./wording";

// The change log's lines for who enters a flow and what ends it: the filter, the
// consent entry needs, re-entry, the trigger's filter and the goal, each as
// "label: before → after" in the merchant's language. What has no line of its own
// (the trigger's events, the goal's events) is reported as "<part> changed".

export function entryDiffLines(before: FlowDefinition, after: FlowDefinition, w: Wording): DiffLine[] {
  const lines: DiffLine[] = [];
  const push = (label: string, a: string, b: string) => a !== b && lines.push({ label, before: a, after: b });
  const { where: whereA, ...triggerA } = before.trigger;
  const { where: whereB, ...triggerB } = after.trigger;
  if (!same(triggerA, triggerB)) lines.push({ label: w.t("flow.diff.changed", { name: w.t("flow.diff.trigger") }) });
  push(w.t("flow.diff.triggerWhere"), condition(whereA, w), condition(whereB, w));
  push(w.t("flow.diff.filter"), condition(before.entry.conditions, w), condition(after.entry.conditions, w));
  push(
    w.t("flow.diff.consent"),
    w.t(`flow.consentOption.${before.entry.requiresConsent}`),
    w.t(`flow.consentOption.${after.entry.requiresConsent}`),
  );
  push(w.t("flow.diff.reentry"), reentryWords(before.entry.reentry, w), reentryWords(after.entry.reentry, w));
  return lines;
}

export function goalDiffLines(before: FlowDefinition, after: FlowDefinition, w: Wording): DiffLine[] {
  const a = before.goal;
  const b = after.goal;
  if (same(a, b)) return [];
  if (!a || !b || !same({ ...a, withinHours: 0, exitOnGoal: true }, { ...b, withinHours: 0, exitOnGoal: true }))
    return [{ label: w.t("flow.diff.changed", { name: w.t("flow.diff.goal") }) }];
  const lines: DiffLine[] = [];
  const push = (label: string, x: string, y: string) => x !== y && lines.push({ label, before: x, after: y });
  const window = (h: number | undefined) => (h === undefined ? w.t("flow.diff.whileEnrolled") : shortDuration(w, hoursDuration(h)));
  push(w.t("flow.diff.goalWindow"), window(a.withinHours), window(b.withinHours));
  const outcome = (exit: boolean) => w.t(exit ? "flow.goal.ends" : "flow.goal.records");
  push(w.t("flow.diff.goalOutcome"), outcome(a.exitOnGoal), outcome(b.exitOnGoal));
  return lines;
}

function condition(c: Condition | undefined, w: Wording): string {
  return c ? conditionWords(c, w) : w.t("flow.diff.nothing");
}

function same(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown) =>
    JSON.stringify(v ?? null, (_k, x: unknown) =>
      x && typeof x === "object" && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : 1)))
        : x,
    );
  return canonical(a) === canonical(b);
}
