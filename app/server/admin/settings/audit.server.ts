import type { Prisma } from "@prisma/client";
import { now } from "../../clock.server";

type Values = Record<string, unknown>;

/** The fields whose value differs, before and after (JSON-compared, so arrays and objects count by content). */
export function changedFields(before: Values, after: Values): { before: Values; after: Values } | null {
  const b: Values = {};
  const a: Values = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key] ?? null) === JSON.stringify(after[key] ?? null)) continue;
    b[key] = before[key] ?? null;
    a[key] = after[key] ?? null;
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

/** One audit row for a settings change, in the caller's transaction; nothing when nothing changed. */
export async function auditChange(
  tx: Prisma.TransactionClient,
  e: {
    shopId: string;
    actor: string;
    action: string;
    subjectType: string;
    subjectId: string;
    before: Values;
    after: Values;
    extra?: Values;
  },
): Promise<boolean> {
  const diff = changedFields(e.before, e.after);
  if (!diff) return false;
  await tx.auditLog.create({
    data: {
      shopId: e.shopId,
      actor: e.actor,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      details: { ...diff, ...e.extra } as Prisma.InputJsonValue,
      at: now(),
    },
  });
  return true;
}
