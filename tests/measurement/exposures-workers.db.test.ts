// Two orders of one customer re-derived by two workers at the same moment: both count
// for the same entries, so both change the same enrollments' sums and the same rollup
// row. Each locks the entries it changes (in id order) before reading their sums, so
// the second waits for the first and adds to what it wrote. Concurrency needs a
// server; PGlite has one connection.
import { beforeAll, describe, expect, it } from "vitest";
import { parseFlowDefinition } from "~/domain/journey";
import { setClock, now } from "~/server/clock.server";
import { processWebhookBatch } from "~/server/ingestion/webhook-processor.server";
import { onOrderChanged } from "~/server/measurement/order-changed.server";
import { orderPayload } from "../capture/shopify-fixtures";
import { useTestDatabase } from "../support/db";
import { whileHolding } from "../support/lock-waits";
import { deliver, drainWebhooks, settleJourneys } from "../support/webhooks";
import { entrySumsOffBy, recountedExposures, recountedFigures, storedExposures, storedFigures } from "./support/recount";

const SHOP = "exposure-workers.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

function flow(key: string) {
  return parseFlowDefinition({
    schemaVersion: 1,
    key,
    name: key,
    trigger: { type: "event", events: [`${key}_start`] },
    entry: { requiresConsent: "email", reentry: { mode: "always" } },
    startStepId: "pause",
    steps: [
      { id: "pause", type: "wait", duration: { days: 3 }, next: "end" },
      { id: "end", type: "exit", reason: "done" },
    ],
  });
}

let orderSeq = 300;
function order(subtotal: string) {
  const id = orderSeq++;
  return orderPayload({
    id,
    name: `#${id}`,
    email: "mia@example.com",
    customer: null,
    checkout_token: null,
    cart_token: null,
    created_at: now().toISOString(),
    processed_at: now().toISOString(),
    updated_at: now().toISOString(),
    subtotal_price: subtotal,
  });
}

const lockMiasEntries = (tx: Parameters<Parameters<typeof whileHolding>[1]>[0]) =>
  tx.$queryRaw`SELECT id FROM "Enrollment" WHERE "shopId" = ${shopId} AND "customerId" = 'mia' ORDER BY id FOR UPDATE`;

async function expectSumsRight(): Promise<void> {
  const db = getDb();
  expect(await storedExposures(db, shopId)).toEqual(await recountedExposures(db, shopId));
  expect(await entrySumsOffBy(db, shopId)).toEqual([]);
  expect(await storedFigures(db, shopId)).toEqual(await recountedFigures(db, shopId));
}

beforeAll(async () => {
  setClock(new Date("2026-11-24T10:00:00Z"));
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Exposure workers", holdoutPercent: 50 } })).id;
  await prisma().customer.create({
    data: { id: "mia", shopId, email: "mia@example.com", emailConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01") },
  });
  for (const key of ["custom-one", "custom-two", "custom-three"]) {
    const f = await prisma().flow.create({ data: { shopId, key, name: key, status: "on" } });
    const v = await prisma().flowVersion.create({ data: { shopId, flowId: f.id, version: 1, definition: flow(key) as never } });
    await prisma().flow.update({ where: { id: f.id }, data: { activeVersionId: v.id } });
    await prisma().event.create({
      data: { shopId, customerId: "mia", name: `${key}_start`, source: "test", sourceId: key, occurredAt: now(), data: {} },
    });
  }
  await settleJourneys();
  expect(await prisma().enrollment.count({ where: { shopId } })).toBe(3);
});

describe.skipIf(!process.env.DATABASE_URL)("one customer's orders re-derived by two workers at once", () => {
  it("two order webhooks processed by two workers: both orders count for every entry, once", { timeout: 60_000 }, async () => {
    await deliver(SHOP, "orders/create", order("100.00"));
    await deliver(SHOP, "orders/create", order("40.50"));
    // Each worker claims one delivery; both run into Mia's entries, held by a third session.
    const results = await whileHolding(getDb(), lockMiasEntries, () =>
      Promise.all([processWebhookBatch("worker-a", 1), processWebhookBatch("worker-b", 1)]),
    );
    expect(results.map((r) => r.processed)).toEqual([1, 1]);
    const entries = await prisma().enrollment.findMany({ where: { shopId } });
    expect(entries.map((e) => [e.outcomeOrders, Number(e.outcomeRevenue)])).toEqual([
      [2, 140.5],
      [2, 140.5],
      [2, 140.5],
    ]);
    await expectSumsRight();
  });

  it("two refunds of two orders at the same moment: the second adds to what the first wrote", { timeout: 60_000 }, async () => {
    const orders = await prisma().order.findMany({ where: { shopId }, orderBy: { shopifyOrderId: "asc" } });
    // As the refund handler records a refund: the order's amount, then its outcomes, in one transaction.
    const refund = (orderId: string, amount: number) =>
      prisma().$transaction(async (tx) => {
        await tx.order.update({ where: { id: orderId }, data: { refundedAmount: amount } });
        await onOrderChanged(tx, { shopId, orderId });
      });
    await whileHolding(getDb(), lockMiasEntries, () => Promise.all([refund(orders[0]!.id, 30), refund(orders[1]!.id, 40.5)]));
    const entries = await prisma().enrollment.findMany({ where: { shopId } });
    // 70 + 0: the second order is refunded in full, yet it was bought, so it still counts.
    expect(entries.map((e) => [e.outcomeOrders, Number(e.outcomeRevenue)])).toEqual([
      [2, 70],
      [2, 70],
      [2, 70],
    ]);
    const figures = await prisma().flowDaily.aggregate({
      where: { shopId },
      _sum: { converted: true, outcomeRevenue: true, outcomeRevenueSq: true },
    });
    expect(figures._sum.converted).toBe(3);
    expect(Number(figures._sum.outcomeRevenue)).toBe(210);
    expect(Number(figures._sum.outcomeRevenueSq)).toBe(3 * 70 * 70);
    await expectSumsRight();
    expect(await drainWebhooks()).toBe(0);
  });
});
