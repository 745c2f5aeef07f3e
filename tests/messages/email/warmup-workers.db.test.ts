// The warm-up allowance under concurrency: two dispatchers (each with its send lanes)
// draining one shop's outbox together never send more than the day's allowance, and
// nothing over it is lost. On PostgreSQL a third session holds the shop's ShopSending
// row until both workers wait on it, so their reservations really meet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setWarmup } from "~/server/admin/sending-settings.server";
import { dispatchDueMessages, type DispatchResult } from "~/server/channels/dispatch.server";
import { useTestDatabase } from "../../support/db";
import { whileHolding } from "../../support/lock-waits";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "./support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
});
afterAll(async () => smtp?.close());

async function drain(workerId: string): Promise<DispatchResult[]> {
  const results: DispatchResult[] = [];
  for (;;) {
    const r = await dispatchDueMessages(workerId, 8);
    results.push(r);
    if (r.claimed === 0 && r.unknown === 0) return results;
  }
}
const total = (rs: DispatchResult[][], k: keyof DispatchResult) => rs.flat().reduce((n, r) => n + r[k], 0);

describe("warm-up allowance with two workers", () => {
  it("sends exactly the day's allowance between them and defers every other email", { timeout: 120_000 }, async () => {
    const shop = await createShop(prisma());
    await setWarmup(shop, true, "merchant");
    const allowance = 12;
    await prisma().shopSending.update({ where: { shopId: shop.id }, data: { warmupPlan: [allowance, 100] } });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await enqueueEmail(prisma(), shop.id, await createCustomer(prisma(), shop.id))).id);
    const before = smtp.received.length;

    const work = () => Promise.all([drain("warm-a"), drain("warm-b")]);
    const results = process.env.DATABASE_URL
      ? await whileHolding(getDb(), (tx) => tx.$queryRaw`SELECT 1 FROM "ShopSending" WHERE "shopId" = ${shop.id} FOR UPDATE`, work, 2)
      : await work();

    expect(total(results, "sent")).toBe(allowance);
    expect(total(results, "deferred")).toBe(40 - allowance);
    // Both workers sent: the allowance was shared, not won by one.
    if (process.env.DATABASE_URL) for (const r of results) expect(total([r], "claimed")).toBeGreaterThan(0);
    expect(smtp.received.length - before).toBe(allowance);
    const byStatus = await prisma().message.groupBy({ by: ["status"], where: { id: { in: ids } }, _count: true });
    expect(Object.fromEntries(byStatus.map((g) => [g.status, g._count]))).toEqual({ sent: allowance, pending: 40 - allowance });
    const row = await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(row.warmupSent).toBe(allowance);
  });
});
