import { pgliteDataDir, type AppEnv } from "../config.server";
import { log } from "../log.server";
import { openDatabase, setDatabase, type Database } from "./client.server";
import { migrate } from "./migrate.server";

/** Opens the database the environment selects, migrates it, and makes it the process-wide one. */
export async function initDatabase(env: AppEnv): Promise<Database> {
  const database = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: pgliteDataDir(env) });
  const result = await migrate(database);
  log.info("database ready", { db: database.describe, migrationsApplied: result.applied.length });
  setDatabase(database);
  return database;
}
