import crypto from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, setDatabase, type Database } from "~/server/db/client.server";
import { migrate } from "~/server/db/migrate.server";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a
 * throwaway database on the PostgreSQL server named by DATABASE_URL (CI runs both).
 */
export async function createTestDatabase(): Promise<Database & { dropped: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ pgliteDir: "memory://" });
    await migrate(database);
    return Object.assign(database, { dropped: () => database.close() });
  }
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = await openDatabase({ url: serverUrl, poolSize: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 10 });
  await migrate(database);
  return Object.assign(database, {
    dropped: async () => {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  });
}

/** Registers a per-file database as the process-wide one and returns an accessor. */
export function useTestDatabase(): () => Database {
  let database: (Database & { dropped: () => Promise<void> }) | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    setDatabase(database);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await database?.dropped();
  });
  return () => {
    if (!database) throw new Error("test database not ready");
    return database;
  };
}
