import crypto from "node:crypto";
import type { Message, Prisma, PrismaClient } from "@prisma/client";
import * as smsLinkRoute from "~/routes/s.$code";
import * as clickRoute from "~/routes/t.c.$token";
import * as openRoute from "~/routes/t.o.$token";
import { shortenSmsLinks } from "~/server/channels/sms/short-links.server";
import type { RawQuery } from "~/server/db/client.server";
import { signToken } from "~/server/security/signed-token.server";
import { customerPayload, orderPayload } from "../../capture/shopify-fixtures";
import { callRoute } from "../../support/http";
import { deliver, drainWebhooks } from "../../support/webhooks";

// Attribution scenarios as they happen: messages in the outbox, clicks and opens through
// the real tracking routes, orders and refunds through the real webhook routes (real
// HMAC), processed as the worker processes them. And the check every scenario ends with:
// the FlowDaily attribution and click figures equal a recomputation from raw rows.

export const CHROME =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
export const APP = "https://app.flowmate.test";
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface TestCustomer {
  id: string;
  shopifyId: number;
  email: string;
}

let nextShopifyId = 7_300_000_000_000;

export async function newCustomer(prisma: PrismaClient, shopId: string): Promise<TestCustomer> {
  const shopifyId = nextShopifyId++;
  const email = `buyer.${shopifyId}@example.com`;
  const c = await prisma.customer.create({
    data: { shopId, shopifyCustomerId: BigInt(shopifyId), email, emailConsentState: "subscribed" },
  });
  return { id: c.id, shopifyId, email };
}

/** A message the outbox sent (status sent, sentAt given). */
export function sentMessage(
  prisma: PrismaClient,
  shopId: string,
  customer: TestCustomer,
  over: Partial<Prisma.MessageUncheckedCreateInput> & { sentAt: Date },
): Promise<Message> {
  return prisma.message.create({
    data: {
      shopId,
      customerId: customer.id,
      flowId: "flow-a",
      stepId: "email-1",
      channel: "email",
      purpose: "marketing",
      idempotencyKey: crypto.randomUUID(),
      status: "sent",
      toAddress: customer.email,
      templateKey: "abandoned_checkout_1",
      payload: {},
      ...over,
    },
  });
}

/** A person's click on a link of an email, through /t/c/:token. */
export async function clickEmail(message: Message, url = "https://kawa.example.com/products/kenya"): Promise<void> {
  const token = signToken("click", { shopId: message.shopId, customerId: message.customerId ?? "", messageId: message.id, url });
  const res = await callRoute(clickRoute.loader, new Request(`${APP}/t/c/${token}`, { headers: { "user-agent": CHROME } }), { token });
  if (res.status !== 302) throw new Error(`click answered ${res.status}`);
}

/** An open of an email by a person's mail client, through /t/o/:token. */
export async function openEmail(message: Message, userAgent = CHROME): Promise<void> {
  const token = signToken("open", { shopId: message.shopId, customerId: message.customerId ?? "", messageId: message.id });
  const res = await callRoute(openRoute.loader, new Request(`${APP}/t/o/${token}`, { headers: { "user-agent": userAgent } }), { token });
  if (res.status !== 200) throw new Error(`open answered ${res.status}`);
}

/** A tap on the short link of a sent SMS, through /s/:code. The message's payload.body holds the link. */
export async function clickSms(message: Message): Promise<void> {
  const body = (message.payload as { body: string }).body;
  const code = /\/s\/([^\s]+)/.exec(shortenSmsLinks(body, message.id))![1]!;
  const res = await callRoute(smsLinkRoute.loader, new Request(`${APP}/s/${code}`, { headers: { "user-agent": CHROME } }), { code });
  if (res.status !== 302) throw new Error(`sms link answered ${res.status}`);
}

export interface OrderOptions {
  id: number;
  processedAt: Date;
  subtotal?: string;
  total?: string;
  updatedAt?: Date;
  cancelledAt?: Date | null;
  refunds?: unknown[];
}

export function orderBody(customer: TestCustomer, o: OrderOptions) {
  return orderPayload({
    id: o.id,
    name: `#${o.id}`,
    email: customer.email,
    created_at: o.processedAt.toISOString(),
    processed_at: o.processedAt.toISOString(),
    updated_at: (o.updatedAt ?? o.processedAt).toISOString(),
    cancelled_at: o.cancelledAt ? o.cancelledAt.toISOString() : null,
    subtotal_price: o.subtotal ?? "244.00",
    total_price: o.total ?? "254.00",
    checkout_token: null,
    cart_token: null,
    refunds: o.refunds ?? [],
    customer: customerPayload({
      id: customer.shopifyId,
      email: customer.email,
      phone: null,
      email_marketing_consent: undefined,
      sms_marketing_consent: undefined,
    }),
  });
}

export function refundBody(orderId: number, refundId: number, subtotals: (string | number)[], createdAt = new Date()) {
  return {
    id: refundId,
    order_id: orderId,
    created_at: createdAt.toISOString(),
    processed_at: createdAt.toISOString(),
    note: null,
    restock: false,
    order_adjustments: [],
    transactions: [],
    refund_line_items: subtotals.map((s, i) => ({
      id: refundId * 10 + i,
      line_item_id: i + 1,
      quantity: 1,
      subtotal: typeof s === "string" ? Number(s) : s,
      subtotal_set: {
        shop_money: { amount: String(s), currency_code: "PLN" },
        presentment_money: { amount: String(s), currency_code: "PLN" },
      },
      total_tax: 0,
    })),
  };
}

