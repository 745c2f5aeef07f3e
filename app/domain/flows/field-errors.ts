import type { EditTrace } from "./condition-groups";
import { CONSENT_MISMATCH, SWITCH_REFUSALS } from "./channel-switch";
import type { Wording } from "./wording";

export type { Wording };

// Which field of the flow page's form a schema error is about, so the page shows it
// under that exact input (the merchant's value kept), and the error in the merchant's
// words. Paths are validate.ts's ("entry.reentry.hours", "steps[2] (check).if.all[1].value");
// a form problem's path is already a field name ("filter/new/value").

const LEAF = String.raw`(?:\.(?:all|any)\.\d+|\.not)*`;
const ENTRY_LEAF = new RegExp(String.raw`^((?:entry\.conditions|trigger\.where)${LEAF})(?:\.(op|value|field))?(?:\.|$)`);
const STEP_LEAF = new RegExp(String.raw`^step:([^/]+)/((?:if|branches\.\d+\.when)${LEAF})(?:\.(op|value|field))?(?:\.|$)`);

/** "steps[2] (check).if.all[1].value" -> "step:check/if.all.1.value"; "exits[0].events" -> "exits.0.events". */
export function normalizePath(path: string): string {
  return path.replace(/^steps\[\d+\] \(([^)]+)\)\.?/, "step:$1/").replace(/\[(\d+)\]/g, ".$1");
}

/** The form field an error is about, or null when it is about a whole step, row or the flow. */
export function fieldOfPath(path: string, trace?: EditTrace): string | null {
  if (path.includes("/")) return path;
  const p = normalizePath(path);
  if (p.includes("/") && !p.startsWith("step:")) return null;
  const fixed: Record<string, string> = {
    priority: "priority",
    "entry.requiresConsent": "entry/consent",
    "entry.reentry": "entry/reentry",
    "entry.reentry.mode": "entry/reentry",
    "entry.reentry.hours": "entry/reentryHours",
    "goal.withinHours": "goal/withinHours",
    "goal.exitOnGoal": "goal/exitOnGoal",
  };
  if (fixed[p]) return fixed[p];
  const exit = /^exits\.(\d+)\.events(?:\.|$)/.exec(p);
  if (exit) return `exit/${exit[1]}/events`;

  const traced = trace ? fromTrace(p, trace) : null;
  if (traced) return traced;
  const entryLeaf = ENTRY_LEAF.exec(p);
  if (entryLeaf && entryLeaf[2]) return `leaf/${entryLeaf[1]}/${entryLeaf[2] === "value" ? "value" : "op"}`;
  const stepLeaf = STEP_LEAF.exec(p);
  if (stepLeaf && stepLeaf[3]) return `cond/${stepLeaf[1]}/${stepLeaf[2]}/${stepLeaf[3] === "value" ? "value" : "op"}`;

  const step = /^step:([^/]+)\/([A-Za-z]+)(?:\.|$)/.exec(p);
  if (!step) return null;
  const [, id, prop] = step as unknown as [string, string, string];
  if (prop === "duration" || prop === "timeout") return `wait/${id}/amount`;
  if (prop === "kind" || prop === "value" || prop === "expiresInHours") return `discount/${id}/${prop}`;
  if (prop === "maxDeferHours" || prop === "channel") return `send/${id}/${prop}`;
  return null;
}

/** The leaf the path is under, by where the edit took it from: its op, value, or for a new one its field. */
function fromTrace(p: string, trace: EditTrace): string | null {
  let best: string | null = null;
  for (const k of trace.keys()) if ((p === k || p.startsWith(`${k}.`)) && (!best || k.length > best.length)) best = k;
  if (best === null) return null;
  const prefix = trace.get(best)!;
  const prop = p.slice(best.length + 1).split(".")[0];
  const isNew = prefix.endsWith("/new");
  if (prop === "value") return `${prefix}/value`;
  if (prop === "field") return `${prefix}/${isNew ? "field" : "op"}`;
  if (prop === "op") return `${prefix}/op`;
  return `${prefix}/${isNew ? "value" : "op"}`;
}

/** The error in the merchant's words where it is a common one; the schema's own message otherwise. */
export function fieldMessage(message: string, field: string, w: Wording): string {
  if (message === "the new condition needs a value") return w.t("flow.error.valueNeeded");
  if (/^unknown field/.test(message)) return w.t("flow.error.unknownField");
  if (message === "a duration must be longer than zero") return w.t("flow.error.durationPositive");
  if (message === SWITCH_REFUSALS.abTest) return w.t("flowChannel.error.abTest");
  if (message === CONSENT_MISMATCH.sms) return w.t("flowChannel.error.consentSms");
  if (message === CONSENT_MISMATCH.email) return w.t("flowChannel.error.consentEmail");
  const bound = /too (small|big): expected number to be ([<>]=?)\s*(-?[\d.]+)/i.exec(message);
  if (bound) {
    const n = bound[3]!;
    const key = { ">": "above", ">=": "atLeast", "<": "below", "<=": "atMost" }[bound[2]!] as "above" | "atLeast" | "below" | "atMost";
    return w.t(`flow.error.${key}`, { n: Number(n).toLocaleString(w.locale === "pl" ? "pl-PL" : "en-US") });
  }
  if (/NaN|expected number|received number|is required/.test(message) && isNumberField(field)) return w.t("flow.error.number");
  return message;
}

function isNumberField(field: string): boolean {
  return /(^priority$|reentryHours$|withinHours$|\/amount$|^discount\/.*\/(value|expiresInHours)$|maxDeferHours$|\/value$)/.test(field);
}
