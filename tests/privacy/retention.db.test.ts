// Retention: what the hourly sweep removes, and what it must leave alone.
import { afterEach, describe, expect, it } from "vitest";
import { FAILED_WEBHOOK_PAYLOAD_DAYS, STOREFRONT_EVENT_DAYS, WEBHOOK_RECORD_DAYS } from "~/domain/privacy/retention";
import { setClock, resetClock } from "~/server/clock.server";
import { pruneExpiredData } from "~/server/compliance/retention.server";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const DAY = 86_400_000;
const AT = new Date("2027-03-01T12:00:00Z");
const daysAgo = (d: number) => new Date(AT.getTime() - d * DAY);

afterEach(() => resetClock());

let seq = 0;
async function delivery(status: string, ageDays: number, payload: object | null) {
  const n = seq++;
  return prisma().webhookDelivery.create({
    data: {
      shopDomain: "retention.myshopify.com",
      topic: "orders/create",
      webhookId: `ret-wh-${n}`,
      eventId: `ret-ev-${n}`,
      status,
      payload: payload ?? undefined,
      receivedAt: daysAgo(ageDays),
      nextAttemptAt: daysAgo(ageDays),
    },
  });
}

async function event(shopId: string, name: string, source: string, ageDays: number) {
  const n = seq++;
  return prisma().event.create({
    data: { shopId, name, source, sourceId: `ret-${n}`, occurredAt: daysAgo(ageDays), receivedAt: daysAgo(ageDays), data: {} },
  });
}

describe("pruneExpiredData", () => {
  it("clears failed deliveries' payloads after the grace period, drops finished records after a month, and leaves pending work alone", async () => {
    const personal = { email: "anna@example.com", customer: { first_name: "Anna" } };
    const failedOld = await delivery("failed", FAILED_WEBHOOK_PAYLOAD_DAYS + 1, personal);
    const failedRecent = await delivery("failed", FAILED_WEBHOOK_PAYLOAD_DAYS - 1, personal);
    const processedOld = await delivery("processed", WEBHOOK_RECORD_DAYS + 1, null);
    const rejectedOld = await delivery("rejected", WEBHOOK_RECORD_DAYS + 1, null);
    const processedRecent = await delivery("processed", WEBHOOK_RECORD_DAYS - 1, null);
    // Not finished: a long outage must not lose them.
    const receivedOld = await delivery("received", WEBHOOK_RECORD_DAYS + 5, personal);
    const processingOld = await delivery("processing", WEBHOOK_RECORD_DAYS + 5, personal);

    setClock(AT);
    const result = await pruneExpiredData();
    expect(result).toMatchObject({ failedWebhookPayloads: 1, webhookRecords: 2 });

    const left = new Map(
      (await prisma().webhookDelivery.findMany({ where: { webhookId: { startsWith: "ret-wh-" } } })).map((d) => [d.id, d]),
    );
    expect(left.get(failedOld.id)?.payload).toBeNull();
    expect(left.get(failedRecent.id)?.payload).toEqual(personal);
    expect(left.has(processedOld.id)).toBe(false);
    expect(left.has(rejectedOld.id)).toBe(false);
    expect(left.has(processedRecent.id)).toBe(true);
    expect(left.get(receivedOld.id)?.payload).toEqual(personal);
    expect(left.get(processingOld.id)?.payload).toEqual(personal);

    // A second sweep has nothing left to do.
    expect(await pruneExpiredData()).toEqual({ failedWebhookPayloads: 0, webhookRecords: 0, storefrontEvents: 0 });
  });

  it("deletes storefront events past the retention in every shop, in batches, and keeps orders' and forms' events", async () => {
    const [a, b] = await Promise.all(
      ["ret-a", "ret-b"].map((name) => prisma().shop.create({ data: { domain: `${name}.myshopify.com`, name } })),
    );
    const old = STOREFRONT_EVENT_DAYS + 1;
    for (let i = 0; i < 7; i++) await event(a!.id, "product_viewed", "pixel", old);
    await event(b!.id, "page_viewed", "pixel", old);
    const recent = await event(a!.id, "product_viewed", "pixel", STOREFRONT_EVENT_DAYS - 1);
    const order = await event(a!.id, "order_placed", "webhook", old);
    const form = await event(b!.id, "form_submitted", "form", old);

    setClock(AT);
    // Batches of 3 with room for all: 7 in shop a take three statements.
    expect(await pruneExpiredData(AT, 3, 10)).toMatchObject({ storefrontEvents: 8 });
    const ids = (await prisma().event.findMany({ where: { shopId: { in: [a!.id, b!.id] } }, select: { id: true } }))
      .map((e) => e.id)
      .sort();
    expect(ids).toEqual([recent.id, order.id, form.id].sort());
  });

  it("stops after its batch budget and finishes on the next sweep", async () => {
    const shop = await prisma().shop.create({ data: { domain: "ret-budget.myshopify.com", name: "budget" } });
    for (let i = 0; i < 5; i++) await event(shop.id, "cart_viewed", "pixel", STOREFRONT_EVENT_DAYS + 3);
    expect((await pruneExpiredData(AT, 2, 1)).storefrontEvents).toBe(2);
    expect(await prisma().event.count({ where: { shopId: shop.id } })).toBe(3);
    expect((await pruneExpiredData(AT, 2, 5)).storefrontEvents).toBe(3);
    expect(await prisma().event.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
