// The report rollups move as events happen; here a few days of a shop's life run
// through the real paths (webhooks, router, runner, outbox over a real SMTP server,
// the order handler) on a fake clock, and every figure the entry, outbox and holdout
// paths own must equal a recomputation by SQL from the raw rows.
import type { Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFlowDefinition } from "~/domain/journey";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { advanceClock, now, resetClock, setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { onOrderChanged } from "~/server/measurement/order-changed.server";
import { recordLateBounce } from "~/server/compliance/feedback/record-feedback.server";
import { checkoutPayload, orderPayload } from "../capture/shopify-fixtures";
import { useTestDatabase } from "../support/db";
import { deliver, drainWebhooks, settleJourneys } from "../support/webhooks";
import { createShop } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";
import {
  entrySumsOffBy,
  recountedExposures,
  recountedFigures,
  recountedReasons,
  storedExposures,
  storedFigures,
  storedReasons,
} from "./support/recount";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let shop: Shop;
const flows: Record<string, { id: string; versionId: string }> = {};

// 20:30 in Los Angeles on Monday 23 November, 04:30 UTC on the 24th: the shop's day is
// not the UTC day, and quiet hours (21:00-08:00) start within the hour.
const START = new Date("2026-11-24T04:30:00Z");
const customers = Array.from({ length: 24 }, (_, i) => `c${String(i).padStart(2, "0")}`);
const email = (c: string) => `${c}@example.com`;

function customFlow(key: string, opts: { variants?: boolean; second?: boolean }) {
  const variants = [
    { key: "a", weight: 1, templateKey: "test_email" },
    { key: "b", weight: 1, templateKey: "test_email" },
  ];
  const first = { id: "first", type: "send", channel: "email", templateKey: "test_email", ...(opts.variants ? { variants } : {}) };
  const steps = opts.second
    ? [
        { ...first, next: "pause" },
        { id: "pause", type: "wait", duration: { days: 1 }, next: "second" },
        { id: "second", type: "send", channel: "email", templateKey: "test_email", next: "end" },
      ]
    : [{ ...first, next: "end" }];
  return parseFlowDefinition({
    schemaVersion: 1,
    key,
    name: key,
    trigger: { type: "event", events: [`${key}_start`] },
    entry: { requiresConsent: "email", reentry: { mode: "always" } },
    startStepId: "first",
    steps: [...steps, { id: "end", type: "exit", reason: "done" }],
  });
}

async function addCustomFlow(
  key: string,
  def: ReturnType<typeof customFlow>,
  extra: { holdoutPercent?: number; measurementDays?: number },
) {
  const f = await prisma().flow.create({ data: { shopId: shop.id, key, name: key, status: "on", ...extra } });
  const v = await prisma().flowVersion.create({ data: { shopId: shop.id, flowId: f.id, version: 1, definition: def as never } });
  await prisma().flow.update({ where: { id: f.id }, data: { activeVersionId: v.id } });
  flows[key] = { id: f.id, versionId: v.id };
}

let eventSeq = 0;
async function trigger(key: string, who: string[]): Promise<void> {
  await prisma().event.createMany({
    data: who.map((c) => ({
      shopId: shop.id,
      customerId: c,
      name: `${key}_start`,
      source: "test",
      sourceId: `${key}:${c}:${eventSeq++}`,
      occurredAt: now(),
      data: {},
    })),
  });
}

/** Webhooks, events, due steps, then the outbox, until nothing is left. */
async function settleAll(): Promise<void> {
  await settleJourneys();
  while ((await dispatchDueMessages("rollup-worker", 50)).claimed > 0);
}

/** Time passes in 3-hour steps, the worker doing its work at each. */
async function live(hours: number): Promise<void> {
  for (let h = 0; h < hours; h += 3) {
    advanceClock(3 * HOUR);
    await settleAll();
  }
}

let orderSeq = 7000;
function order(c: string, processedAt: Date, subtotal: string, over: Record<string, unknown> = {}) {
  const id = orderSeq++;
  return orderPayload({
    id,
    name: `#${id}`,
    email: email(c),
    customer: null,
    checkout_token: null,
    cart_token: null,
    created_at: processedAt.toISOString(),
    processed_at: processedAt.toISOString(),
    updated_at: now().toISOString(),
    subtotal_price: subtotal,
    total_price: (Number(subtotal) + 15).toFixed(2),
    ...over,
  });
}

async function expectRollupsEqualRawRows(): Promise<void> {
  const db = getDb();
  expect(await storedExposures(db, shop.id)).toEqual(await recountedExposures(db, shop.id));
  expect(await entrySumsOffBy(db, shop.id)).toEqual([]);
  expect(await storedFigures(db, shop.id)).toEqual(await recountedFigures(db, shop.id));
  expect(await storedReasons(db, shop.id)).toEqual(await recountedReasons(db, shop.id));
}

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  setClock(START);
  shop = await createShop(prisma(), { id: "shop-rollups", timezone: "America/Los_Angeles", holdoutPercent: 40 });
  for (const [i, c] of customers.entries()) {
    await prisma().customer.create({
      data: {
        id: c,
        shopId: shop.id,
        email: email(c),
        // The last four never subscribed: their triggers are logged as not entered.
        emailConsentState: i < 20 ? "subscribed" : "not_subscribed",
        emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      },
    });
  }
  await addCustomFlow("custom-promo", customFlow("custom-promo", { variants: true, second: true }), {});
  await addCustomFlow("custom-nudge", customFlow("custom-nudge", {}), { holdoutPercent: 50, measurementDays: 3 });
  await installCatalogue(shop.id);
  await setFlowStatus(shop.id, "abandoned_checkout", "on", "test");
  await prisma().flow.updateMany({ where: { shopId: shop.id, key: "abandoned_checkout" }, data: { holdoutPercent: 30 } });
}, 60_000);

