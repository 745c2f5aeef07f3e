// Names the reports give to codes (decision reasons, outcomes, channels, steps): one
// place for the page and its CSV exports, so both say the same thing.
import { isMessageKey, type MessageKey, type Translate } from "./index";

/** A decision reason's short label; an unknown code is shown as it is. */
export function reasonLabel(t: Translate, code: string): string {
  const key = `report.reason.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

export function outcomeLabel(t: Translate, outcome: string): string {
  const key = `report.outcome.${outcome}`;
  return isMessageKey(key) ? t(key) : outcome;
}

export function channelLabel(t: Translate, channel: string): string {
  return channel
    .split("+")
    .map((c) => {
      const key = `report.channel.${c}`;
      return isMessageKey(key) ? t(key) : c;
    })
    .join(" + ");
}

/** "1. Email · welcome_1" for a step of the current version; "send_9 (earlier version)" for one it no longer has. */
export function stepName(
  t: Translate,
  step: { stepId: string; n: number | null; channel: string; templateKey: string | null; label: string | null },
): string {
  if (step.n === null) return t("report.steps.oldStep", { stepId: step.stepId });
  return step.label
    ? `${step.n}. ${step.label}`
    : t("report.steps.name", { n: step.n, channel: channelLabel(t, step.channel), template: step.templateKey ?? step.stepId });
}

// Figures that count attributed orders: when the shop counts opens as touches, every
// label of them says so, on the page and in the exports.
const ATTRIBUTED: ReadonlySet<MessageKey> = new Set<MessageKey>([
  "report.kpi.attributed",
  "report.funnel.converted",
  "report.revenue.attributed",
  "report.daily.attributedOrders",
  "report.daily.attributedRevenue",
  "report.steps.attributedOrders",
  "report.steps.attributedRevenue",
  "report.ab.conversions",
  "report.ab.conversionRate",
  "report.ab.revenue",
  "report.ab.revenuePerRecipient",
]);

/** The report's translator: with open attribution on, attributed figures are labelled "(clicks and opens)". */
export function reportTranslator(t: Translate, attributeOpens: boolean): Translate {
  if (!attributeOpens) return t;
  return (key, vars) => (ATTRIBUTED.has(key) ? `${t(key, vars)} ${t("report.withOpens")}` : t(key, vars));
}
