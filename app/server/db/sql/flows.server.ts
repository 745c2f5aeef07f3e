import type { RawQuery } from "./clients.server";

// Flow and FlowVersion rows as the journeys read them (the admin writes them through Prisma).

/** The stored definitions of these versions, unparsed. */
export function loadFlowVersionDefinitions(q: RawQuery, ids: string[]): Promise<{ id: string; definition: unknown }[]> {
  return q<{ id: string; definition: unknown }>(`SELECT id, definition FROM "FlowVersion" WHERE id = ANY($1::text[])`, [ids]);
}

export interface ActiveFlowRow {
  id: string;
  shopId: string;
  key: string;
  status: string;
  priority: number;
  rolloutPercent: number;
  /** Null: the shop's default (Shop.holdoutPercent). */
  holdoutPercent: number | null;
  activeVersionId: string;
  /** Staged rollout: the previous version the others enter (null: none). */
  rolloutBaseVersionId: string | null;
  rolloutHalted: boolean;
}

/** The flows switched on in these shops that have an active version. */
export async function loadActiveFlowRows(q: RawQuery, shopIds: string[]): Promise<ActiveFlowRow[]> {
  const rows = await q<ActiveFlowRow>(
    `SELECT id, "shopId", key, status, priority, "rolloutPercent", "holdoutPercent", "activeVersionId",
            "rolloutBaseVersionId", "rolloutHaltedAt" IS NOT NULL AS "rolloutHalted" FROM "Flow"
     WHERE "shopId" = ANY($1::text[]) AND status = 'on' AND "activeVersionId" IS NOT NULL`,
    [shopIds],
  );
  return rows.map((r) => ({
    ...r,
    priority: Number(r.priority),
    rolloutPercent: Number(r.rolloutPercent),
    holdoutPercent: r.holdoutPercent === null ? null : Number(r.holdoutPercent),
  }));
}

export interface FlowRow {
  id: string;
  key: string;
  priority: number;
  status: string;
  /** The flow's exclusion rule: no marketing within this many hours of an order (null: none). */
  excludeAfterOrderHours: number | null;
}

export async function loadFlowRows(q: RawQuery, ids: string[]): Promise<Map<string, FlowRow>> {
  const rows = await q<FlowRow>(`SELECT id, key, priority, status, "excludeAfterOrderHours" FROM "Flow" WHERE id = ANY($1::text[])`, [ids]);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        ...r,
        priority: Number(r.priority),
        excludeAfterOrderHours: r.excludeAfterOrderHours === null ? null : Number(r.excludeAfterOrderHours),
      },
    ]),
  );
}

/** Installed shops with a switched-on flow whose active version starts on time (inactivity or a date). */
export async function shopsWithTimeTriggers(q: RawQuery): Promise<string[]> {
  const rows = await q<{ id: string }>(
    `SELECT DISTINCT f."shopId" AS id FROM "Flow" f JOIN "FlowVersion" v ON v.id = f."activeVersionId"
     JOIN "Shop" s ON s.id = f."shopId"
     WHERE f.status = 'on' AND s."installState" = 'installed' AND v.definition->'trigger'->>'type' IN ('inactivity', 'date')`,
  );
  return rows.map((r) => r.id);
}

export interface LockedFlow {
  activeVersionId: string | null;
  rolloutBaseVersionId: string | null;
  rolloutPercent: number;
  rolloutHaltedAt: Date | null;
  /** The stored stage list (Flow.rolloutStages), unparsed. */
  rolloutStages: unknown;
}

/**
 * Locks the flow's row for the caller's transaction: versions of one flow are appended
 * one at a time. NO KEY UPDATE, so rows that merely reference the flow (enrollments,
 * versions) are still inserted meanwhile.
 */
export async function lockFlowRow(q: RawQuery, shopId: string, flowId: string): Promise<LockedFlow | null> {
  const rows = await q<LockedFlow>(
    `SELECT "activeVersionId", "rolloutBaseVersionId", "rolloutPercent", "rolloutHaltedAt", "rolloutStages" FROM "Flow"
     WHERE id = $1 AND "shopId" = $2 FOR NO KEY UPDATE`,
    [flowId, shopId],
  );
  return rows[0] ?? null;
}
