import { beforeAll, describe, expect, it } from "vitest";
import { expandPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { wireEvent } from "../web-pixel/fixtures";
import { useTestDatabase } from "../support/db";
import { whileHolding } from "../support/lock-waits";

// Several workers expand the pixel inbox at once (SKIP LOCKED gives them disjoint
// rows), but their rows name the same visitors: the benchmark's two workers once
// deadlocked on ClientIdentity when one locked visitors a..z and the other z..a.
// Concurrency needs a server; PGlite has one connection.

const SHOP = "inbox-workers.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Inbox workers" } })).id;
});

const VISITORS = 300;

/** One inbox row whose batches name every visitor, in the given order, as legacy text. */
async function inboxRow(tag: string, clients: number[], at: number): Promise<void> {
  const entries = clients.map((c, i) => [
    at + i,
    { shop: SHOP, v: 1, events: [{ ...wireEvent(c), id: `${tag}-${c}`, clientId: `visitor-${c}` }] },
  ]);
  await prisma().pixelInbox.create({ data: { shopId, receivedAt: new Date(at), body: JSON.stringify(entries) } });
}

const MIDDLE = `visitor-${VISITORS / 2}`;

/**
 * Runs work while another session holds the middle visitor's row, released (by rolling
 * back, so a visitor it created goes away) once two sessions wait on locks: both
 * workers then meet in the middle, each having locked its half of the others.
 */
function whileHoldingMiddleVisitor<T>(work: () => Promise<T>): Promise<T> {
  return whileHolding(
    getDb(),
    (tx) =>
      tx.clientIdentity.upsert({
        where: { shopId_clientId: { shopId, clientId: MIDDLE } },
        create: { shopId, clientId: MIDDLE, firstSeenAt: new Date(), lastSeenAt: new Date() },
        update: { lastSeenAt: new Date() },
      }),
    work,
  );
}

describe.skipIf(!process.env.DATABASE_URL)("pixel inbox expanded by concurrent workers", () => {
  it(
    "two workers whose rows name the same visitors in opposite orders both finish, and every event lands once",
    { timeout: 120_000 },
    async () => {
      const ascending = Array.from({ length: VISITORS }, (_, i) => i);
      const at = Date.now() - 60_000;
      // New visitors (inserted) and then the same visitors again (updated): the locks differ.
      const rounds = ["new-visitors", "known-visitors"];
      for (const tag of rounds) {
        // The same events twice (a pixel retry that landed in two groups) and in opposite orders.
        await inboxRow(tag, ascending, at);
        await inboxRow(tag, [...ascending].reverse(), at);
        const results = await whileHoldingMiddleVisitor(() => Promise.all([expandPixelInbox(1), expandPixelInbox(1)]));
        expect(results.map((r) => r.claimed)).toEqual([VISITORS, VISITORS]);
        expect(results[0].inserted + results[1].inserted).toBe(VISITORS);
        expect(results[0].duplicates + results[1].duplicates).toBe(VISITORS);
      }
      expect(await prisma().pixelInbox.count({ where: { shopId } })).toBe(0);
      expect(await prisma().event.count({ where: { shopId } })).toBe(rounds.length * VISITORS);
      expect(await prisma().clientIdentity.count({ where: { shopId } })).toBe(VISITORS);
    },
  );
});
