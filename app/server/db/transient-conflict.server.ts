import { log } from "../log.server";

// PostgreSQL breaks a deadlock by failing one of the transactions in it (40P01), and
// SERIALIZABLE transactions fail on conflicts (40001). Both leave nothing behind and
// succeed when run again; PostgreSQL's documentation tells applications to retry them.
const TRANSIENT = new Set(["40P01", "40001"]);

/**
 * Whether err is one of those, as the pg driver throws it (err.code) or as Prisma
 * wraps it (err.meta.code, or the driver adapter's error in err.meta or err.cause).
 */
export function isTransientConflict(err: unknown, depth = 0): boolean {
  if (typeof err !== "object" || err === null || depth > 4) return false;
  const e = err as { code?: unknown; meta?: unknown; cause?: unknown; driverAdapterError?: unknown };
  if (typeof e.code === "string" && TRANSIENT.has(e.code)) return true;
  return [e.meta, e.cause, e.driverAdapterError].some((inner) => isTransientConflict(inner, depth + 1));
}

/** Runs a whole transaction again when PostgreSQL failed it as a transient conflict. */
export async function retryTransientConflicts<T>(what: string, transaction: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      if (attempt >= attempts || !isTransientConflict(err)) throw err;
      log.warn("transient conflict; running the transaction again", { what, attempt });
      // A short random pause, so the transactions that collided do not collide again in step.
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
