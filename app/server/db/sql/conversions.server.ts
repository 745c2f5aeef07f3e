import crypto from "node:crypto";
import type { AttributionSettings, CandidateMessage, CandidateTouch, ConversionKind } from "~/domain/measurement/attribution";
import type { RawQuery } from "./clients.server";

// Attribution's reads and writes (app/server/measurement/attribution.server.ts): the
// order row lock, the candidate touches of one order by bounded index reads, the single
// Conversion row of an order. Instants cross as ISO text cast to `timestamp` (the
// columns' type: the literal's zone is ignored, so the session's TimeZone never shifts
// them) and come back as epoch milliseconds.

const ms = (v: unknown) => new Date(Number(v));
const epochMs = (col: string) => `(extract(epoch FROM ${col}) * 1000)::float8`;

// The first key of the two-key advisory locks attribution takes, apart from the entry
// decisions' (0x656e7472) and any other user of advisory locks.
const ATTRIBUTION_CUSTOMER = 0x61747472; // "attr"
const ATTRIBUTION_SHOP = 0x61747368; // "atsh"

const keyOf = (s: string) => crypto.createHash("sha256").update(s).digest().readInt32BE(0);

/**
 * A two-key transaction-scoped advisory lock, shared or exclusive. Selected through a
 * subquery: the lock functions return void, which Prisma's raw queries cannot read.
 */
export async function advisoryXactLock(q: RawQuery, space: number, key: string, mode: "shared" | "exclusive" = "exclusive"): Promise<void> {
  const fn = mode === "shared" ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock";
  await q(`SELECT 1 AS locked FROM (SELECT ${fn}($1::int, $2::int)) AS l`, [space, keyOf(key)]);
}

/**
 * Serializes, per customer, recording a touch (click, open) with attributing the
 * customer's orders: whichever of the two commits second sees the other's row. Held to
 * the end of the transaction; a hash collision only makes two customers share a lock.
 */
export async function lockCustomerTouches(q: RawQuery, shopId: string, customerId: string): Promise<void> {
  await advisoryXactLock(q, ATTRIBUTION_CUSTOMER, `${shopId}:${customerId}`);
}

/**
 * The shop's attribution in shared mode (one order's attribution) or exclusive mode (the
 * whole shop recomputed by reattributeShop): a recomputation never interleaves with a
 * single order's, which would move the rollups twice.
 */
export async function lockShopAttribution(q: RawQuery, shopId: string, mode: "shared" | "exclusive"): Promise<void> {
  await advisoryXactLock(q, ATTRIBUTION_SHOP, shopId, mode);
}

export interface OrderForAttribution {
  id: string;
  customerId: string | null;
  processedAt: Date;
  subtotalPrice: string | null;
  totalPrice: string;
  refundedAmount: string;
  cancelledAt: Date | null;
  timezone: string;
  settings: AttributionSettings;
}

/**
 * Locks the order row (FOR NO KEY UPDATE: attributions of one order run one after the
 * other, while foreign-key checks of rows pointing at the order, which take key-share
 * locks, do not wait) and reads what attribution needs of it and its shop.
 */
export async function lockOrderForAttribution(q: RawQuery, shopId: string, orderId: string): Promise<OrderForAttribution | null> {
  const [r] = await q<Record<string, unknown>>(
    `SELECT o.id, o."customerId", ${epochMs(`o."processedAt"`)} AS "processedAt", o."subtotalPrice"::text AS "subtotalPrice",
            o."totalPrice"::text AS "totalPrice", o."refundedAmount"::text AS "refundedAmount",
            ${epochMs(`o."cancelledAt"`)} AS "cancelledAt", s.timezone,
            s."attributionEmailDays", s."attributionSmsDays", s."attributeOpens"
       FROM "Order" o JOIN "Shop" s ON s.id = o."shopId"
      WHERE o."shopId" = $1 AND o.id = $2
        FOR NO KEY UPDATE OF o`,
    [shopId, orderId],
  );
  if (!r) return null;
  return {
    id: r.id as string,
    customerId: (r.customerId as string | null) ?? null,
    processedAt: ms(r.processedAt),
    subtotalPrice: (r.subtotalPrice as string | null) ?? null,
    totalPrice: r.totalPrice as string,
    refundedAmount: r.refundedAmount as string,
    cancelledAt: r.cancelledAt == null ? null : ms(r.cancelledAt),
    timezone: r.timezone as string,
    settings: {
      attributionEmailDays: Number(r.attributionEmailDays),
      attributionSmsDays: Number(r.attributionSmsDays),
      attributeOpens: Boolean(r.attributeOpens),
    },
  };
}

/**
 * The customer's marketing messages sent in [from, to] (index shopId, customerId,
 * channel, sentAt: one range per channel) and their reliable clicks (and opens, when
 * asked) in [touchFrom, to] (index shopId, messageId, type). Bounded by the customer's
 * sends in the lookback, which frequency caps bound.
 */
