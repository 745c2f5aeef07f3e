import type { Shop } from "@prisma/client";
import { flowDisplayName } from "~/domain/flows";
import { diffDefinitions, type DiffLine } from "~/domain/flows/definition-diff";
import { consentProblems } from "~/domain/flows/channel-switch";
import {
  applyEditsTraced,
  channelFormProblems,
  channelSwitches,
  editableFields,
  errorsByField,
  formProblems,
} from "~/domain/flows/definition-edits";
import { entryFields } from "~/domain/flows/entry-edits";
import { storedNote } from "~/domain/flows/stored-words";
import { flowTimeline } from "~/domain/flows/timeline";
import { formatValidationErrors, validateFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { estimateFlowSms, type FlowSmsEstimate } from "~/domain/sms/estimate";
import { rolloutThresholdsOf } from "~/domain/rollout";
import { translator, type Locale } from "~/i18n";
import { db } from "../db/client.server";
import { FlowChangedError, rollbackFlow, saveFlowDefinition, sameStoredJson } from "../journeys/flows.server";
import { channelSourcesFor } from "./flow-channel.server";
import { estimateAuditDetails, estimateShop, smsAudience } from "./sms-estimate.server";

// The flow detail page (/app/flows/<id>): the active version as a timeline with its
// editable fields, the change log with each version's diff, the latest entries. Every
// lookup goes through the shop: another shop's flow id is not found.

const ENTRIES_SHOWN = 8;

async function shopFlow(shop: Shop, flowId: string) {
  return db().flow.findFirst({ where: { id: flowId, shopId: shop.id } });
}

export async function loadFlowDetail(shop: Shop, flowId: string, locale: Locale) {
  const flow = await shopFlow(shop, flowId);
  if (!flow) return null;
  const [versions, entries] = await Promise.all([
    db().flowVersion.findMany({ where: { flowId: flow.id, shopId: shop.id }, orderBy: { version: "asc" } }),
    db().enrollment.findMany({
      where: { flowId: flow.id, shopId: shop.id },
      orderBy: [{ enteredAt: "desc" }, { id: "desc" }],
      take: ENTRIES_SHOWN,
      select: { id: true, enteredAt: true, status: true, nextWakeAt: true, flowVersion: { select: { version: true } } },
    }),
  ]);
  const w = { t: translator(locale), locale };
  const parsed = versions.map((v) => ({ v, check: validateFlowDefinition(v.definition) }));
  const active = parsed.find((p) => p.v.id === flow.activeVersionId) ?? parsed.at(-1);
  const definition = active?.check.ok ? active.check.definition : null;
  const history = parsed.map(({ v, check }, i) => {
    const prev = i > 0 ? parsed[i - 1]!.check : null;
    const diff: DiffLine[] | null = check.ok && prev?.ok ? diffDefinitions(prev.definition, check.definition, w) : null;
    return {
      version: v.version,
      active: v.id === flow.activeVersionId,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy,
      note: storedNote(v.changeNote, w),
      diff,
    };
  });
  return {
    flow: {
      id: flow.id,
      key: flow.key,
      name: flowDisplayName(flow, locale),
      status: flow.status,
      priority: flow.priority,
      rolloutPercent: flow.rolloutPercent,
      version: active?.v.version ?? null,
    },
    /** The go/no-go thresholds a staged rollout of this flow is judged by (Settings). */
    rolloutThresholds: rolloutThresholdsOf(shop.settings),
    timeline: definition ? flowTimeline(definition, w) : [],
    fields: definition ? editableFields(definition) : {},
    entry: definition ? entryFields(definition) : null,
    exits: definition?.exits.map((e) => e.events.join(", ")) ?? [],
    /** The active version's schema errors (it cannot be switched on while there are any); no timeline to put them on. */
    activeErrors: active && !active.check.ok ? { general: formatValidationErrors(active.check.errors).split("\n") } : null,
    history: history.reverse(),
    entries: entries.map((e) => ({
      id: e.id,
      enteredAt: e.enteredAt.toISOString(),
      status: e.status,
      version: e.flowVersion.version,
      nextWakeAt: e.status === "active" ? (e.nextWakeAt?.toISOString() ?? null) : null,
    })),
  };
}

export type SaveEditsResult =
  | { ok: true; version: number }
  | { ok: true; version: null }
  /**
   * smsCost: a message of a flow that is on becomes an SMS; nothing was saved, as when
   * an SMS flow is turned on its cost is shown and confirmed first (`confirmSmsCost`).
   */
  | { ok: false; errors: Record<string, string[]>; smsCost?: FlowSmsEstimate; smsCostFor?: string; conflict?: true }
  | null;

/**
 * The page's edits as a new version (validated by the flow schema; running
 * enrollments keep theirs). Null when the flow is not the shop's; version null when
 * nothing changed.
 */
export async function saveFlowEdits(
  shop: Shop,
  flowId: string,
  form: Record<string, string>,
  actor: string,
  note: string | undefined,
  locale: Locale = "en",
  /** baseVersion: the version the page showed; the form's every field is that version's. */
  /** confirmSmsCost: the `smsCostFor` of the estimate the merchant confirmed (the steps it priced). */
  opts: { confirmSmsCost?: string; baseVersion?: number } = {},
): Promise<SaveEditsResult> {
  const flow = await shopFlow(shop, flowId);
  if (!flow?.activeVersionId) return null;
  const active = await db().flowVersion.findFirst({ where: { id: flow.activeVersionId, shopId: shop.id } });
  const changed = (version: number | null) => ({
    ok: false as const,
    conflict: true as const,
    errors: { general: [translator(locale)("flow.error.changed", { version: version ?? "—" })] },
  });
  if (active && opts.baseVersion !== undefined && opts.baseVersion !== active.version) return changed(active.version);
  const current = active ? validateFlowDefinition(active.definition) : null;
  if (!current?.ok) return { ok: false, errors: current ? errorsByField(current.errors) : { general: ["no active version"] } };
  const switches = channelSwitches(current.definition, form);
  const sources = await channelSourcesFor(shop.id, flow.id, current.definition, switches);
  const { definition: edited, trace } = applyEditsTraced(current.definition, form, sources);
  const check = validateFlowDefinition(edited);
  const consentEdited =
    switches.length > 0 || (form["entry/consent"] ?? current.definition.entry.requiresConsent) !== current.definition.entry.requiresConsent;
  const problems = [
    ...formProblems(current.definition, form),
    ...channelFormProblems(current.definition, form),
    // Checked when this save touches channels or consent: an older version may predate the rule.
    ...(check.ok && consentEdited ? consentProblems(check.definition) : []),
  ];
  if (!check.ok || problems.length) {
    const errors = [...problems, ...(check.ok ? [] : check.errors)];
    return { ok: false, errors: errorsByField(errors, trace, { t: translator(locale), locale }) };
  }
  // Both as stored (undefined members dropped), the edited mark aside.
  const stored = JSON.parse(JSON.stringify(withoutEditedMark(current.definition))) as unknown;
  if (sameStoredJson(withoutEditedMark(check.definition), stored)) return { ok: true, version: null };
  let smsCost: FlowSmsEstimate | null = null;
  if (flow.status === "on" && switches.some((sw) => sw.to === "sms")) {
    smsCost = estimateFlowSms(check.definition, estimateShop(shop), await smsAudience(shop.id));
    // A confirmation covers the switches it priced: one more message made an SMS is shown again.
    const smsCostFor = switches
      .filter((sw) => sw.to === "sms")
      .map((sw) => sw.stepId)
      .sort()
      .join(",");
    if (smsCost && opts.confirmSmsCost !== smsCostFor) return { ok: false, errors: {}, smsCost, smsCostFor };
  }
  const audit = switches.length
    ? { channelSwitches: switches, ...(smsCost ? { smsCostEstimateConfirmed: estimateAuditDetails(smsCost) } : {}) }
    : undefined;
  try {
    const version = await saveFlowDefinition(shop.id, flow.key, check.definition, actor, note?.trim() || undefined, audit, active!.id);
    return { ok: true, version };
  } catch (err) {
    // Another save (a colleague's, the message editor's, Settings') landed since this one read the flow.
    if (err instanceof FlowChangedError) return changed(err.activeVersion);
    throw err;
  }
}

function withoutEditedMark(d: FlowDefinition): FlowDefinition {
  return d.source ? { ...d, source: { catalogueKey: d.source.catalogueKey, settings: d.source.settings } } : d;
}

/** Makes an earlier version active again (as a new version). Null when the flow or the version is not the shop's. */
export async function rollbackFlowVersion(shop: Shop, flowId: string, toVersion: number, actor: string): Promise<number | null> {
  const flow = await shopFlow(shop, flowId);
  if (!flow) return null;
  const target = await db().flowVersion.findFirst({ where: { flowId: flow.id, shopId: shop.id, version: toVersion } });
  if (!target) return null;
  return rollbackFlow(shop.id, flow.key, toVersion, actor);
}
