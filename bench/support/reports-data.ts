// The reports benchmark's shop: customers, flows, enrollments (treated and held out),
// messages, clicks, opens, bounces, orders (some following a click), refunds, entry
// outcomes and decisions, generated set-based in PostgreSQL (INSERT ... SELECT over
// generate_series). Every value is a deterministic function of a row number and a seed
// (bench_gen.u: a hash, not random()), so the same scale gives the same rows every run.
//
// The tables and indexes are the product's (created by the app's migrator). For loading
// speed the big tables' keys, indexes and foreign keys are dropped first and recreated
// afterwards from their own definitions (pg_get_constraintdef / pg_indexes), exactly as
// the migrations made them.
import type pg from "pg";
import { buildCatalogueFlow, type CatalogueKey } from "../../app/domain/flows";
import { parseFlowDefinition } from "../../app/domain/journey";
import { note } from "./report";

export const DAY_MS = 86_400_000;
/** The bench's "now": fixed, so a scale always yields the same rows and the same report. */
export const NOW = new Date(Date.UTC(2026, 11, 1, 12, 0, 0));
export const HISTORY_DAYS = 180;
export const SHOP_TIMEZONE = "Europe/Warsaw";
/** Share of all messages that are transactional (order confirmations): they never attribute. */
const TRANSACTIONAL_SHARE = 0.05;

export interface Scale {
  customers: number;
  orders: number;
  messages: number;
}

export const FULL_SCALE: Scale = { customers: 1_000_000, orders: 5_000_000, messages: 20_000_000 };

export function scaled(factor: number): Scale {
  return {
    customers: Math.max(100, Math.round(FULL_SCALE.customers * factor)),
    orders: Math.max(500, Math.round(FULL_SCALE.orders * factor)),
    messages: Math.max(2_000, Math.round(FULL_SCALE.messages * factor)),
  };
}

interface StepPlan {
  stepId: string;
  channel: "email" | "sms";
  /** Hours after entry the send is planned. */
  delayHours: number;
  variants?: string[];
}

interface FlowPlan {
  key: CatalogueKey;
  settings?: Record<string, unknown>;
  /** Share of the flow messages. */
  share: number;
  holdoutPercent: number | null;
  measurementDays: number;
  steps: StepPlan[];
}

// Five catalogue flows as a busy shop runs them; two A/B tests and one SMS step, so the
// report has variants and channels to break down.
const FLOWS: FlowPlan[] = [
  {
    key: "welcome",
    share: 0.25,
    holdoutPercent: null,
    measurementDays: 7,
    steps: [
      { stepId: "send_1", channel: "email", delayHours: 0, variants: ["a", "b"] },
      { stepId: "send_2", channel: "email", delayHours: 48 },
      { stepId: "send_3", channel: "email", delayHours: 120 },
    ],
  },
  {
    key: "abandoned_checkout",
    settings: { sms: { enabled: true } },
    share: 0.32,
    holdoutPercent: 20,
    measurementDays: 7,
    steps: [
      { stepId: "send_1", channel: "email", delayHours: 1, variants: ["a", "b"] },
      { stepId: "send_sms", channel: "sms", delayHours: 4 },
      { stepId: "send_2", channel: "email", delayHours: 24 },
      { stepId: "send_3", channel: "email", delayHours: 72 },
    ],
  },
  {
    key: "browse_abandonment",
    share: 0.08,
    holdoutPercent: null,
    measurementDays: 7,
    steps: [{ stepId: "send_1", channel: "email", delayHours: 2 }],
  },
  {
    key: "post_purchase",
    share: 0.2,
    holdoutPercent: null,
    measurementDays: 14,
    steps: [
      { stepId: "thanks_first", channel: "email", delayHours: 24 },
      { stepId: "review", channel: "email", delayHours: 240 },
      { stepId: "cross_sell", channel: "email", delayHours: 480, variants: ["a", "b", "c"] },
    ],
  },
  {
    key: "win_back",
    share: 0.15,
    holdoutPercent: null,
    measurementDays: 14,
    steps: [
      { stepId: "send_1", channel: "email", delayHours: 0 },
      { stepId: "send_2", channel: "email", delayHours: 168 },
    ],
  },
];

