import { beforeAll, describe, expect, it, vi } from "vitest";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { log } from "~/server/log.server";
import { useTestDatabase } from "../support/db";
import { untilLockWaiters, whileHolding } from "../support/lock-waits";

// Several workers route events at once (SKIP LOCKED gives them disjoint events), but a
// checkout sends several trigger events (the pixel's checkout_started, then
// checkouts/create and checkouts/update), so two workers' batches name the same
// checkouts, and each worker inserts the enrollment of every checkout it sees: the
// unique (flow, customer, checkout token) row. A worker whose batch reached checkouts
// a..z and one whose batch reached z..a each waited for the other's insert.
// Concurrency needs a server; PGlite has one connection.

const SHOP = "router-workers.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;
let flowId: string;
let versionId: string;

const CUSTOMERS = ["a", "m", "b"] as const;

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Router workers", holdoutPercent: 0 } })).id;
  await installCatalogue(shopId);
  await setFlowStatus(shopId, "abandoned_checkout", "on", "test");
  const flow = await prisma().flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key: "abandoned_checkout" } } });
  flowId = flow.id;
  versionId = flow.activeVersionId!;
  for (const c of CUSTOMERS) {
    await prisma().customer.create({
      data: {
        id: `customer-${c}`,
        shopId,
        email: `${c}@example.com`,
        emailConsentState: "subscribed",
        emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      },
    });
  }
});

/** One checkout_updated event of customer c's checkout, in id order. */
async function checkoutEvent(c: string, n: number): Promise<void> {
  await prisma().event.create({
    data: {
      shopId,
      customerId: `customer-${c}`,
      name: "checkout_updated",
      source: "webhook",
      sourceId: `checkout:${c}:${n}`,
      occurredAt: new Date(Date.now() - 60_000 + n),
      data: { token: `token-${c}`, value: 120, currency: "EUR", completed: false, lines: [] },
    },
  });
}

describe.skipIf(!process.env.DATABASE_URL)("events routed by concurrent workers", () => {
  it(
    "two workers whose batches name the same checkouts in opposite orders both finish without a deadlock, and each checkout enrolls once",
    { timeout: 60_000 },
    async () => {
      const warn = vi.spyOn(log, "warn");
      // The first worker's batch reaches the checkouts a, m, b; the second's b, m, a.
      let n = 0;
      for (const c of [...CUSTOMERS, ...[...CUSTOMERS].reverse()]) await checkoutEvent(c, n++);
      const database = getDb();
      // A third worker is inserting the middle checkout's enrollment: both wait for it,
      // each holding the enrollment of the first checkout its batch reached.
      const results = await whileHolding(
        database,
        (tx) =>
          tx.enrollment.create({
            data: {
              shopId,
              flowId,
              flowVersionId: versionId,
              customerId: "customer-m",
              contextKey: "token-m",
              state: {},
              enteredAt: new Date(),
            },
          }),
        async () => {
          const first = routeEvents(3);
          // The first has claimed its batch before the second asks for one.
          await untilLockWaiters(database, 1);
          return Promise.allSettled([first, routeEvents(3)]);
        },
      );
      expect(results.map((r) => (r.status === "fulfilled" ? r.value.claimed : String(r.reason)))).toEqual([3, 3]);
      // Both took the checkouts in one order: neither was failed and run again.
      expect(warn.mock.calls.filter(([msg]) => msg.startsWith("transient conflict"))).toEqual([]);
      warn.mockRestore();
      const enrollments = await prisma().enrollment.findMany({ where: { shopId }, select: { contextKey: true } });
      expect(enrollments.map((e) => e.contextKey).sort()).toEqual(["token-a", "token-b", "token-m"]);
      expect(await prisma().event.count({ where: { shopId, routedAt: null } })).toBe(0);
    },
  );
});
