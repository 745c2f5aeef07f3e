import type { Condition, FlowDefinition, Step } from "../journey/schema";
import { entryDiffLines, goalDiffLines } from "./entry-diff";
import { conditionWords, discountWords, eventWords, shortDuration, hoursDuration, stepNames, type Wording } from "./wording";

// What changed between two versions of a flow, as lines a merchant reads in the change
// log ("Wait before email 2: 24 h → 36 h", "Discount: 10% → 15%"). Steps are matched
// by id; what has no readable form of its own is reported as "<step> changed".

export interface DiffLine {
  /** The step the line is about, when it is about one. */
  stepId?: string;
  label: string;
  before?: string;
  after?: string;
}

export function diffDefinitions(before: FlowDefinition, after: FlowDefinition, w: Wording): DiffLine[] {
  const lines: DiffLine[] = [];
  const oldNames = stepNames(before, w);
  const newNames = stepNames(after, w);
  const push = (label: string, a: string, b: string, stepId?: string) => {
    if (a !== b) lines.push({ stepId, label, before: a, after: b });
  };

  if (before.name !== after.name) push(w.t("flow.diff.name"), before.name, after.name);
  push(w.t("flow.diff.priority"), String(before.priority), String(after.priority));
  lines.push(...entryDiffLines(before, after, w));

  const oldById = new Map(before.steps.map((s) => [s.id, s]));
  const newById = new Map(after.steps.map((s) => [s.id, s]));
  for (const st of before.steps)
    if (!newById.has(st.id)) lines.push({ stepId: st.id, label: w.t("flow.diff.removed", { name: oldNames.get(st.id) ?? st.id }) });
  for (const st of after.steps) {
    const name = newNames.get(st.id) ?? st.id;
    const old = oldById.get(st.id);
    if (!old) {
      lines.push({ stepId: st.id, label: w.t("flow.diff.added", { name }) });
      continue;
    }
    if (same(old, st)) continue;
    const n = lines.length;
    // A step switched to another channel is named as it was ("Email 2", not "SMS 1"): the merchant knew it so.
    const switched = old.type === "send" && st.type === "send" && old.channel !== st.channel;
    const shown = switched ? (oldNames.get(st.id) ?? name) : name;
    stepLines(old, st, shown, w, (label, a, b) => push(label, a, b, st.id));
    // Anything else about the step (its links, a label) has no line of its own.
    if (lines.length === n || !sameExcept(old, st)) lines.push({ stepId: st.id, label: w.t("flow.diff.changed", { name: shown }) });
  }

  const exits = (d: FlowDefinition) => d.exits.map((e) => eventWords(e.events, w)).join("; ") || w.t("flow.diff.nothing");
  if (!same(before.exits, after.exits)) {
    const a = exits(before);
    const b = exits(after);
    if (a !== b) push(w.t("flow.diff.exits"), a, b);
    else lines.push({ label: w.t("flow.diff.changed", { name: w.t("flow.diff.exits") }) });
  }
  lines.push(...goalDiffLines(before, after, w));
  // Two steps of one name (an email on both sides of a condition) changed alike read as one line.
  return lines.filter((l, i) => i === lines.findIndex((m) => diffLineText(m) === diffLineText(l)));
}

/** One line: "Wait before email 2: 24 h → 36 h", for the audit row and plain text. */
export function diffLineText(line: DiffLine): string {
  return line.before !== undefined || line.after !== undefined ? `${line.label}: ${line.before ?? ""} → ${line.after ?? ""}` : line.label;
}

type Push = (label: string, before: string, after: string) => void;

/** The readable fields of a step, compared one by one. */
function stepLines(a: Step, b: Step, name: string, w: Wording, push: Push): void {
  if (a.type !== b.type) return;
  if (a.type === "wait" && b.type === "wait") {
    const d = (s: typeof a) =>
      "fromPath" in s.duration ? `${s.duration.fromPath} (${s.duration.fallback})` : shortDuration(w, s.duration);
    push(name, d(a), d(b));
  }
  if (a.type === "wait_for_event" && b.type === "wait_for_event") push(name, shortDuration(w, a.timeout), shortDuration(w, b.timeout));
  if (a.type === "condition" && b.type === "condition") push(name, cond(a.if, w), cond(b.if, w));
  if (a.type === "split" && b.type === "split" && a.branches.length === b.branches.length)
    b.branches.forEach((br, i) => {
      const branch = br.label ?? w.t("flow.cond.branch", { branch: i + 1 });
      push(w.t("flow.diff.branch", { name, branch }), cond(a.branches[i]!.when, w), cond(br.when, w));
    });
  if (a.type === "create_discount" && b.type === "create_discount") {
    push(name, discountWords(a, w), discountWords(b, w));
    push(
      w.t("flow.diff.expiry", { name }),
      shortDuration(w, hoursDuration(a.expiresInHours)),
      shortDuration(w, hoursDuration(b.expiresInHours)),
    );
  }
  if (a.type === "send" && b.type === "send") {
    push(w.t("flow.diff.channel", { name }), w.t(`flow.channel.${a.channel}`), w.t(`flow.channel.${b.channel}`));
    // A new channel brings its own words: the channel line says it.
    if (a.channel === b.channel) {
      push(w.t("flow.diff.subject", { name }), a.subject ?? "—", b.subject ?? "—");
      push(w.t("flow.diff.template", { name }), a.templateKey, b.templateKey);
    }
    const defer = (h: number | null | undefined) => (h == null ? w.t("flow.diff.never") : shortDuration(w, { hours: h }));
    push(w.t("flow.diff.maxDefer", { name }), defer(a.maxDeferHours), defer(b.maxDeferHours));
    push(
      w.t("flowChannel.diff.noConsent", { name }),
      w.t(`flowChannel.noConsent.${a.onNoConsent}`),
      w.t(`flowChannel.noConsent.${b.onNoConsent}`),
    );
  }
}

const READABLE: Partial<Record<Step["type"], readonly string[]>> = {
  wait: ["duration"],
  wait_for_event: ["timeout"],
  condition: ["if"],
  create_discount: ["kind", "value", "expiresInHours"],
  send: ["channel", "subject", "templateKey", "maxDeferHours", "onNoConsent"],
};

/** Whether two versions of a step differ only in the fields stepLines reads (a send's content too, when its channel changed). */
function sameExcept(a: Step, b: Step): boolean {
  const switched = a.type === "send" && b.type === "send" && a.channel !== b.channel;
  const readable = (s: Step) => [...(READABLE[s.type] ?? []), ...(switched ? ["content"] : [])];
  // A split's branch conditions have lines of their own; where the branches lead does not.
  const drop = (s: Step) => {
    const rest = Object.fromEntries(Object.entries(s).filter(([k]) => !readable(s).includes(k)));
    return s.type === "split" ? { ...rest, branches: s.branches.map((br) => ({ ...br, when: null })) } : rest;
  };
  return same(drop(a), drop(b));
}

function cond(c: Condition, w: Wording): string {
  return conditionWords(c, w);
}

/** Equal as stored JSON: undefined members dropped, object keys in any order. */
function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : 1)))
      : x,
  );
}
