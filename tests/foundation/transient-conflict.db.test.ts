import { beforeAll, describe, expect, it } from "vitest";
import { isTransientConflict, retryTransientConflicts } from "~/server/db/transient-conflict.server";
import { useTestDatabase } from "../support/db";

// A real deadlock between two transactions on one PostgreSQL server: one of them is
// failed by the server (40P01), and the retry helper must recognise that error as
// Prisma and the raw driver deliver it, and run the transaction again to success.
// Needs a server: PGlite has one connection.

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const ids: string[] = [];

beforeAll(async () => {
  for (const domain of ["deadlock-a.myshopify.com", "deadlock-b.myshopify.com"])
    ids.push((await prisma().shop.create({ data: { domain, name: "Deadlock" } })).id);
});

/** Two transactions that lock two shops in opposite orders, meeting after each has its first. */
function collide(wrap: (name: string, tx: () => Promise<string>) => Promise<string>) {
  let arrived = 0;
  let bothHoldOne!: () => void;
  const barrier = new Promise<void>((r) => (bothHoldOne = r));
  const transaction = (first: string, second: string, name: string) => {
    let attempt = 0;
    return wrap(name, () =>
      prisma().$transaction(
        async (tx) => {
          attempt++;
          await tx.shop.update({ where: { id: first }, data: { name: `${name} ${attempt}` } });
          // Only the first attempts meet: a retry runs alone.
          if (attempt === 1 && ++arrived === 2) bothHoldOne();
          if (attempt === 1) await barrier;
          await tx.shop.update({ where: { id: second }, data: { name: `${name} ${attempt}` } });
          return `${name} after ${attempt}`;
        },
        { timeout: 30_000 },
      ),
    );
  };
  return Promise.allSettled([transaction(ids[0]!, ids[1]!, "one"), transaction(ids[1]!, ids[0]!, "two")]);
}

describe.skipIf(!process.env.DATABASE_URL)("transient conflicts on PostgreSQL", () => {
  it("a deadlock fails one transaction with an error recognised as transient", { timeout: 60_000 }, async () => {
    const [a, b] = await collide((_, tx) => tx());
    const failed = [a, b].filter((r) => r.status === "rejected");
    expect(failed).toHaveLength(1);
    expect(String(failed[0]!.reason)).toMatch(/40P01|deadlock/);
    expect(isTransientConflict(failed[0]!.reason)).toBe(true);
  });

  it("retried, both transactions complete, the loser on its second attempt", { timeout: 60_000 }, async () => {
    const results = await collide((name, tx) => retryTransientConflicts(name, tx));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    const values = results.map((r) => (r as PromiseFulfilledResult<string>).value).sort();
    expect(values.filter((v) => v.endsWith("after 1"))).toHaveLength(1);
    expect(values.filter((v) => v.endsWith("after 2"))).toHaveLength(1);
  });
});

describe("errors that are not transient conflicts", () => {
  it("are not retried (a unique violation through Prisma, a division by zero through the driver)", async () => {
    const duplicate = await prisma()
      .shop.create({ data: { domain: "deadlock-a.myshopify.com", name: "Again" } })
      .catch((err: unknown) => err);
    expect(isTransientConflict(duplicate)).toBe(false);
    const raw = await getDb()
      .query(`SELECT 1 / 0`)
      .catch((err: unknown) => err);
    expect((raw as { code?: string }).code).toBe("22012");
    expect(isTransientConflict(raw)).toBe(false);
    let calls = 0;
    await expect(
      retryTransientConflicts("unique", async () => {
        calls++;
        throw duplicate;
      }),
    ).rejects.toBe(duplicate);
    expect(calls).toBe(1);
  });
});
