// The settings page's flow table: each flow's priority, status, re-entry (its maximum
// frequency), exclusion rule and holdout override, with its measured incremental
// revenue per recipient once the holdout result is conclusive. A change of priority or
// re-entry is a change of the definition: a new flow version, so history stays linear.
import type { Flow, Shop } from "@prisma/client";
import { CATALOGUE, isCatalogueKey, reentry } from "~/domain/flows";
import { parseFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { addDays } from "~/domain/measurement/report-period";
import { shopDay } from "~/domain/measurement/shop-day";
import type { Interval } from "~/domain/stats";
import type { Locale } from "~/i18n";
import { now } from "../../clock.server";
import { db } from "../../db/client.server";
import { FlowChangedError, installCatalogue, saveFlowDefinition } from "../../journeys/flows.server";
import { loadHoldouts } from "../reports/holdout.server";
import { auditChange } from "./audit.server";
import type { FlowInput } from "./forms.server";

/** The holdout comparison behind "order by incremental revenue": the last 90 days. */
export const INCREMENT_DAYS = 90;

export interface FlowSettingsRow {
  id: string;
  key: string;
  name: string;
  status: string;
  priority: number;
  version: number | null;
  /** null: once per customer; 0: every time; N: at most once per N days. */
  reentryDays: number | null;
  /** The flow's entry rule cannot be edited here (its catalogue settings have none). */
  reentryEditable: boolean;
  excludeAfterOrderHours: number | null;
  /** The flow's own holdout; null: the shop's default. */
  holdoutPercent: number | null;
  /** Incremental revenue per entry (95% interval), only when the holdout result is conclusive. */
  incrementPerEntry: Interval | null;
}

const reentryDaysOf = (def: FlowDefinition): number | null => {
  const r = def.entry.reentry;
  return r.mode === "never" ? null : r.mode === "always" ? 0 : Math.round((r.hours / 24) * 100) / 100;
};

function editableReentry(key: string): boolean {
  return !isCatalogueKey(key) || Object.hasOwn(CATALOGUE[key].defaultSettings, "reentryDays");
}

async function activeDefinition(f: Pick<Flow, "activeVersionId">): Promise<{ def: FlowDefinition; version: number; id: string } | null> {
  if (!f.activeVersionId) return null;
  const v = await db().flowVersion.findUnique({ where: { id: f.activeVersionId } });
  return v ? { def: parseFlowDefinition(v.definition), version: v.version, id: v.id } : null;
}

export async function loadFlowSettings(shop: Shop, locale: Locale): Promise<FlowSettingsRow[]> {
  await installCatalogue(shop.id);
  const flows = await db().flow.findMany({ where: { shopId: shop.id }, orderBy: [{ priority: "desc" }, { key: "asc" }] });
  const today = shopDay(now(), shop.timezone);
  const holdouts = await loadHoldouts(
    shop.id,
    flows.map((f) => ({ id: f.id, measurementDays: f.measurementDays })),
    { kind: "90", from: addDays(today, -(INCREMENT_DAYS - 1)), to: today },
    today,
  );
  return Promise.all(
    flows.map(async (f) => {
      const active = await activeDefinition(f);
      const h = holdouts.get(f.id);
      const conclusive = h && (h.verdict === "positive" || h.verdict === "negative");
      return {
        id: f.id,
        key: f.key,
        name: isCatalogueKey(f.key) ? CATALOGUE[f.key].meta.name[locale] : f.name,
        status: f.status,
        priority: f.priority,
        version: active?.version ?? null,
        reentryDays: active ? reentryDaysOf(active.def) : null,
        reentryEditable: editableReentry(f.key),
        excludeAfterOrderHours: f.excludeAfterOrderHours,
        holdoutPercent: f.holdoutPercent,
        incrementPerEntry: conclusive ? (h.revenuePerEntry ?? null) : null,
      };
    }),
  );
}

export class FlowNotFound extends Error {
  constructor() {
    super("flow not found");
  }
}

/**
 * A new version with the priority and re-entry changed, patched into the active
 * definition: a rebuild from the catalogue's settings would undo what the merchant
 * edited on the flow page (waits, conditions, channels, discounts) and drop A/B tests.
 * Both are absolute values, so a version saved meanwhile (the flow page, the message
 * editor) is read again and patched, never overwritten.
 */
type FlowRead = { flow: Flow; active: Awaited<ReturnType<typeof activeDefinition>> };

async function readFlow(shopId: string, flowId: string): Promise<FlowRead> {
  const flow = await db().flow.findFirstOrThrow({ where: { id: flowId, shopId } });
  return { flow, active: await activeDefinition(flow) };
}

/** `first`: the caller's own read of the flow, used for the first try (later tries read again). */
async function versionWith(
  shopId: string,
  flowId: string,
  priority: number,
  reentryDays: number | null | "kept",
  actor: string,
  first?: FlowRead,
) {
  for (let attempt = 1; ; attempt++) {
    const { flow, active } = attempt === 1 && first ? first : await readFlow(shopId, flowId);
    if (!active) return null;
    const def = active.def;
    const days = reentryDays === "kept" || !editableReentry(flow.key) ? reentryDaysOf(def) : reentryDays;
    if (priority === def.priority && days === reentryDaysOf(def)) return null;
    const note = `Settings: priority ${def.priority} → ${priority}, re-entry ${reentryDaysOf(def) ?? "once"} → ${days ?? "once"}`;
    const settings = { ...(def.source?.settings ?? {}), priority, ...(editableReentry(flow.key) ? { reentryDays: days } : {}) };
    const next: FlowDefinition = {
      ...def,
      priority,
      entry: { ...def.entry, ...(editableReentry(flow.key) ? { reentry: reentry(days) } : {}) },
      ...(def.source ? { source: { ...def.source, settings } } : {}),
    };
    try {
      return await saveFlowDefinition(shopId, flow.key, next, actor, note, undefined, active.id);
    } catch (err) {
      if (!(err instanceof FlowChangedError) || attempt >= 3) throw err;
    }
  }
}

/** Saves one row of the flow table. Another shop's flow id is not found (404), and nothing changes. */
export async function saveFlowRow(shopId: string, input: FlowInput, actor: string): Promise<{ version: number | null }> {
  const flow = await db().flow.findFirst({ where: { id: input.flowId, shopId } });
  if (!flow) throw new FlowNotFound();
  const active = await activeDefinition(flow);
  const version = active ? await versionWith(shopId, flow.id, input.priority, input.reentryDays, actor, { flow, active }) : null;
  await db().$transaction(async (tx) => {
    const updated = await tx.flow.update({
      where: { id: flow.id },
      data: { excludeAfterOrderHours: input.excludeAfterOrderHours, holdoutPercent: input.holdoutPercent },
    });
    await auditChange(tx, {
      shopId,
      actor,
      action: "settings.flow_updated",
      subjectType: "flow",
      subjectId: flow.id,
      before: {
        priority: flow.priority,
        reentryDays: active ? reentryDaysOf(active.def) : null,
        excludeAfterOrderHours: flow.excludeAfterOrderHours,
        holdoutPercent: flow.holdoutPercent,
      },
      after: {
        priority: updated.priority,
        reentryDays: editableReentry(flow.key) ? input.reentryDays : active ? reentryDaysOf(active.def) : null,
        excludeAfterOrderHours: updated.excludeAfterOrderHours,
        holdoutPercent: updated.holdoutPercent,
      },
      extra: { key: flow.key, ...(version !== null ? { version } : {}) },
    });
  });
  return { version };
}

/**
 * The priorities that order the flows by measured incremental revenue per recipient:
 * the conclusive flows swap their current priority values among themselves (the best
 * earner takes the highest), the others keep theirs. Null when nothing would change.
 */
export function priorityOrderByIncrement(rows: readonly FlowSettingsRow[]): Map<string, number> | null {
  const measured = rows.filter((r) => r.incrementPerEntry !== null);
  if (measured.length < 2) return null;
  const slots = measured.map((r) => r.priority).sort((a, b) => b - a);
  const byIncrement = [...measured].sort(
    (a, b) => b.incrementPerEntry!.estimate - a.incrementPerEntry!.estimate || a.key.localeCompare(b.key),
  );
  const out = new Map(byIncrement.map((r, i) => [r.id, slots[i]!]));
  return measured.every((r) => out.get(r.id) === r.priority) ? null : out;
}

/** One click: the flows ordered by incremental revenue (each change a new version), audited as one decision. */
export async function orderFlowsByIncrement(shop: Shop, locale: Locale, actor: string): Promise<{ changed: number }> {
  const rows = await loadFlowSettings(shop, locale);
  const order = priorityOrderByIncrement(rows);
  if (!order) return { changed: 0 };
  let changed = 0;
  const before: Record<string, number> = {};
  const after: Record<string, number> = {};
  for (const r of rows) {
    const priority = order.get(r.id);
    if (priority === undefined || priority === r.priority) continue;
    if ((await versionWith(shop.id, r.id, priority, "kept", actor)) === null) continue;
    before[r.key] = r.priority;
    after[r.key] = priority;
    changed++;
  }
  await db().auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: "settings.flows_ordered_by_increment",
      subjectType: "shop",
      subjectId: shop.id,
      details: {
        before,
        after,
        incrementPerEntry: Object.fromEntries(rows.filter((r) => r.incrementPerEntry).map((r) => [r.key, r.incrementPerEntry!.estimate])),
      },
      at: now(),
    },
  });
  return { changed };
}
