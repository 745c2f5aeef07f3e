import { describe, expect, it } from "vitest";
import { loader } from "~/routes/healthz";
import { setDatabase } from "~/server/db/client.server";
import { loadMigrations } from "~/server/db/migrate.server";
import { createTestDatabase } from "../support/db";

// /healthz is public: it tells a load balancer whether to send traffic here (the
// database answers, the schema is current) and nothing about where the database is.
describe("GET /healthz", () => {
  it("says ok with the applied migrations and the latency, and nothing about the database's address", async () => {
    const database = await createTestDatabase();
    setDatabase(database);
    try {
      const res = await loader();
      expect(res.status).toBe(200);
      const text = await res.text();
      const body = JSON.parse(text) as { database: { latencyMs: unknown } };
      expect(typeof body.database.latencyMs).toBe("number");
      expect(body).toEqual({
        status: "ok",
        database: { ok: true, latencyMs: body.database.latencyMs },
        migrations: { applied: loadMigrations().length, pending: 0 },
      });
      // Issue 14: production /healthz showed host, port and database name.
      expect(database.describe.length).toBeGreaterThan(0);
      expect(text).not.toContain(database.describe);
      if (process.env.DATABASE_URL) {
        const url = new URL(process.env.DATABASE_URL);
        for (const part of [url.hostname, url.port, url.pathname.slice(1)].filter((p) => p.length > 1)) expect(text).not.toContain(part);
      }
      expect(text).not.toMatch(/postgres|pglite|host|port/i);
    } finally {
      setDatabase(undefined);
      await database.dropped();
    }
  });

  it("answers 503 while a migration this build ships is not applied", async () => {
    const database = await createTestDatabase();
    setDatabase(database);
    try {
      await database.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [loadMigrations().at(-1)!.name]);
      const res = await loader();
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "degraded", migrations: { pending: 1 } });
    } finally {
      setDatabase(undefined);
      await database.dropped();
    }
  });

  it("answers 503 when the database is gone, without the error's text", async () => {
    const database = await createTestDatabase();
    setDatabase(database);
    await database.dropped();
    try {
      const res = await loader();
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "degraded", database: { ok: false } });
    } finally {
      setDatabase(undefined);
    }
  });
});
