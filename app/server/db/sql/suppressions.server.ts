import crypto from "node:crypto";
import type { RawQuery } from "./clients.server";

/** Suppresses an address on a channel; an existing suppression is kept as it is. */
export async function insertSuppression(
  q: RawQuery,
  s: { shopId: string; channel: string; address: string; reason: string },
  at: Date,
): Promise<void> {
  await q(
    `INSERT INTO "Suppression" (id, "shopId", channel, address, reason, "createdAt") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [crypto.randomUUID(), s.shopId, s.channel, s.address, s.reason, at.toISOString()],
  );
}