export interface GeneratedFlow {
  id: string;
  key: string;
  versionId: string;
  holdoutPercent: number;
  measurementDays: number;
  treated: number;
  heldOut: number;
}

export interface GeneratedShop {
  shopId: string;
  flows: GeneratedFlow[];
  counts: Record<string, number>;
  seconds: number;
}

type Sql = (text: string, params?: unknown[]) => Promise<pg.QueryResult>;

const iso = (d: Date) => d.toISOString();

/** The catalogue flow with the plan's channels and A/B variants written into its send steps, validated. */
function definitionOf(plan: FlowPlan): unknown {
  const def = structuredClone(buildCatalogueFlow(plan.key, plan.settings ?? {})) as unknown as { steps: Record<string, unknown>[] };
  for (const step of plan.steps) {
    const s = def.steps.find((x) => x.id === step.stepId);
    if (!s || s.type !== "send") throw new Error(`${plan.key} has no send step ${step.stepId}`);
    s.channel = step.channel;
    if (step.variants) s.variants = step.variants.map((key) => ({ key, weight: 1, templateKey: `${String(s.templateKey)}_${key}` }));
  }
  return parseFlowDefinition(def);
}

async function timed<T>(label: string, fn: () => Promise<T>, counts?: Record<string, number>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  const rows = (result as { rowCount?: number | null } | undefined)?.rowCount;
  if (counts && typeof rows === "number") counts[label] = (counts[label] ?? 0) + rows;
  note(
    `  ${label}: ${typeof rows === "number" ? `${rows.toLocaleString("en-US")} rows, ` : ""}${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return result;
}

// Tables loaded here: their keys, indexes and foreign keys are set aside while loading.
const LOADED_TABLES = ["Customer", "Enrollment", "Message", "MessageEvent", "Order", "OrderRefund", "ExposureConversion", "Decision"];

interface SchemaObjects {
  primaryKeys: string[];
  foreignKeys: string[];
  indexes: string[];
  drops: string[];
}

/** The product's keys, indexes and foreign keys on the loaded tables, as SQL that recreates them. */
async function schemaObjects(sql: Sql): Promise<SchemaObjects> {
  const constraints = await sql(
    `SELECT c.conname, c.contype, c.conrelid::regclass::text AS tbl, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
      WHERE c.contype IN ('p', 'u', 'f')
        AND (c.conrelid = ANY($1::regclass[]) OR (c.contype = 'f' AND c.confrelid = ANY($1::regclass[])))
      ORDER BY c.conname`,
    [LOADED_TABLES.map((t) => `"${t}"`)],
  );
  const indexes = await sql(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
      ORDER BY i.indexname`,
    [LOADED_TABLES],
  );
  const rows = constraints.rows as { conname: string; contype: string; tbl: string; def: string }[];
  const add = (r: (typeof rows)[number]) => `ALTER TABLE ${r.tbl} ADD CONSTRAINT "${r.conname}" ${r.def}`;
  const fks = rows.filter((r) => r.contype === "f");
  const keys = rows.filter((r) => r.contype !== "f");
  return {
    primaryKeys: keys.map(add),
    foreignKeys: fks.map(add),
    indexes: (indexes.rows as { indexdef: string }[]).map((r) => r.indexdef),
    drops: [
      ...fks.map((r) => `ALTER TABLE ${r.tbl} DROP CONSTRAINT "${r.conname}"`),
      ...keys.map((r) => `ALTER TABLE ${r.tbl} DROP CONSTRAINT "${r.conname}"`),
      ...(indexes.rows as { indexname: string }[]).map((r) => `DROP INDEX "${r.indexname}"`),
    ],
  };
}

const HELPERS = `
CREATE SCHEMA bench_gen;
-- A uniform number in [0, 1) from a row number and a seed.
CREATE FUNCTION bench_gen.u(x bigint, seed bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (hashint8extended(x, seed) & 2147483647)::float8 / 2147483648.0 $$;
CREATE FUNCTION bench_gen.id(prefix text, n bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT prefix || lpad(n::text, 25 - length(prefix), '0') $$;
CREATE FUNCTION bench_gen.num(id text) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT substr(id, 4)::bigint $$;
`;