export async function candidateTouches(
  q: RawQuery,
  p: { shopId: string; customerId: string; sentFrom: Date; touchFrom: Date; to: Date; opens: boolean },
): Promise<{ messages: CandidateMessage[]; touches: CandidateTouch[] }> {
  const rows = await q<Record<string, unknown>>(
    `SELECT m.id, m."flowId", m."stepId", m.variant, m.channel, m.purpose, ${epochMs(`m."sentAt"`)} AS "sentAt"
       FROM "Message" m
      WHERE m."shopId" = $1 AND m."customerId" = $2 AND m.channel IN ('email', 'sms')
        AND m."sentAt" >= $3::timestamp AND m."sentAt" <= $4::timestamp AND m.purpose <> 'transactional'`,
    [p.shopId, p.customerId, p.sentFrom.toISOString(), p.to.toISOString()],
  );
  const messages: CandidateMessage[] = rows.map((r) => ({
    id: r.id as string,
    flowId: (r.flowId as string | null) ?? null,
    stepId: (r.stepId as string | null) ?? null,
    variant: (r.variant as string | null) ?? null,
    channel: r.channel as string,
    purpose: r.purpose as string,
    sentAt: ms(r.sentAt),
  }));
  if (messages.length === 0) return { messages, touches: [] };
  const events = await q<Record<string, unknown>>(
    `SELECT e."messageId", e.type, e.reliable, ${epochMs(`e."occurredAt"`)} AS at
       FROM "MessageEvent" e
      WHERE e."shopId" = $1 AND e."messageId" = ANY($2::text[]) AND e.type = ANY($3::text[]) AND e.reliable
        AND e."occurredAt" >= $4::timestamp AND e."occurredAt" <= $5::timestamp`,
    [p.shopId, messages.map((m) => m.id), p.opens ? ["clicked", "opened"] : ["clicked"], p.touchFrom.toISOString(), p.to.toISOString()],
  );
  const touches: CandidateTouch[] = events.map((e) => ({
    messageId: e.messageId as string,
    type: e.type as "clicked" | "opened",
    reliable: Boolean(e.reliable),
    at: ms(e.at),
  }));
  return { messages, touches };
}

export interface ConversionRow {
  kind: ConversionKind;
  messageId: string | null;
  flowId: string | null;
  stepId: string | null;
  variant: string | null;
  channel: string | null;
  touchAt: Date;
  /** Net revenue, as DECIMAL text. */
  revenue: string;
  at: Date;
}

export async function conversionOf(q: RawQuery, shopId: string, orderId: string): Promise<ConversionRow | null> {
  const [r] = await q<Record<string, unknown>>(
    `SELECT kind, "messageId", "flowId", "stepId", variant, channel, ${epochMs(`"touchAt"`)} AS "touchAt",
            revenue::text AS revenue, ${epochMs(`"at"`)} AS "at"
       FROM "Conversion" WHERE "shopId" = $1 AND "orderId" = $2`,
    [shopId, orderId],
  );
  if (!r) return null;
  return {
    kind: r.kind as ConversionKind,
    messageId: (r.messageId as string | null) ?? null,
    flowId: (r.flowId as string | null) ?? null,
    stepId: (r.stepId as string | null) ?? null,
    variant: (r.variant as string | null) ?? null,
    channel: (r.channel as string | null) ?? null,
    touchAt: ms(r.touchAt),
    revenue: r.revenue as string,
    at: ms(r.at),
  };
}

/** Writes the order's one Conversion row (insert or replace). */
export async function putConversion(q: RawQuery, shopId: string, orderId: string, c: ConversionRow): Promise<void> {
  await q(
    `INSERT INTO "Conversion" ("shopId", "orderId", "messageId", "flowId", "stepId", variant, channel, kind, "touchAt", revenue, "at")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamp, $10::numeric, $11::timestamp)
     ON CONFLICT ("shopId", "orderId") DO UPDATE SET
       "messageId" = EXCLUDED."messageId", "flowId" = EXCLUDED."flowId", "stepId" = EXCLUDED."stepId", variant = EXCLUDED.variant,
       channel = EXCLUDED.channel, kind = EXCLUDED.kind, "touchAt" = EXCLUDED."touchAt", revenue = EXCLUDED.revenue, "at" = EXCLUDED."at"`,
    [
      shopId,
      orderId,
      c.messageId,
      c.flowId,
      c.stepId,
      c.variant,
      c.channel,
      c.kind,
      c.touchAt.toISOString(),
      c.revenue,
      c.at.toISOString(),
    ],
  );
}

export async function deleteConversion(q: RawQuery, shopId: string, orderId: string): Promise<void> {
  await q(`DELETE FROM "Conversion" WHERE "shopId" = $1 AND "orderId" = $2`, [shopId, orderId]);
}

/** Ids of the customer's orders processed in [from, to] (index shopId, customerId, processedAt). */
export async function customerOrdersBetween(q: RawQuery, shopId: string, customerId: string, from: Date, to: Date): Promise<string[]> {
  const rows = await q<{ id: string }>(
    `SELECT id FROM "Order"
      WHERE "shopId" = $1 AND "customerId" = $2 AND "processedAt" >= $3::timestamp AND "processedAt" <= $4::timestamp
      ORDER BY "processedAt", id`,
    [shopId, customerId, from.toISOString(), to.toISOString()],
  );
  return rows.map((r) => r.id);
}
