import { describe, expect, it } from "vitest";
import { loader } from "~/routes/healthz";
import { setDatabase } from "~/server/db/client.server";
import { createTestDatabase } from "../support/db";

describe("GET /healthz", () => {
  it("reports the database kind, latency and applied migrations", async () => {
    const database = await createTestDatabase();
    setDatabase(database);
    try {
      const res = await loader();
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; database: { kind: string; migrations: number; latencyMs: number } };
      expect(body.status).toBe("ok");
      expect(body.database.kind).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
      expect(body.database.migrations).toBeGreaterThanOrEqual(1);
      expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
    } finally {
      setDatabase(undefined);
      await database.dropped();
    }
  });

  it("answers 503 when the database is gone", async () => {
    const database = await createTestDatabase();
    setDatabase(database);
    await database.dropped();
    try {
      const res = await loader();
      expect(res.status).toBe(503);
      expect(((await res.json()) as { status: string }).status).toBe("degraded");
    } finally {
      setDatabase(undefined);
    }
  });
});
