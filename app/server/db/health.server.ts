import { log } from "../log.server";
import { database } from "./client.server";
import { loadMigrations } from "./migrate.server";

export interface DatabaseHealth {
  ok: boolean;
  kind?: string;
  describe?: string;
  latencyMs?: number;
  migrations?: number;
  error?: string;
}

export async function databaseHealth(): Promise<DatabaseHealth> {
  try {
    const d = database();
    const started = performance.now();
    const rows = await d.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    return {
      ok: true,
      kind: d.kind,
      describe: d.describe,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      migrations: rows[0]?.n ?? 0,
    };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** What /healthz may say to anyone: up or not, how fast, migrations applied and pending. */
export interface PublicHealth {
  status: "ok" | "degraded";
  database: { ok: boolean; latencyMs?: number };
  migrations?: { applied: number; pending: number };
}

let shipped: number | undefined;

/**
 * The load balancer's view: the database answers and the schema is the one this build
 * expects (a pending migration means the process would run against an older schema).
 * The database's address and any error text stay in the log, not in the answer.
 */
export async function publicHealth(): Promise<PublicHealth> {
  const h = await databaseHealth();
  if (!h.ok) {
    log.warn("health check failed", { error: h.error });
    return { status: "degraded", database: { ok: false } };
  }
  shipped ??= loadMigrations().length;
  const applied = h.migrations ?? 0;
  const pending = Math.max(0, shipped - applied);
  return {
    status: pending === 0 ? "ok" : "degraded",
    database: { ok: true, latencyMs: h.latencyMs },
    migrations: { applied, pending },
  };
}
