import zlib from "node:zlib";
import type { Database } from "~/server/db/client.server";
import { workerTasks } from "~/server/worker/tasks.server";

/**
 * Runs one task of the real worker table until it reports nothing left (bounded, so
 * a wedged queue fails the test instead of hanging it). Returns the passes it took.
 */
export async function runTaskUntilIdle(name: string, maxPasses = 30, workerId = "poison-test-worker"): Promise<number> {
  const task = workerTasks(workerId).find((t) => t.name === name);
  if (!task) throw new Error(`no worker task ${name}`);
  for (let pass = 1; pass <= maxPasses; pass++) if ((await task.run(new AbortController().signal)) === 0) return pass;
  throw new Error(`${name} still busy after ${maxPasses} passes`);
}

/** One pass of one task of the real worker table. */
export async function runTaskOnce(name: string): Promise<number> {
  const task = workerTasks("poison-test-worker").find((t) => t.name === name);
  if (!task) throw new Error(`no worker task ${name}`);
  return task.run(new AbortController().signal);
}

/** An inbox row as the endpoint writes it: [[receivedAtMs, body], ...] from the bodies' text, zstd-compressed. */
export async function insertInboxRow(database: Database, shopId: string, bodies: string[], at = new Date()): Promise<string> {
  const text = `[${bodies.map((b) => `[${at.getTime()},${b}]`).join(",")}]`;
  const rows = await database.query<{ id: string }>(
    `INSERT INTO "PixelInbox" ("shopId", "receivedAt", "bodyZstd") VALUES ($1, $2, $3) RETURNING id::text`,
    [shopId, at.toISOString(), zlib.zstdCompressSync(Buffer.from(text))],
  );
  return rows[0]!.id;
}

/** A PostgreSQL trigger that raises for the rows `when` selects: a real poisonous item. */
export function raiseTrigger(name: string, table: string, timing: "INSERT" | "UPDATE", when: string): string {
  return `
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '${name}: refused by the test'; END $$;
    CREATE TRIGGER ${name} BEFORE ${timing} ON "${table}" FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}();`;
}

export function dropTrigger(name: string, table: string): string {
  return `DROP TRIGGER ${name} ON "${table}"; DROP FUNCTION ${name}();`;
}