/**
 * Creates the shop and everything in it. `sql` runs on one dedicated connection (its
 * session settings speed the load up; the measured parts use other connections).
 */
export async function generateShop(sql: Sql, scale: Scale): Promise<GeneratedShop> {
  const started = performance.now();
  const counts: Record<string, number> = {};
  const now = NOW;
  const t0 = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  await sql(`SET maintenance_work_mem = '1GB'`);
  await sql(`SET work_mem = '256MB'`);
  await sql(`SET synchronous_commit = off`);
  await sql(HELPERS);

  const shop = await sql(
    `INSERT INTO "Shop" (id, domain, name, timezone, currency, locale, "holdoutPercent", "attributionEmailDays", "attributionSmsDays", "updatedAt")
     VALUES ('shop_bench_reports', 'bench-reports.myshopify.com', 'Bench reports', $1, 'PLN', 'en', 10, 5, 3, $2::timestamp) RETURNING id`,
    [SHOP_TIMEZONE, iso(now)],
  );
  const shopId = (shop.rows[0] as { id: string }).id;

  // Flows: per flow, how many treated and held-out entries, and where their numbers start.
  const flowMessages = Math.floor(scale.messages * (1 - TRANSACTIONAL_SHARE));
  const flows: GeneratedFlow[] = [];
  const flowRows: unknown[][] = [];
  const stepRows: unknown[][] = [];
  let enrollmentFrom = 1;
  let messageFrom = 1;
  for (const [i, plan] of FLOWS.entries()) {
    const k = plan.steps.length;
    const treated = Math.floor((plan.share * flowMessages) / k);
    const pct = plan.holdoutPercent ?? 10;
    const heldOut = Math.round((treated * pct) / (100 - pct));
    const id = `flow_${plan.key}`;
    const versionId = `${id}_v1`;
    await sql(
      `INSERT INTO "Flow" (id, "shopId", key, name, status, "holdoutPercent", "measurementDays", "activeVersionId", "createdAt", "updatedAt")
       VALUES ($1, $2, $3, $4, 'on', $5, $6, $7, $8::timestamp, $8::timestamp)`,
      [id, shopId, plan.key, plan.key.replace(/_/g, " "), plan.holdoutPercent, plan.measurementDays, versionId, iso(t0)],
    );
    await sql(
      `INSERT INTO "FlowVersion" (id, "shopId", "flowId", version, definition, "createdAt") VALUES ($1, $2, $3, 1, $4::jsonb, $5::timestamp)`,
      [versionId, shopId, id, JSON.stringify(definitionOf(plan)), iso(t0)],
    );
    flows.push({ id, key: plan.key, versionId, holdoutPercent: pct, measurementDays: plan.measurementDays, treated, heldOut });
    const lastDelay = Math.max(...plan.steps.map((s) => s.delayHours));
    flowRows.push([i, id, versionId, plan.key, plan.measurementDays, k, treated, heldOut, enrollmentFrom, messageFrom, lastDelay]);
    for (const [slot, s] of plan.steps.entries()) {
      stepRows.push([i, slot, s.stepId, s.channel, `${plan.key}_${s.stepId}`, s.variants ?? null, s.delayHours]);
    }
    enrollmentFrom += treated + heldOut;
    messageFrom += treated * k;
  }
  const lastFlowMessage = messageFrom - 1;
  await sql(`CREATE TABLE bench_gen.flow (f int, flow_id text, version_id text, key text, measurement_days int, k int,
               treated bigint, held_out bigint, e_from bigint, g_from bigint, last_delay_hours int)`);
  await sql(
    `CREATE TABLE bench_gen.step (f int, slot int, step_id text, channel text, template_key text, variants text[], delay_hours int)`,
  );
  for (const r of flowRows) await sql(`INSERT INTO bench_gen.flow VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, r);
  for (const r of stepRows) await sql(`INSERT INTO bench_gen.step VALUES ($1, $2, $3, $4, $5, $6, $7)`, r);

  const objects = await schemaObjects(sql);
  note(
    `generating: ${scale.customers.toLocaleString("en-US")} customers, ${scale.orders.toLocaleString("en-US")} orders, ${scale.messages.toLocaleString("en-US")} messages`,
  );
  for (const d of objects.drops) await sql(d);

  const p = { shopId, now: iso(now), t0: iso(t0) };
  const C = scale.customers;

  await timed(
    "Customer",
    () =>
      sql(
        `INSERT INTO "Customer" (id, "shopId", "shopifyCustomerId", email, phone, "firstName", "lastName", locale, "countryCode",
                                 "emailConsentState", "emailOptInLevel", "smsConsentState", "createdAt", "updatedAt")
         SELECT bench_gen.id('cus', c), $1, 7000000000 + c, 'customer' || c || '@example.com',
                CASE WHEN bench_gen.u(c, 1) < 0.45 THEN '+4850' || lpad(c::text, 7, '0') END,
                (ARRAY['Anna', 'Jan', 'Maria', 'Piotr', 'Olivia', 'Liam'])[1 + c % 6], 'Nowak',
                CASE WHEN bench_gen.u(c, 2) < 0.6 THEN 'pl' ELSE 'en' END, CASE WHEN bench_gen.u(c, 2) < 0.6 THEN 'PL' ELSE 'DE' END,
                CASE WHEN bench_gen.u(c, 3) < 0.7 THEN 'subscribed' ELSE 'not_subscribed' END, 'single_opt_in',
                CASE WHEN bench_gen.u(c, 1) < 0.45 AND bench_gen.u(c, 4) < 0.6 THEN 'subscribed' ELSE 'not_subscribed' END,
                $2::timestamp - bench_gen.u(c, 5) * interval '365 days', $2::timestamp
           FROM generate_series(1, $3::bigint) c`,
        [shopId, p.t0, C],
      ),
    counts,
  );

  // Entries: numbers e_from .. e_from + treated - 1 are treated, the rest held out.
  // Entry times spread over the history; a customer drawn per entry.
  const enteredAt = `$2::timestamp + bench_gen.u(e, 2) * interval '${HISTORY_DAYS} days'`;
  const lastPlanned = `f.last_delay_hours * interval '1 hour'`;
  await timed(
    "Enrollment",
    () =>
      sql(
        `INSERT INTO "Enrollment" (id, "shopId", "flowId", "flowVersionId", "customerId", status, state, "contextKey", "nextWakeAt",
                                   holdout, "enteredAt", "finishedAt", "exitReason", "createdAt", "updatedAt")
         SELECT bench_gen.id('enr', e), $1, f.flow_id, f.version_id, bench_gen.id('cus', 1 + floor(bench_gen.u(e, 1) * $4)::bigint),
                CASE WHEN x.entered + ${lastPlanned} > $3::timestamp THEN 'active'
                     WHEN bench_gen.u(e, 52) < 0.12 THEN 'exited' ELSE 'completed' END,
                '{"cursor":null,"waits":{},"vars":{}}'::jsonb,
                CASE WHEN f.key IN ('abandoned_checkout', 'browse_abandonment') THEN 'ctx' || e END,
                CASE WHEN x.entered + ${lastPlanned} > $3::timestamp THEN x.entered + ${lastPlanned} END,
                e >= f.e_from + f.treated, x.entered,
                CASE WHEN x.entered + ${lastPlanned} <= $3::timestamp THEN x.entered + ${lastPlanned} END,
                CASE WHEN x.entered + ${lastPlanned} <= $3::timestamp AND bench_gen.u(e, 52) < 0.12
                     THEN (ARRAY['goal_reached', 'goal_reached', 'exit_condition', 'unsubscribed'])[1 + floor(bench_gen.u(e, 53) * 4)::int] END,
                x.entered, x.entered
           FROM bench_gen.flow f
          CROSS JOIN LATERAL generate_series(f.e_from, f.e_from + f.treated + f.held_out - 1) e
          CROSS JOIN LATERAL (SELECT ${enteredAt} AS entered) x`,
        [shopId, p.t0, p.now, C],
      ),
    counts,
  );

  // Flow messages: treated entry e's slot-th send is message g (planned at entry + the
  // step's delay + up to an hour of deferral); a send planned after "now" is still pending.
  await timed(
    "Message (flows)",
    () =>
      sql(
        `INSERT INTO "Message" (id, "shopId", "customerId", "enrollmentId", "flowId", "stepId", channel, purpose, "idempotencyKey", status,
                                "toAddress", "templateKey", locale, variant, subject, payload, "messageIdHeader", "providerId", attempts,
                                "nextAttemptAt", "sentAt", error, "createdAt", "updatedAt")
         SELECT bench_gen.id('msg', g), $1, x.customer, bench_gen.id('enr', x.e), f.flow_id, s.step_id, s.channel, 'marketing',
                bench_gen.id('enr', x.e) || ':' || s.step_id, x.status,
                CASE s.channel WHEN 'sms' THEN '+4850' || lpad(x.c::text, 7, '0') ELSE 'customer' || x.c || '@example.com' END,
                coalesce(s.template_key || '_' || x.variant, s.template_key), CASE WHEN bench_gen.u(x.c, 2) < 0.6 THEN 'pl' ELSE 'en' END,
                x.variant, CASE s.channel WHEN 'email' THEN 'Your cart is waiting, ' || (ARRAY['Anna', 'Jan', 'Maria'])[1 + x.c % 3] END,
                '{"shop":{"name":"Bench reports"},"customer":{"firstName":"Anna"},"lines":[{"title":"Mug","quantity":1,"price":"19.00"}]}'::jsonb,
                CASE WHEN s.channel = 'email' AND x.status <> 'pending' THEN '<' || bench_gen.id('msg', g) || '@mail.flowmate.app>' END,
                CASE WHEN x.status = 'sent' THEN 'prov-' || g END,
                CASE WHEN x.status = 'pending' THEN 0 ELSE 1 END, x.planned,
                CASE WHEN x.status = 'sent' THEN x.planned END,
                CASE WHEN x.status = 'failed' THEN '550 mailbox unavailable' END,
                x.entered, x.planned
           FROM bench_gen.flow f
          CROSS JOIN LATERAL generate_series(0, f.treated * f.k - 1) i
           JOIN bench_gen.step s ON s.f = f.f AND s.slot = i % f.k
          CROSS JOIN LATERAL (SELECT f.g_from + i AS g, f.e_from + i / f.k AS e) n
          CROSS JOIN LATERAL (SELECT n.e, 1 + floor(bench_gen.u(n.e, 1) * $4)::bigint AS c,
                                     $2::timestamp + bench_gen.u(n.e, 2) * interval '${HISTORY_DAYS} days' AS entered) en
          CROSS JOIN LATERAL (
            SELECT en.e, en.c, en.entered, bench_gen.id('cus', en.c) AS customer,
                   en.entered + s.delay_hours * interval '1 hour' + bench_gen.u(n.g, 6) * interval '1 hour' AS planned,
                   s.variants[1 + floor(bench_gen.u(en.e, 3 + s.slot) * coalesce(array_length(s.variants, 1), 1))::int] AS variant,
                   CASE WHEN en.entered + s.delay_hours * interval '1 hour' + bench_gen.u(n.g, 6) * interval '1 hour' > $3::timestamp THEN 'pending'
                        WHEN bench_gen.u(n.g, 5) < 0.015 THEN 'failed' WHEN bench_gen.u(n.g, 5) < 0.025 THEN 'suppressed' ELSE 'sent' END AS status
          ) x`,
        [shopId, p.t0, p.now, C],
      ),
    counts,
  );

  // Transactional messages (order confirmations): email, no flow, never attribute.
  await timed(
    "Message (transactional)",
    () =>
      sql(
        `INSERT INTO "Message" (id, "shopId", "customerId", channel, purpose, "idempotencyKey", status, "toAddress", "templateKey",
                                subject, "messageIdHeader", "providerId", attempts, "nextAttemptAt", "sentAt", "createdAt", "updatedAt")
         SELECT bench_gen.id('msg', g), $1, bench_gen.id('cus', x.c), 'email', 'transactional', 'tx:' || g, 'sent',
                'customer' || x.c || '@example.com', 'order_confirmation', 'Order confirmed', '<' || bench_gen.id('msg', g) || '@mail.flowmate.app>',
                'prov-' || g, 1, x.at, x.at, x.at, x.at
           FROM generate_series($3::bigint, $4::bigint) g
          CROSS JOIN LATERAL (SELECT 1 + floor(bench_gen.u(g, 1) * $5)::bigint AS c,
                                     $2::timestamp + bench_gen.u(g, 2) * interval '${HISTORY_DAYS} days' AS at) x`,
        [shopId, p.t0, lastFlowMessage + 1, scale.messages, C],
      ),
    counts,
  );

  // Engagement on sent messages (flows and transactional alike): 3% clicked (6% of first
  // clicks from scanners, so unreliable; a quarter clicked again later), a quarter of the
  // emails opened (40% machine opens), 0.4% of the emails bounced.
  await timed(
    "MessageEvent",
    () =>
      sql(
        `INSERT INTO "MessageEvent" ("shopId", "messageId", type, reliable, url, "occurredAt", "dedupeKey")
         SELECT $1, m.id, ev.type, ev.reliable, ev.url, ev.at, ev.dedupe
           FROM "Message" m
          CROSS JOIN LATERAL (SELECT bench_gen.num(m.id) AS g) n
          CROSS JOIN LATERAL (
            SELECT 'clicked' AS type, bench_gen.u(n.g, 12) >= 0.06 AS reliable, 'https://bench.example/products/p' || n.g % 500 AS url,
                   m."sentAt" + bench_gen.u(n.g, 11) ^ 3 * interval '3 days' AS at, m.id || ':l1' AS dedupe
             WHERE bench_gen.u(n.g, 10) < 0.03
            UNION ALL
            SELECT 'clicked', true, 'https://bench.example/collections/all',
                   m."sentAt" + bench_gen.u(n.g, 11) ^ 3 * interval '3 days' + bench_gen.u(n.g, 14) * interval '2 days', m.id || ':l2'
             WHERE bench_gen.u(n.g, 10) < 0.03 AND bench_gen.u(n.g, 13) < 0.25
            UNION ALL
            SELECT 'opened', bench_gen.u(n.g, 22) < 0.6, NULL, m."sentAt" + bench_gen.u(n.g, 21) ^ 4 * interval '2 days', NULL
             WHERE m.channel = 'email' AND bench_gen.u(n.g, 20) < 0.25
            UNION ALL
            SELECT 'bounced', true, NULL, m."sentAt" + interval '1 minute', NULL
             WHERE m.channel = 'email' AND bench_gen.u(n.g, 25) < 0.004
          ) ev
          WHERE m.status = 'sent' AND ev.at <= $2::timestamp`,
        [shopId, p.now],
      ),
    counts,
  );

  // Orders: 45% of reliable first clicks on flow messages lead to an order within four
  // days (some outside the SMS window); the rest are placed by anyone at any time, 3% by
  // guests, a tenth of the customers buying most often.
  const orderColumns = `id, "shopId", "shopifyOrderId", name, "customerId", email, currency, "totalPrice", "subtotalPrice", "totalDiscounts",
                        "financialStatus", "processedAt", "cancelledAt", "refundedAmount", "createdAt", "updatedAt"`;
  const orderValues = `o.id, $1, o.shopify_id, '#' || o.shopify_id, o.customer, o.email, 'PLN',
         o.subtotal + 9.99 + round(o.subtotal * 0.08, 2), CASE WHEN bench_gen.u(o.n, 44) < 0.01 THEN NULL ELSE o.subtotal END,
         CASE WHEN bench_gen.u(o.n, 48) < 0.2 THEN round(o.subtotal * 0.1, 2) ELSE 0 END,
         CASE WHEN bench_gen.u(o.n, 46) < 0.025 THEN 'refunded' WHEN bench_gen.u(o.n, 46) < 0.05 THEN 'partially_refunded' ELSE 'paid' END,
         o.at, CASE WHEN bench_gen.u(o.n, 45) < 0.015 THEN o.at + interval '1 day' END,
         CASE WHEN bench_gen.u(o.n, 46) < 0.025 THEN o.subtotal WHEN bench_gen.u(o.n, 46) < 0.05 THEN round(o.subtotal * bench_gen.u(o.n, 47)::numeric, 2) ELSE 0 END,
         o.at, o.at`;
  const subtotal = (n: string) => `round((15 + 250 * bench_gen.u(${n}, 43) ^ 2)::numeric, 2)`;
  const clickOrders = await timed(
    "Order (after a click)",
    () =>
      sql(
        `INSERT INTO "Order" (${orderColumns})
         SELECT ${orderValues}
           FROM (SELECT bench_gen.id('ork', g) AS id, g AS n, 10000000000 + g AS shopify_id, m."customerId" AS customer,
                        'customer' || bench_gen.num(m."customerId") || '@example.com' AS email,
                        e."occurredAt" + bench_gen.u(g, 31) ^ 2 * interval '4 days' AS at, ${subtotal("g")} AS subtotal
                   FROM "MessageEvent" e JOIN "Message" m ON m.id = e."messageId"
                  CROSS JOIN LATERAL (SELECT bench_gen.num(m.id) AS g) x
                  WHERE e.type = 'clicked' AND e."dedupeKey" LIKE '%:l1' AND e.reliable AND m."flowId" IS NOT NULL
                    AND bench_gen.u(g, 30) < 0.45 AND e."occurredAt" + bench_gen.u(g, 31) ^ 2 * interval '4 days' <= $2::timestamp) o`,
        [shopId, p.now],
      ),
    counts,
  );
  const randomOrders = Math.max(0, scale.orders - (clickOrders.rowCount ?? 0));
  await timed(
    "Order (others)",
    () =>
      sql(
        `INSERT INTO "Order" (${orderColumns})
         SELECT ${orderValues}
           FROM (SELECT bench_gen.id('ord', n) AS id, n, 20000000000 + n AS shopify_id,
                        CASE WHEN c IS NOT NULL THEN bench_gen.id('cus', c) END AS customer,
                        CASE WHEN c IS NOT NULL THEN 'customer' || c || '@example.com' ELSE 'guest' || n || '@example.com' END AS email,
                        $2::timestamp + bench_gen.u(n, 42) * interval '${HISTORY_DAYS} days' AS at, ${subtotal("n")} AS subtotal
                   FROM generate_series(1, $4::bigint) n
                  CROSS JOIN LATERAL (
                    SELECT CASE WHEN bench_gen.u(n, 40) < 0.03 THEN NULL
                                WHEN bench_gen.u(n, 41) < 0.4 THEN 1 + floor(bench_gen.u(n, 49) * $3 * 0.1)::bigint
                                ELSE 1 + floor(bench_gen.u(n, 49) * $3)::bigint END AS c) cc) o`,
        [shopId, p.t0, C, randomOrders],
      ),
    counts,
  );
  await timed(
    "OrderRefund",
    () =>
      sql(
        `INSERT INTO "OrderRefund" (id, "shopId", "shopifyRefundId", "shopifyOrderId", amount, "createdAt")
         SELECT 'ref_' || o.id, $1, 30000000000 + o."shopifyOrderId", o."shopifyOrderId", o."refundedAmount", o."processedAt" + interval '3 days'
           FROM "Order" o WHERE o."refundedAmount" > 0`,
        [shopId],
      ),
    counts,
  );

  // Entry outcomes: every order placed within the flow's measurement window after an
  // entry counts for it (net revenue), as the product's exposure rows record them.
  await timed(
    "ExposureConversion",
    () =>
      sql(
        `INSERT INTO "ExposureConversion" ("shopId", "orderId", "enrollmentId", "flowId", revenue)
         SELECT $1, o.id, e.id, e."flowId",
                CASE WHEN o."cancelledAt" IS NOT NULL THEN 0 ELSE greatest(coalesce(o."subtotalPrice", o."totalPrice") - o."refundedAmount", 0) END
           FROM "Enrollment" e JOIN bench_gen.flow f ON f.flow_id = e."flowId"
           JOIN "Order" o ON o."customerId" = e."customerId" AND o."processedAt" >= e."enteredAt"
                         AND o."processedAt" < e."enteredAt" + f.measurement_days * interval '1 day'`,
        [shopId],
      ),
    counts,
  );
  await timed("Enrollment outcomes", () =>
    sql(
      `UPDATE "Enrollment" e SET "outcomeOrders" = x.n, "outcomeRevenue" = x.revenue
         FROM (SELECT "enrollmentId", count(*) AS n, sum(revenue) AS revenue FROM "ExposureConversion" GROUP BY "enrollmentId") x
        WHERE e.id = x."enrollmentId"`,
    ),
  );

  // Decisions a report breaks down: every send withheld from a held-out entry, deferrals
  // (quiet hours, caps) of 6% of the sends, skipped sends, exits, entries refused.
  await timed(
    "Decision",
    () =>
      sql(
        `INSERT INTO "Decision" ("shopId", "customerId", "enrollmentId", "flowId", "stepId", outcome, reason, details, at)
         SELECT $1, e."customerId", e.id, e."flowId", s.step_id, 'holdout', 'holdout',
                jsonb_build_object('channel', s.channel,
                                   'variant', coalesce(s.variants[1 + floor(bench_gen.u(bench_gen.num(e.id), 3 + s.slot) * coalesce(array_length(s.variants, 1), 1))::int], '')),
                e."enteredAt" + s.delay_hours * interval '1 hour'
           FROM "Enrollment" e JOIN bench_gen.flow f ON f.flow_id = e."flowId" JOIN bench_gen.step s ON s.f = f.f
          WHERE e.holdout AND e."enteredAt" + s.delay_hours * interval '1 hour' <= $2::timestamp
         UNION ALL
         SELECT $1, m."customerId", m."enrollmentId", m."flowId", m."stepId", 'defer',
                CASE WHEN bench_gen.u(bench_gen.num(m.id), 51) < 0.6 THEN 'quiet_hours' ELSE 'frequency_cap' END, NULL,
                m."sentAt" - bench_gen.u(bench_gen.num(m.id), 52) * interval '8 hours'
           FROM "Message" m WHERE m."flowId" IS NOT NULL AND m."sentAt" IS NOT NULL AND bench_gen.u(bench_gen.num(m.id), 50) < 0.06
         UNION ALL
         SELECT $1, e."customerId", e.id, e."flowId", s.step_id, 'skip',
                (ARRAY['no_consent', 'no_consent', 'frequency_cap', 'lost_priority', 'quiet_hours'])[1 + floor(bench_gen.u(bench_gen.num(e.id), 55) * 5)::int],
                NULL, e."enteredAt" + s.delay_hours * interval '1 hour'
           FROM "Enrollment" e JOIN bench_gen.flow f ON f.flow_id = e."flowId" JOIN bench_gen.step s ON s.f = f.f AND s.slot = 0
          WHERE NOT e.holdout AND bench_gen.u(bench_gen.num(e.id), 54) < 0.06 AND e."enteredAt" <= $2::timestamp
         UNION ALL
         SELECT $1, e."customerId", e.id, e."flowId", NULL, 'exit', e."exitReason", NULL, e."finishedAt"
           FROM "Enrollment" e WHERE e.status = 'exited'
         UNION ALL
         SELECT $1, bench_gen.id('cus', 1 + floor(bench_gen.u(n, 61) * $4)::bigint), NULL, f.flow_id, NULL, 'not_enrolled',
                CASE WHEN bench_gen.u(n, 62) < 0.7 THEN 'reentry_blocked' ELSE 'no_consent' END, NULL,
                $3::timestamp + bench_gen.u(n, 63) * interval '${HISTORY_DAYS} days'
           FROM bench_gen.flow f CROSS JOIN LATERAL generate_series(1, (f.treated + f.held_out) / 50) n`,
        [shopId, p.now, p.t0, C],
      ),
    counts,
  );

  const runAll = async (statements: string[]) => {
    for (const statement of statements) await sql(statement);
  };
  await timed(`primary keys (${objects.primaryKeys.length})`, () => runAll(objects.primaryKeys));
  await timed(`indexes (${objects.indexes.length})`, () => runAll(objects.indexes));
  await timed(`foreign keys (${objects.foreignKeys.length})`, () => runAll(objects.foreignKeys));
  await sql(`DROP SCHEMA bench_gen CASCADE`);
  // Hint bits and the visibility map set now, statistics fresh: neither side pays for the load.
  await timed("VACUUM ANALYZE", () => sql(`VACUUM (ANALYZE)`));
  await sql(`CHECKPOINT`);
  const seconds = (performance.now() - started) / 1000;
  return { shopId, flows, counts, seconds };
}
