import { database } from "./client.server";

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
