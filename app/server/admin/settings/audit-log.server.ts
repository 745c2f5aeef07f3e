// The audit log page: every AuditLog row of the shop, newest first, a page at a time.
import { CATALOGUE, isCatalogueKey } from "~/domain/flows";
import type { Locale } from "~/i18n";
import { db } from "../../db/client.server";

export const AUDIT_PAGE_SIZE = 50;

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  subjectType: string | null;
  /** What the subject is called (a flow's name), when it can be told. */
  subject: string | null;
  details: Record<string, unknown> | null;
}

export async function loadAuditPage(shopId: string, page: number, locale: Locale) {
  const total = await db().auditLog.count({ where: { shopId } });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const rows = await db().auditLog.findMany({
    where: { shopId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: (current - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
  });
  const flowIds = [...new Set(rows.filter((r) => r.subjectType === "flow" && r.subjectId).map((r) => r.subjectId!))];
  const flows = await db().flow.findMany({ where: { shopId, id: { in: flowIds } }, select: { id: true, key: true, name: true } });
  const flowName = new Map(flows.map((f) => [f.id, isCatalogueKey(f.key) ? CATALOGUE[f.key].meta.name[locale] : f.name]));
  const entries: AuditEntry[] = rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    subjectType: r.subjectType,
    subject: r.subjectType === "flow" && r.subjectId ? (flowName.get(r.subjectId) ?? null) : null,
    details: r.details && typeof r.details === "object" && !Array.isArray(r.details) ? (r.details as Record<string, unknown>) : null,
  }));
  return { entries, page: current, pages, total };
}
