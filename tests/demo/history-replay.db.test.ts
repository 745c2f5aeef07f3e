import { afterAll, describe, expect, it } from "vitest";
import { resetClock, setClock } from "~/server/clock.server";
import { setDatabase } from "~/server/db/client.server";
import { seedDemoShop } from "../../demo/seed/seed-demo-shop.server";
import { DEMO_HISTORY, demoHistoryStart, seedDemoHistory, type DemoHistorySettings } from "../../demo/seed/history/seed-history.server";
import { createTestDatabase } from "../support/db";

// The demo's history is one history per seed and calendar: generated twice, into two
// fresh databases, from the same instant, it is the same row for row where it counts
// (who is held out, who got which variant, what they were sent and bought). The full
// history's assertions (history.db.test.ts) rely on it: they read one fixed history,
// not a draw that changes from run to run.

const SMALL: DemoHistorySettings = { ...DEMO_HISTORY, shoppers: 40, days: 21 };
const ENDS = new Date("2026-11-02T08:30:00Z");
const onDemoDatabase = !process.env.DATABASE_URL;

async function generate(startsAfterMs: number): Promise<Record<string, unknown>> {
  const database = await createTestDatabase();
  setDatabase(database);
  try {
    setClock(new Date(ENDS.getTime() + startsAfterMs));
    const { shopId } = await seedDemoShop({ flowsSince: demoHistoryStart(SMALL) });
    const result = await seedDemoHistory(shopId, SMALL);
    expect(result).not.toBeNull();
    const q = (sql: string) => database.query(sql, [shopId]);
    return {
      shopId,
      ledger: result!.ledger,
      ab: result!.ab,
      // Timestamps are left out: the clock runs on between the simulation's steps, so
      // they differ by the milliseconds a step took.
      entries: await q(
        `SELECT e."customerId", f.key, e.holdout FROM "Enrollment" e JOIN "Flow" f ON f.id = e."flowId"
         WHERE e."shopId" = $1 ORDER BY 1, 2, e."enteredAt"`,
      ),
      sends: await q(
        `SELECT m."customerId", m."stepId", m.variant, m.channel, m.status FROM "Message" m
         WHERE m."shopId" = $1 ORDER BY 1, 2, 3, 4, 5`,
      ),
      orders: await q(`SELECT "shopifyOrderId"::text, "customerId", "totalPrice"::text FROM "Order" WHERE "shopId" = $1 ORDER BY 1`),
      conversions: await q(
        `SELECT o."shopifyOrderId"::text, c.kind, f.key, c."stepId", c.variant, c.channel, c.revenue::text
         FROM "Conversion" c JOIN "Order" o ON o.id = c."orderId" LEFT JOIN "Flow" f ON f.id = c."flowId"
         WHERE c."shopId" = $1 ORDER BY 1`,
      ),
    };
  } finally {
    setDatabase(undefined);
    await database.dropped();
  }
}

afterAll(() => resetClock());

describe.skipIf(!onDemoDatabase)("the demo history", () => {
  it("is the same history when generated twice from the same instant, seconds apart", async () => {
    const first = await generate(0);
    // A start 20 s later ends the history on the same whole minute.
    const second = await generate(20_000);
    expect((first.entries as unknown[]).length).toBeGreaterThan(20);
    expect((first.entries as { holdout: boolean }[]).some((e) => e.holdout)).toBe(true);
    expect((first.sends as unknown[]).length).toBeGreaterThan(20);
    expect(second).toEqual(first);
  }, 600_000);
});
