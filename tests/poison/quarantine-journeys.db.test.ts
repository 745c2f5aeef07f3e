import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as pixel } from "~/routes/api.pixel.events";
import { advanceClock, resetClock, setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { drainPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { listQuarantined } from "~/server/db/sql/quarantine.server";
import { useTestDatabase } from "../support/db";
import { dropTrigger, raiseTrigger, runTaskOnce, runTaskUntilIdle } from "./support";

// Poisonous items in the event router, the journey runner and the time-trigger sweep,
// each made poisonous for real by a PostgreSQL trigger that refuses one row's write:
// the item is set aside after failing twice, its batch-mates are done.
const SHOP = "poison-journeys.myshopify.com";
const DAY = 86_400_000;
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;
const customers: Record<string, string> = {};

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  setClock(new Date("2026-11-24T09:00:05Z"));
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Poison", timezone: "Europe/Warsaw", holdoutPercent: 0 } })).id;
  await installCatalogue(shopId);
  await setFlowStatus(shopId, "abandoned_checkout", "on", "test");
  for (const name of ["ala", "bea", "cyd"]) {
    const c = await prisma().customer.create({
      data: {
        shopId,
        email: `${name}@example.com`,
        emailConsentState: "subscribed",
        emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      },
    });
    customers[name] = c.id;
  }
});
afterAll(() => {
  resetClock();
  delete process.env.LOG_LEVEL;
});

function checkoutEvent(name: string, kind: "started" | "contact") {
  return {
    id: `${kind}-${name}`,
    name: kind === "started" ? "checkout_started" : "checkout_contact_info_submitted",
    timestamp: "2026-11-24T09:00:00.000Z",
    clientId: `visitor-${name}`,
    seq: 1,
    context: { url: `https://${SHOP}/checkouts/x`, referrer: "", title: "Checkout", language: "pl-PL" },
    data: {
      checkout: {
        token: `token-${name}`,
        email: `${name}@example.com`,
        phone: null,
        currencyCode: "PLN",
        totalPrice: { amount: 260, currencyCode: "PLN" },
        lineItems: [],
      },
    },
  };
}

describe("a poisonous event in the router's batch", () => {
  it("is quarantined; the other customers' events in the batch are routed", async () => {
    await getDb().execScript(raiseTrigger("poison_enroll", "Enrollment", "INSERT", `NEW."customerId" = '${customers.ala}'`));
    const res = await pixel({
      request: new Request("http://localhost/api/pixel/events", {
        method: "POST",
        headers: { origin: `https://${SHOP}` },
        body: JSON.stringify({
          shop: SHOP,
          v: 1,
          events: ["ala", "bea", "cyd"].flatMap((n) => [checkoutEvent(n, "started"), checkoutEvent(n, "contact")]),
        }),
      }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(202);
    await drainPixelInbox();
    const ala = await prisma().event.findFirstOrThrow({ where: { shopId, sourceId: "started-ala" } });

    await runTaskUntilIdle("event-router");

    const enrolled = await prisma().enrollment.findMany({ where: { shopId }, select: { customerId: true } });
    expect(enrolled.map((e) => e.customerId).sort()).toEqual([customers.bea, customers.cyd].sort());
    expect(await prisma().event.count({ where: { shopId, routedAt: null } })).toBe(0);
    const listed = await listQuarantined(getDb().query, shopId);
    // The customer's checkout_started (the trigger) is set aside; their contact event starts nothing and is routed.
    expect(listed.map((q) => [q.kind, q.itemId, q.failures])).toEqual([["event", String(ala.id), 2]]);
    expect(listed[0]!.error).toMatch(/poison_enroll: refused by the test|Raw query failed|P0001/);
    await getDb().execScript(dropTrigger("poison_enroll", "Enrollment"));
  });
});

describe("a poisonous enrollment in the runner's batch", () => {
  it("is quarantined; its batch-mate steps and queues its message", async () => {
    const bea = await prisma().enrollment.findFirstOrThrow({ where: { shopId, customerId: customers.bea } });
    await getDb().execScript(raiseTrigger("poison_step", "Enrollment", "UPDATE", `NEW.id = '${bea.id}' AND NEW.status <> 'quarantined'`));
    advanceClock(2 * 3_600_000);

    await runTaskUntilIdle("journey-steps");

    const messages = await prisma().message.findMany({ where: { shopId }, select: { customerId: true } });
    expect(messages.map((m) => m.customerId)).toEqual([customers.cyd]);
    expect(await prisma().enrollment.findUniqueOrThrow({ where: { id: bea.id } })).toMatchObject({ status: "quarantined" });
    const listed = await listQuarantined(getDb().query, shopId);
    expect(listed.find((q) => q.kind === "enrollment")).toMatchObject({ itemId: bea.id, failures: 2 });
    await getDb().execScript(dropTrigger("poison_step", "Enrollment"));
  });
});

describe("a poisonous flow in the time-trigger sweep", () => {
  it("is quarantined after failing twice; the other shops' sweeps enroll, and the next sweep skips it", async () => {
    const shops: string[] = [];
    for (const name of ["lapse-a", "lapse-b"]) {
      const id = (await prisma().shop.create({ data: { domain: `${name}.myshopify.com`, name, holdoutPercent: 0 } })).id;
      await installCatalogue(id);
      await setFlowStatus(id, "win_back", "on", "test");
      const at = Date.now();
      await prisma().customer.create({
        data: {
          shopId: id,
          email: `${name}@example.com`,
          emailConsentState: "subscribed",
          emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
          ordersCount: 2,
          lastOrderAt: new Date(at - 120 * DAY),
          firstOrderAt: new Date(at - 300 * DAY),
        },
      });
      shops.push(id);
    }
    const poisoned = await prisma().flow.findFirstOrThrow({ where: { shopId: shops[0], key: "win_back" } });
    await getDb().execScript(raiseTrigger("poison_sweep", "Enrollment", "INSERT", `NEW."flowId" = '${poisoned.id}'`));

    await runTaskOnce("time-triggers");
    expect(await prisma().enrollment.count({ where: { shopId: shops[1] } })).toBe(1);
    expect(await prisma().quarantine.findFirst({ where: { kind: "time-trigger" } })).toMatchObject({ failures: 1, quarantinedAt: null });
    await runTaskOnce("time-triggers");
    const listed = await listQuarantined(getDb().query, shops[0]!);
    expect(listed).toMatchObject([{ kind: "time-trigger", itemId: poisoned.id, failures: 2 }]);
    await getDb().execScript(dropTrigger("poison_sweep", "Enrollment"));
    // Set aside: skipped although it would succeed now, until the operator releases it.
    await runTaskOnce("time-triggers");
    expect(await prisma().enrollment.count({ where: { shopId: shops[0] } })).toBe(0);
  });
});
