import type { VersionCounts } from "~/domain/rollout";
import type { RawQuery } from "./clients.server";

// What a staged rollout's go/no-go criteria read: per version, the entrants of one
// window and what their messages did, from the raw rows (never the rollups: those do
// not know the version).

interface CountsRow {
  versionId: string;
  entered: number;
  attempted: number;
  sent: number;
  failed: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  clicked: number;
}

/**
 * Per version: the flow's entrants in [from, to) outside the holdout, their messages
 * (settled as sent or failed) and the messages with a bounce, complaint, unsubscribe
 * or reliable click recorded before `until`. Scoped by shop.
 */
export async function rolloutVersionCounts(
  q: RawQuery,
  v: { shopId: string; flowId: string; versionIds: string[]; from: Date; to: Date; until: Date },
): Promise<Map<string, VersionCounts>> {
  const rows = await q<CountsRow>(
    `WITH e AS (
       SELECT id, "flowVersionId" FROM "Enrollment"
       WHERE "shopId" = $1 AND "flowId" = $2 AND "flowVersionId" = ANY($3::text[])
         AND "enteredAt" >= $4 AND "enteredAt" < $5 AND holdout = false
     ), m AS (
       SELECT m.id, e."flowVersionId", m.status FROM "Message" m JOIN e ON e.id = m."enrollmentId"
       WHERE m."shopId" = $1 AND m.status IN ('sent', 'failed')
     ), ev AS (
       SELECT me."messageId",
              bool_or(me.type = 'bounced') AS bounced,
              bool_or(me.type = 'complained') AS complained,
              bool_or(me.type = 'unsubscribed') AS unsubscribed,
              bool_or(me.type = 'clicked' AND me.reliable) AS clicked
       FROM "MessageEvent" me JOIN m ON m.id = me."messageId"
       WHERE me."shopId" = $1 AND me."occurredAt" < $6
       GROUP BY me."messageId"
     ), per AS (
       SELECT m."flowVersionId",
              count(*) AS attempted,
              count(*) FILTER (WHERE m.status = 'sent') AS sent,
              count(*) FILTER (WHERE m.status = 'failed') AS failed,
              count(*) FILTER (WHERE ev.bounced) AS bounced,
              count(*) FILTER (WHERE ev.complained) AS complained,
              count(*) FILTER (WHERE ev.unsubscribed) AS unsubscribed,
              count(*) FILTER (WHERE ev.clicked) AS clicked
       FROM m LEFT JOIN ev ON ev."messageId" = m.id
       GROUP BY m."flowVersionId"
     ), ent AS (
       SELECT "flowVersionId", count(*) AS entered FROM e GROUP BY "flowVersionId"
     )
     SELECT ent."flowVersionId" AS "versionId", ent.entered,
            coalesce(per.attempted, 0) AS attempted, coalesce(per.sent, 0) AS sent, coalesce(per.failed, 0) AS failed,
            coalesce(per.bounced, 0) AS bounced, coalesce(per.complained, 0) AS complained,
            coalesce(per.unsubscribed, 0) AS unsubscribed, coalesce(per.clicked, 0) AS clicked
     FROM ent LEFT JOIN per ON per."flowVersionId" = ent."flowVersionId"`,
    [v.shopId, v.flowId, v.versionIds, v.from, v.to, v.until],
  );
  return new Map(
    rows.map((r) => [
      r.versionId,
      {
        entered: Number(r.entered),
        attempted: Number(r.attempted),
        sent: Number(r.sent),
        failed: Number(r.failed),
        bounced: Number(r.bounced),
        complained: Number(r.complained),
        unsubscribed: Number(r.unsubscribed),
        clicked: Number(r.clicked),
      },
    ]),
  );
}

/** Flows with a staged rollout that is running (not halted), for the go/no-go check. */
export function runningRollouts(q: RawQuery): Promise<{ id: string; shopId: string }[]> {
  return q<{ id: string; shopId: string }>(
    `SELECT id, "shopId" FROM "Flow" WHERE "rolloutBaseVersionId" IS NOT NULL AND "rolloutHaltedAt" IS NULL ORDER BY id`,
  );
}
