import { beforeAll, describe, expect, it } from "vitest";
import { toWireEvent } from "../../extensions/web-pixel/src/wire";
import { productViewedEvent } from "../web-pixel/fixtures";
import { useTestDatabase } from "../support/db";
import { lockWaiters, whileHolding } from "../support/lock-waits";
import { insertInboxRow, runTaskUntilIdle } from "./support";

// Two workers isolating the same queue at once: both meet the poisonous inbox row and
// count its failure at the same moment (a third session holds its quarantine row until
// both wait on it). The item is set aside once, with its body; every innocent batch is
// expanded exactly once. Concurrency needs a server; PGlite has one connection.
const SHOP = "poison-workers.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Workers" } })).id;
});

const body = (id: string, data: unknown = productViewedEvent.data) =>
  JSON.stringify({ shop: SHOP, v: 1, events: [{ ...toWireEvent(productViewedEvent), id, clientId: `v-${id}`, data }] });

describe.skipIf(!process.env.DATABASE_URL)("two workers and one poisonous inbox row", () => {
  it("count its failures together, set it aside once, and expand every other batch once", async () => {
    const poison = await insertInboxRow(getDb(), shopId, [body("deep", "__D__").replace('"__D__"', "[".repeat(8000) + "]".repeat(8000))]);
    for (let i = 0; i < 24; i++) await insertInboxRow(getDb(), shopId, [body(`ok-${i}`)]);

    let met = false;
    await whileHolding(
      getDb(),
      // The quarantine row both workers' failure counts will insert: they wait here.
      (tx) =>
        tx.quarantine.create({
          data: { kind: "pixel-inbox", itemId: poison, shopId, error: "held", firstFailedAt: new Date(), lastFailedAt: new Date() },
        }),
      () => Promise.all([runTaskUntilIdle("pixel-inbox", 60, "worker-a"), runTaskUntilIdle("pixel-inbox", 60, "worker-b")]),
      async () => {
        for (let i = 0; i < 600 && !met; i++) {
          met = (await lockWaiters(getDb())) >= 2;
          if (!met) await new Promise((r) => setTimeout(r, 10));
        }
      },
    );
    expect(met).toBe(true);

    const events = await prisma().event.groupBy({ by: ["sourceId"], where: { shopId }, _count: true });
    expect(events).toHaveLength(24);
    expect(events.every((e) => e._count === 1)).toBe(true);
    expect(await prisma().pixelInbox.count()).toBe(0);
    const set = await prisma().quarantine.findMany({ where: { kind: "pixel-inbox" } });
    expect(set).toHaveLength(1);
    expect(set[0]).toMatchObject({ itemId: poison, failures: 2 });
    expect(set[0]!.quarantinedAt).not.toBeNull();
    expect(set[0]!.payload?.length).toBeGreaterThan(0);
  }, 60_000);
});
