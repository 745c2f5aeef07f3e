import fs from "node:fs";
import { PrismaClient } from "@prisma/client";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { log } from "../log.server";

export type Db = PrismaClient;
export type DbKind = "pglite" | "postgres";

/** A connected database: the Prisma client plus raw script execution for migrations. */
export interface Database {
  kind: DbKind;
  prisma: PrismaClient;
  /** Runs a multi-statement SQL script outside Prisma (migrations, maintenance). */
  execScript(sql: string): Promise<void>;
  /**
   * A parameterised query through the raw driver, for tools that sit below Prisma.
   * `prepare` names the statement so PostgreSQL parses and plans it once per
   * connection: for a hot statement whose text never changes. A function property,
   * not a method: callers pass `database().query` on as a RawQuery.
   */
  query: <T = Record<string, unknown>>(sql: string, params?: unknown[], opts?: { prepare?: string }) => Promise<T[]>;
  /** A transaction on one connection through the raw driver (set-based hot paths). */
  transaction<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>;
  /**
   * A connection of its own, outside the pool, for session state that must live
   * exactly as long as this process (a worker's liveness lock): PostgreSQL drops it,
   * and everything the session held, the moment the process dies. PGlite has one
   * session, which is the process's. Closed by close() at the latest.
   */
  session(): Promise<DedicatedSession>;
  close(): Promise<void>;
  describe: string;
}

export interface DedicatedSession {
  query: RawQuery;
  /** Called once when the connection is lost (not after close()). */
  onLost(fn: (err: Error) => void): void;
  close(): Promise<void>;
}

export type RawQuery = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface OpenOptions {
  /** postgres://... selects a real PostgreSQL server. */
  url?: string;
  /** Absolute directory for PGlite; "memory://" for an in-memory database. */
  pgliteDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize);
  return openPglite(opts.pgliteDir ?? "memory://");
}

async function openPglite(dir: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  // pglite-prisma-adapter 0.6 is typed against an older driver-adapter-utils; the
  // runtime contract is the same (checked by the whole suite running on it).
  const adapter = new PrismaPGlite(pglite) as unknown as SqlDriverAdapterFactory;
  const prisma = new PrismaClient({ adapter });
  return {
    kind: "pglite",
    prisma,
    describe: dir.startsWith("memory://") ? "PGlite (in memory)" : `PGlite (${dir})`,
    execScript: async (sql) => {
      await pglite.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
    transaction: (fn) =>
      pglite.transaction((tx) => fn(async <T>(sql: string, params: unknown[] = []) => (await tx.query<T>(sql, params)).rows)),
    // One process, one session: it dies with the process, as a dedicated connection would.
    session: () =>
      Promise.resolve({
        query: async <T>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
        onLost: () => undefined,
        close: () => Promise.resolve(),
      }),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pg = await import("pg");
  const pool = new pg.default.Pool({ connectionString: url, max: poolSize });
  // An idle connection dropped by the server (restart, failover) must not crash the process.
  pool.on("error", (err) => log.warn("idle database connection lost", { err: err.message }));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sessions = new Set<DedicatedSession>();
  let closed = false;
  const safeUrl = new URL(url);
  safeUrl.password = safeUrl.password ? "***" : "";
  return {
    kind: "postgres",
    prisma,
    describe: `PostgreSQL (${safeUrl.host}${safeUrl.pathname})`,
    execScript: async (sql) => {
      await pool.query(sql);
    },
    query: async <T>(sql: string, params: unknown[] = [], opts: { prepare?: string } = {}) =>
      (await (opts.prepare ? pool.query({ name: opts.prepare, text: sql, values: params }) : pool.query(sql, params))).rows as T[],
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[]);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    session: async () => {
      if (closed) throw new Error("database closed");
      // Keepalive: a machine that vanishes (not just the process) is noticed in minutes, not hours.
      const client = new pg.default.Client({ connectionString: url, keepAlive: true });
      let closing = false;
      let lost: ((err: Error) => void) | null = null;
      const onGone = (err: Error) => {
        sessions.delete(session);
        if (!closing) lost?.(err);
        lost = null;
      };
      client.on("error", onGone);
      client.on("end", () => onGone(new Error("connection ended")));
      const session: DedicatedSession = {
        query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
        onLost: (fn) => void (lost = fn),
        close: async () => {
          closing = true;
          sessions.delete(session);
          await client.end().catch(() => undefined);
        },
      };
      await client.connect();
      sessions.add(session);
      return session;
    },
    close: async () => {
      closed = true;
      await Promise.all([...sessions].map((c) => c.close()));
      await prisma.$disconnect();
      await pool.end().catch((err: unknown) => log.warn("pool end failed", { err: String(err) }));
    },
  };
}

// The process-wide database. Remix's server build and server.ts are separate module
// graphs (tsx and Vite), so the handle lives on globalThis to stay one connection.
const g = globalThis as unknown as { __flowmateDb?: Database };

export function setDatabase(database: Database | undefined): void {
  g.__flowmateDb = database;
}

export function database(): Database {
  if (!g.__flowmateDb) throw new Error("Database not initialised: call initDatabase() at start-up");
  return g.__flowmateDb;
}

export function db(): PrismaClient {
  return database().prisma;
}
