import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database } from "./client.server";

// Applies prisma/migrations/*/migration.sql in order and records them in Prisma's own
// _prisma_migrations table (same columns, same sha256 checksum), so `prisma migrate
// status` agrees with us. Needed because Prisma's WASM schema engine cannot run
// `migrate deploy` through the 6.19 pg adapter (see PLATFORM.md) and because tests
// open hundreds of throwaway databases where spawning the CLI would cost seconds.

const MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
);`;

// Any constant works; it only has to be the same for every process migrating one database.
const ADVISORY_LOCK_ID = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function defaultMigrationsDir(): string {
  return path.resolve(process.cwd(), "prisma", "migrations");
}

export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(database: Database, migrations = loadMigrations()): Promise<MigrateResult> {
  await database.execScript(MIGRATIONS_TABLE);
  const locking = database.kind === "postgres";
  // Many web and worker processes may start at once against one PostgreSQL.
  if (locking) await database.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_ID]);
  try {
    const done = await database.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const byName = new Map(done.map((r) => [r.migration_name, r.checksum]));
    const applied: string[] = [];
    for (const m of migrations) {
      const existing = byName.get(m.name);
      if (existing) {
        if (existing !== m.checksum) {
          throw new Error(`Migration ${m.name} was edited after it was applied (checksum differs)`);
        }
        continue;
      }
      // One transaction per migration: a failure leaves the database as it was.
      await database
        .execScript(
          `BEGIN;\n${m.sql}\nINSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) ` +
            `VALUES ('${crypto.randomUUID()}', '${m.checksum}', '${m.name.replace(/'/g, "''")}', now(), 1);\nCOMMIT;`,
        )
        .catch(async (err: unknown) => {
          await database.execScript("ROLLBACK;").catch(() => undefined);
          throw new Error(`Migration ${m.name} failed: ${String(err)}`);
        });
      applied.push(m.name);
    }
    return { applied, alreadyApplied: byName.size };
  } finally {
    if (locking) await database.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_ID]);
  }
}
