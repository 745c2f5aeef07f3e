import type { RawQuery } from "./clients.server";

// Message events as measurement reads them when a click or open is recorded.

/**
 * Locks the message row (FOR NO KEY UPDATE: concurrent clicks of one message queue here,
 * while rows pointing at the message, which take key-share locks, still insert) and reads
 * where its figures go. Null when the message is not the shop's.
 */
export async function lockMessageForTouch(
  q: RawQuery,
  shopId: string,
  messageId: string,
): Promise<{ flowId: string | null; stepId: string | null; variant: string | null; channel: string } | null> {
  const [r] = await q<{ flowId: string | null; stepId: string | null; variant: string | null; channel: string }>(
    `SELECT "flowId", "stepId", variant, channel FROM "Message" WHERE "shopId" = $1 AND id = $2 FOR NO KEY UPDATE`,
    [shopId, messageId],
  );
  return r ?? null;
}

/** Whether the message already has a reliable click (index shopId, messageId, type). */
export async function hasReliableClick(q: RawQuery, shopId: string, messageId: string): Promise<boolean> {
  const rows = await q(`SELECT 1 FROM "MessageEvent" WHERE "shopId" = $1 AND "messageId" = $2 AND type = 'clicked' AND reliable LIMIT 1`, [
    shopId,
    messageId,
  ]);
  return rows.length > 0;
}
