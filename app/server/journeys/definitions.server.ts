import { parseFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { entryArm } from "~/domain/rollout";
import type { RawQuery } from "../db/client.server";
import { loadActiveFlowRows, loadFlowRows, loadFlowVersionDefinitions, type FlowRow } from "../db/sql/flows.server";

// FlowVersion rows never change (editing a flow appends a version), so a parsed
// definition can be cached for the life of the process.
const g = globalThis as unknown as { __flowmateDefinitions?: Map<string, FlowDefinition> };
const cache = (g.__flowmateDefinitions ??= new Map());

export async function loadDefinitions(q: RawQuery, versionIds: string[]): Promise<Map<string, FlowDefinition>> {
  const missing = [...new Set(versionIds)].filter((id) => !cache.has(id));
  if (missing.length) {
    const rows = await loadFlowVersionDefinitions(q, missing);
    for (const r of rows) cache.set(r.id, parseFlowDefinition(r.definition));
  }
  return new Map(versionIds.filter((id) => cache.has(id)).map((id) => [id, cache.get(id)!]));
}

export interface ActiveFlow {
  id: string;
  shopId: string;
  key: string;
  status: string;
  priority: number;
  rolloutPercent: number;
  holdoutPercent: number | null;
  versionId: string;
  definition: FlowDefinition;
  /** A staged rollout of this version: the previous version, which the others enter. */
  rolloutBase: { versionId: string; definition: FlowDefinition } | null;
  rolloutHalted: boolean;
}

/** The version a new entrant starts on, and the share shouldEnroll lets in at all. */
export interface EntryVersion {
  versionId: string;
  definition: FlowDefinition;
  percent: number;
}

/**
 * The version this customer would enter: during a staged rollout the new version for
 * the customers in the stage's share (none while halted) and the previous version for
 * everyone else, so nobody is left out. Without a previous version (a first switch-on
 * at 10 %) the customers outside the share are not enrolled, by shouldEnroll's gate.
 */
export function entryVersion(flow: ActiveFlow, customerId: string): EntryVersion {
  if (!flow.rolloutBase) return { versionId: flow.versionId, definition: flow.definition, percent: flow.rolloutPercent };
  return entryArm(customerId, flow.id, { percent: flow.rolloutPercent, halted: flow.rolloutHalted }) === "new"
    ? { versionId: flow.versionId, definition: flow.definition, percent: 100 }
    : { ...flow.rolloutBase, percent: 100 };
}

/** Flows switched on, per shop, with their active version's definition. */
export async function loadActiveFlows(q: RawQuery, shopIds: string[]): Promise<Map<string, ActiveFlow[]>> {
  const out = new Map<string, ActiveFlow[]>();
  if (shopIds.length === 0) return out;
  const rows = await loadActiveFlowRows(q, shopIds);
  const defs = await loadDefinitions(
    q,
    rows.flatMap((r) => (r.rolloutBaseVersionId ? [r.activeVersionId, r.rolloutBaseVersionId] : [r.activeVersionId])),
  );
  for (const { rolloutBaseVersionId: baseId, ...r } of rows) {
    const definition = defs.get(r.activeVersionId);
    if (!definition) continue;
    const baseDefinition = baseId ? defs.get(baseId) : undefined;
    const rolloutBase = baseId && baseDefinition ? { versionId: baseId, definition: baseDefinition } : null;
    const list = out.get(r.shopId) ?? [];
    list.push({ ...r, versionId: r.activeVersionId, definition, rolloutBase });
    out.set(r.shopId, list);
  }
  return out;
}

/** Flow rows by id (key, priority, status), for enrollments whose flow may be off now. */
export async function loadFlows(q: RawQuery, ids: string[]): Promise<Map<string, FlowRow>> {
  if (ids.length === 0) return new Map();
  return loadFlowRows(q, [...new Set(ids)]);
}