/** Delivers a webhook through its real route (signed) and processes it as the worker does. */
export async function webhook(shopDomain: string, topic: string, payload: unknown, opts: { webhookId?: string } = {}): Promise<void> {
  const res = await deliver(shopDomain, topic, payload, opts);
  if (res.status !== 200) throw new Error(`${topic} answered ${res.status}: ${await res.text()}`);
  await drainWebhooks();
}

export interface FigureRow {
  flowId: string;
  day: string;
  stepId: string;
  variant: string;
  channel: string;
  clicked: number;
  attributedOrders: number;
  attributedRevenue: string;
  attributedRevenueSq: string;
  influencedOrders: number;
  influencedRevenue: string;
}

const FIGURES = `"clicked", "attributedOrders", "attributedRevenue", "attributedRevenueSq", "influencedOrders", "influencedRevenue"`;

/** The shop's FlowDaily attribution and click figures, rows with any of them non-zero, in key order. */
export async function flowFigures(q: RawQuery, shopId: string): Promise<FigureRow[]> {
  const rows = await q<Record<string, unknown>>(
    `SELECT "flowId", to_char(day, 'YYYY-MM-DD') AS day, "stepId", variant, channel, ${FIGURES}
       FROM "FlowDaily" WHERE "shopId" = $1 AND cohort = ''
        AND ("clicked" <> 0 OR "attributedOrders" <> 0 OR "attributedRevenue" <> 0 OR "attributedRevenueSq" <> 0
             OR "influencedOrders" <> 0 OR "influencedRevenue" <> 0)
      ORDER BY 1, 2, 3, 4, 5`,
    [shopId],
  );
  return rows.map(normalize);
}

/**
 * The same figures recomputed from the raw rows: Conversion rows (by the order's
 * shop-local day, on the message's step, variant, channel) and each message's first
 * reliable click (by the click's shop-local day).
 */
export async function recomputedFigures(q: RawQuery, shopId: string): Promise<FigureRow[]> {
  const rows = await q<Record<string, unknown>>(
    `WITH tz AS (SELECT timezone FROM "Shop" WHERE id = $1),
     conv AS (
       SELECT c."flowId", (c."at" AT TIME ZONE 'UTC' AT TIME ZONE tz.timezone)::date AS day, COALESCE(c."stepId", '') AS "stepId",
              COALESCE(c.variant, '') AS variant, COALESCE(c.channel, '') AS channel, 0 AS clicked,
              (c.kind <> 'influenced')::int AS ao, CASE WHEN c.kind <> 'influenced' THEN c.revenue ELSE 0 END AS ar,
              CASE WHEN c.kind <> 'influenced' THEN c.revenue * c.revenue ELSE 0 END AS asq,
              (c.kind = 'influenced')::int AS io, CASE WHEN c.kind = 'influenced' THEN c.revenue ELSE 0 END AS ir
         FROM "Conversion" c CROSS JOIN tz WHERE c."shopId" = $1 AND c."flowId" IS NOT NULL),
     first_click AS (
       SELECT m."flowId", (min(e."occurredAt") AT TIME ZONE 'UTC' AT TIME ZONE tz.timezone)::date AS day, COALESCE(m."stepId", '') AS "stepId",
              COALESCE(m.variant, '') AS variant, m.channel, 1 AS clicked, 0 AS ao, 0 AS ar, 0 AS asq, 0 AS io, 0 AS ir
         FROM "Message" m JOIN "MessageEvent" e ON e."messageId" = m.id AND e."shopId" = m."shopId" AND e.type = 'clicked' AND e.reliable
        CROSS JOIN tz
        WHERE m."shopId" = $1 AND m."flowId" IS NOT NULL
        GROUP BY m.id, m."flowId", m."stepId", m.variant, m.channel, tz.timezone)
     SELECT "flowId", to_char(day, 'YYYY-MM-DD') AS day, "stepId", variant, channel, sum(clicked)::int AS "clicked",
            sum(ao)::int AS "attributedOrders", sum(ar)::numeric(16, 2) AS "attributedRevenue", sum(asq)::numeric(28, 4) AS "attributedRevenueSq",
            sum(io)::int AS "influencedOrders", sum(ir)::numeric(16, 2) AS "influencedRevenue"
       FROM (SELECT * FROM conv UNION ALL SELECT * FROM first_click) x
      GROUP BY 1, 2, 3, 4, 5
     HAVING sum(clicked) <> 0 OR sum(ao) <> 0 OR sum(ar) <> 0 OR sum(asq) <> 0 OR sum(io) <> 0 OR sum(ir) <> 0
      ORDER BY 1, 2, 3, 4, 5`,
    [shopId],
  );
  return rows.map(normalize);
}

function normalize(r: Record<string, unknown>): FigureRow {
  const money = (v: unknown, places: number) => Number(String(v)).toFixed(places);
  return {
    flowId: r.flowId as string,
    day: r.day as string,
    stepId: r.stepId as string,
    variant: r.variant as string,
    channel: r.channel as string,
    clicked: Number(r.clicked),
    attributedOrders: Number(r.attributedOrders),
    attributedRevenue: money(r.attributedRevenue, 2),
    attributedRevenueSq: money(r.attributedRevenueSq, 4),
    influencedOrders: Number(r.influencedOrders),
    influencedRevenue: money(r.influencedRevenue, 2),
  };
}

/** The attribution figures alone (for shops whose clicks were written as raw rows, past the click path). */
export function attributionOnly(rows: FigureRow[]): FigureRow[] {
  return rows
    .map((r) => ({ ...r, clicked: 0 }))
    .filter(
      (r) =>
        r.attributedOrders !== 0 ||
        Number(r.attributedRevenue) !== 0 ||
        Number(r.attributedRevenueSq) !== 0 ||
        r.influencedOrders !== 0 ||
        Number(r.influencedRevenue) !== 0,
    );
}
