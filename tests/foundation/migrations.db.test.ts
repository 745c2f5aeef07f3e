import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "~/server/db/migrate.server";
import type { Database } from "~/server/db/client.server";
import { createTestDatabase } from "../support/db";

async function catalogue(d: Database) {
  const columns = await d.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
  );
  const indexes = await d.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
  );
  const constraints = await d.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace
       AND conrelid::regclass::text NOT LIKE '%_prisma_migrations%' ORDER BY conname`,
  );
  return { columns, indexes, constraints };
}

const CHECKS_OUTSIDE_SCHEMA = ["PixelInbox_one_body"];

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
        "Session",
        "Shop",
        "Customer",
        "ClientIdentity",
        "ConsentRecord",
        "Event",
        "Product",
        "Order",
        "OrderLine",
        "Checkout",
        "Cart",
        "Flow",
        "FlowVersion",
        "Enrollment",
        "Message",
        "MessageEvent",
        "Decision",
        "WebhookDelivery",
        "AuditLog",
        "Suppression",
        "DiscountCode",
        "Segment",
        "SegmentMember",
        "Experiment",
        "Conversion",
        "Widget",
        "ProductAffinity",
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

  // Spawns the Prisma CLI, which boots its own PGlite: up to ~30 s on a loaded 2-core machine.
  it("build exactly the database prisma/schema.prisma describes (no drift)", async () => {
    // Database A: the committed migrations. Database B: Prisma's SQL for the schema
    // file, from empty. Their catalogues (columns, indexes, constraints) must be equal.
    const fromSchema = execFileSync(
      path.resolve("node_modules/.bin/prisma"),
      ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: undefined } },
    );
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      await b.execScript(`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`);
      await b.execScript(fromSchema);
      const migrated = await catalogue(a);
      // CHECK constraints Prisma's schema language cannot express, each added by a migration that says so.
      const checks = migrated.constraints.filter((c) => CHECKS_OUTSIDE_SCHEMA.includes(String(c.conname)));
      expect(checks.map((c) => c.conname)).toEqual(CHECKS_OUTSIDE_SCHEMA);
      expect(await catalogue(b)).toEqual({ ...migrated, constraints: migrated.constraints.filter((c) => !checks.includes(c)) });
    } finally {
      await a.dropped();
      await b.dropped();
    }
  }, 120_000);
});
