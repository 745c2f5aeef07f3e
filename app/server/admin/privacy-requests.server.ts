import type { Shop } from "@prisma/client";
import { db } from "../db/client.server";
import { DATA_REQUEST_ACTION, dataRequestDetails, ERASED_ACTION, exportCustomerData } from "../compliance/data-export.server";
import { now } from "../clock.server";

const DAY = 86_400_000;
/** Shopify asks the merchant to answer a data request within 30 days. */
const ANSWER_WITHIN_DAYS = 30;

export type PrivacyRequest =
  | { kind: "data_request"; id: string; at: string; answerBy: string; requestId: string | null; profiles: number }
  | { kind: "erasure"; id: string; at: string };

/** The privacy page's list: Shopify's data requests and erasures for this shop, newest first. */
export async function loadPrivacyRequests(shop: Shop): Promise<PrivacyRequest[]> {
  const rows = await db().auditLog.findMany({
    where: { shopId: shop.id, action: { in: [DATA_REQUEST_ACTION, ERASED_ACTION] } },
    orderBy: { at: "desc" },
    take: 100,
  });
  return rows.map((r) => {
    const id = r.id.toString();
    if (r.action === ERASED_ACTION) return { kind: "erasure", id, at: r.at.toISOString() };
    const d = dataRequestDetails(r.details);
    return {
      kind: "data_request",
      id,
      at: r.at.toISOString(),
      answerBy: new Date(r.at.getTime() + ANSWER_WITHIN_DAYS * DAY).toISOString(),
      requestId: d.dataRequestId === null ? null : String(d.dataRequestId),
      profiles: d.profiles.length,
    };
  });
}

/** The export for one of this shop's data requests; null when the id is not one. */
export async function dataRequestExport(shop: Shop, auditId: string): Promise<{ filename: string; body: Record<string, unknown> } | null> {
  if (!/^\d{1,18}$/.test(auditId)) return null;
  const row = await db().auditLog.findFirst({ where: { id: BigInt(auditId), shopId: shop.id, action: DATA_REQUEST_ACTION } });
  if (!row) return null;
  const d = dataRequestDetails(row.details);
  const body = await exportCustomerData(shop, d.profiles, now());
  return {
    filename: `customer-data-${d.dataRequestId ?? auditId}.json`,
    body: { request: { id: d.dataRequestId, receivedAt: row.at.toISOString() }, ...body },
  };
}