afterAll(async () => {
  resetClock();
  await smtp?.close();
});

describe("report rollups against the raw rows", () => {
  it("a few days of entries, sends, holdouts, defers and orders: every figure equals its recount", { timeout: 240_000 }, async () => {
    // An order placed the day before anything: it counts for no entry.
    await deliver(shop.domain, "orders/create", order("c10", new Date(START.getTime() - DAY), "80.00"));
    await trigger("custom-promo", customers.slice(0, 16));
    await trigger("custom-nudge", customers.slice(8));
    await settleJourneys();
    // Two queued messages will not go out: one customer unsubscribes before the outbox
    // reaches their message, and one message was left "sending" by a worker that died.
    // (Customers after c07: the first eight come back to the promo later.)
    const queued = await prisma().message.findMany({
      where: { shopId: shop.id, status: "pending", customerId: { gt: "c07" } },
      orderBy: [{ customerId: "desc" }, { stepId: "asc" }],
    });
    expect(new Set(queued.map((m) => m.customerId)).size).toBeGreaterThan(1);
    const leaving = queued[0]!.customerId!;
    await prisma().customer.update({ where: { id: leaving }, data: { emailConsentState: "unsubscribed" } });
    await prisma().message.update({
      where: { id: queued.find((m) => m.customerId !== leaving)!.id },
      data: { status: "sending", leaseOwner: "a-worker-that-died", leaseExpiresAt: new Date(now().getTime() - 1000) },
    });
    await settleAll();
    advanceClock(2 * HOUR); // 22:30: quiet hours
    for (const c of customers.slice(0, 6)) {
      const token = `chk-${c}`;
      await deliver(
        shop.domain,
        "checkouts/create",
        checkoutPayload({
          id: 900 + Number(c.slice(1)),
          token,
          email: email(c),
          created_at: now().toISOString(),
          updated_at: now().toISOString(),
        }),
      );
    }
    await settleAll();
    await live(24);

    // Orders while the windows are open, one of them two days late (processed yesterday).
    for (const [i, c] of customers.slice(0, 20).entries()) {
      const placed = i === 3 ? new Date(now().getTime() - DAY) : now();
      await deliver(shop.domain, "orders/create", order(c, placed, (40 + i * 7.35).toFixed(2)));
    }
    await settleAll();
    await live(12);

    // The promo is edited (a new version), and its first entrants come back.
    const v2 = await prisma().flowVersion.create({
      data: {
        shopId: shop.id,
        flowId: flows["custom-promo"]!.id,
        version: 2,
        definition: customFlow("custom-promo", { variants: true }) as never,
      },
    });
    await prisma().flow.update({ where: { id: flows["custom-promo"]!.id }, data: { activeVersionId: v2.id } });
    await trigger("custom-promo", customers.slice(0, 8));
    await settleAll();
    await live(30);
    await deliver(shop.domain, "orders/create", order("c01", now(), "120.00"));
    await deliver(shop.domain, "orders/create", order("c12", now(), "64.10"));
    await settleAll();
    await expectRollupsEqualRawRows();
  });

  it("holds customers out per flow, by the flow's key: no message for them, but their entries, decisions and outcomes count", async () => {
    const entries = await prisma().enrollment.findMany({ where: { shopId: shop.id }, include: { flow: true } });
    const promo = entries.filter((e) => e.flowId === flows["custom-promo"]!.id);
    // Stable across versions: a customer who came back under version 2 is where they were.
    const versions = new Set(promo.map((e) => e.flowVersionId));
    expect(versions.size).toBe(2);
    for (const c of customers.slice(0, 8)) {
      const mine = promo.filter((e) => e.customerId === c);
      expect(mine).toHaveLength(2);
      expect(mine[0]!.holdout).toBe(mine[1]!.holdout);
    }
    const held = entries.filter((e) => e.holdout);
    const treated = entries.filter((e) => !e.holdout);
    expect(held.length).toBeGreaterThan(3);
    expect(treated.length).toBeGreaterThan(3);
    // Independent between flows: someone is held out of one flow and treated in another.
    const byCustomer = new Map<string, Set<boolean>>();
    for (const e of entries) byCustomer.set(e.customerId, (byCustomer.get(e.customerId) ?? new Set()).add(e.holdout));
    expect([...byCustomer.values()].some((s) => s.size === 2)).toBe(true);

    const heldIds = held.map((e) => e.id);
    expect(await prisma().message.count({ where: { shopId: shop.id, enrollmentId: { in: heldIds }, purpose: "marketing" } })).toBe(0);
    expect(
      await prisma().decision.count({ where: { shopId: shop.id, enrollmentId: { in: heldIds }, outcome: "holdout" } }),
    ).toBeGreaterThan(0);
    expect(held.some((e) => e.outcomeOrders > 0)).toBe(true);
    const figures = await prisma().flowDaily.aggregate({
      where: { shopId: shop.id, cohort: "holdout" },
      _sum: { entered: true, converted: true },
    });
    expect(figures._sum.entered).toBe(held.length);
    expect(figures._sum.converted).toBe(held.filter((e) => e.outcomeOrders > 0).length);
    const withheld = await prisma().flowDaily.aggregate({ where: { shopId: shop.id }, _sum: { heldOut: true, sent: true } });
    expect(withheld._sum.heldOut).toBe(await prisma().decision.count({ where: { shopId: shop.id, outcome: "holdout" } }));
    expect(withheld._sum.sent).toBeGreaterThan(0);
  });

  it("the same order delivered twice moves nothing", async () => {
    const db = getDb();
    const payload = order("c02", now(), "99.99");
    await deliver(shop.domain, "orders/create", payload);
    await drainWebhooks();
    const before = { figures: await storedFigures(db, shop.id), exposures: await storedExposures(db, shop.id) };
    expect(before.exposures.some((x) => x.revenue === 99.99)).toBe(true);
    await deliver(shop.domain, "orders/create", payload);
    await deliver(shop.domain, "orders/updated", payload);
    expect(await drainWebhooks()).toBe(2);
    expect({ figures: await storedFigures(db, shop.id), exposures: await storedExposures(db, shop.id) }).toEqual(before);
  });

  it("an order edited, refunded or cancelled moves the outcomes by the difference", async () => {
    const placed = now();
    const edited = order("c05", placed, "150.00");
    await deliver(shop.domain, "orders/create", edited);
    const refunded = order("c06", placed, "200.00");
    await deliver(shop.domain, "orders/create", refunded);
    const cancelled = order("c07", placed, "75.50");
    await deliver(shop.domain, "orders/create", cancelled);
    await drainWebhooks();
    advanceClock(HOUR);

    await deliver(shop.domain, "orders/updated", { ...edited, subtotal_price: "130.00", updated_at: now().toISOString() });
    await deliver(shop.domain, "orders/cancelled", { ...cancelled, cancelled_at: now().toISOString(), updated_at: now().toISOString() });
    await drainWebhooks();
    // A refund, as the refund handler records it: the order's refunded amount, then the
    // same re-derivation in the same transaction.
    await prisma().$transaction(async (tx) => {
      const o = await tx.order.update({
        where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: BigInt(refunded.id) } },
        data: { refundedAmount: 60 },
      });
      await onOrderChanged(tx, { shopId: shop.id, orderId: o.id });
    });
    const revenueOf = async (shopifyOrderId: number) => {
      const o = await prisma().order.findUniqueOrThrow({
        where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: BigInt(shopifyOrderId) } },
      });
      return (await prisma().exposureConversion.findMany({ where: { shopId: shop.id, orderId: o.id } })).map((x) => Number(x.revenue));
    };
    const [e, r, c] = [await revenueOf(edited.id), await revenueOf(refunded.id), await revenueOf(cancelled.id)];
    expect(e.length).toBeGreaterThan(0);
    expect(e.every((x) => x === 130)).toBe(true);
    expect(r.length).toBeGreaterThan(0);
    expect(r.every((x) => x === 140)).toBe(true);
    // A cancelled order is no sale: it counts for no entry any more.
    expect(c).toEqual([]);
    await expectRollupsEqualRawRows();
  });

  it("an order long after every window counts for nothing, and the figures still equal the recount", async () => {
    advanceClock(10 * DAY);
    await live(6);
    const before = await storedExposures(getDb(), shop.id);
    await deliver(shop.domain, "orders/create", order("c00", now(), "55.00"));
    await settleAll();
    expect(await storedExposures(getDb(), shop.id)).toEqual(before);
    await expectRollupsEqualRawRows();
  });

  it("bounces reported later (DSNs) take delivered back on the send's day; the figures still equal the recount", async () => {
    const sent = await prisma().message.findMany({
      where: { shopId: shop.id, status: "sent", flowId: { not: null } },
      orderBy: { sentAt: "asc" },
      take: 2,
    });
    expect(sent).toHaveLength(2);
    for (const m of sent) {
      const ref = { shopId: shop.id, customerId: m.customerId ?? "", messageId: m.id };
      expect(await recordLateBounce(ref, { status: "5.1.1", diagnostic: "smtp; 550 5.1.1 unknown" }, now())).toBe("recorded");
    }
    await expectRollupsEqualRawRows();
  });
});
