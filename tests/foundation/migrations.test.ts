import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "~/server/db/migrate.server";
import { createTestDatabase } from "../support/db";

describe("migrations", () => {
  it("apply once, record themselves the way Prisma does, and are a no-op the second time", async () => {
    const database = await createTestDatabase();
    try {
      const rows = await database.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
        `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      const files = loadMigrations();
      expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
      expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
      expect(await migrate(database)).toEqual({ applied: [], alreadyApplied: files.length });
    } finally {
      await database.dropped();
    }
  });

  it("create every table of the data model", async () => {
    const database = await createTestDatabase();
    try {
      const tables = (
        await database.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
        )
      ).map((r) => r.table_name);
      for (const t of [
        "Session", "Shop", "Customer", "ClientIdentity", "ConsentRecord", "Event", "Product", "Order", "OrderLine",
        "Checkout", "Cart", "Flow", "FlowVersion", "Enrollment", "Message", "MessageEvent", "Decision",
        "WebhookDelivery", "AuditLog", "Suppression", "DiscountCode", "Segment", "SegmentMember", "Experiment",
        "Conversion", "Widget", "ProductAffinity",
      ]) {
        expect(tables).toContain(t);
      }
    } finally {
      await database.dropped();
    }
  });

  it("refuse to run when an applied migration was edited afterwards", async () => {
    const database = await createTestDatabase();
    try {
      const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
      await expect(migrate(database, edited)).rejects.toThrow(/edited after it was applied/);
    } finally {
      await database.dropped();
    }
  });

  it("roll back a failing migration completely", async () => {
    const database = await createTestDatabase();
    try {
      const bad = { name: "29990101000000_broken", sql: `CREATE TABLE "Half" (id int); SELECT * FROM "NoSuchTable";`, checksum: "x" };
      await expect(migrate(database, [...loadMigrations(), bad])).rejects.toThrow(/29990101000000_broken failed/);
      const half = await database.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'`);
      expect(half).toHaveLength(0);
      const recorded = await database.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`);
      expect(recorded).toHaveLength(0);
    } finally {
      await database.dropped();
    }
  });

  it("match prisma/schema.prisma exactly (no drift between the schema and the committed SQL)", () => {
    // The generated SQL for the schema must equal the committed migrations' SQL.
    const out = execFileSync(
      path.resolve("node_modules/.bin/prisma"),
      ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: undefined } },
    );
    const committed = loadMigrations().map((m) => m.sql).join("\n");
    const norm = (s: string) => s.replace(/--.*$/gm, "").replace(/\s+/g, " ").trim();
    // Every statement Prisma would generate today is in the committed migrations.
    for (const stmt of norm(out).split(";").map((s) => s.trim()).filter(Boolean)) {
      expect(norm(committed)).toContain(stmt);
    }
  });
});
