import { database, type Database, type DedicatedSession } from "../db/client.server";
import { lockLiveness, unlockLiveness } from "../db/sql/worker-liveness.server";
import { log } from "../log.server";

// Per database and worker id: the session holding that worker's liveness lock
// (app/server/db/sql/worker-liveness.server.ts). Taken on the worker's first outbox
// pass, so anything that dispatches (the worker, a test, the demo's "run now") is
// covered; released by the worker's stop(), or by the process dying.
interface Held {
  session: DedicatedSession;
  released: boolean;
}
const held = new WeakMap<Database, Map<string, Promise<Held>>>();

const RETRY_MS = 1_000;

/** Resolves once this worker's liveness lock is held (at once when it already is). */
export function holdWorkerLiveness(workerId: string): Promise<void> {
  return holdOn(database(), workerId);
}

async function holdOn(d: Database, workerId: string): Promise<void> {
  let byWorker = held.get(d);
  if (!byWorker) held.set(d, (byWorker = new Map<string, Promise<Held>>()));
  await (byWorker.get(workerId) ?? track(byWorker, workerId, acquire(d, workerId)));
}

/** Remembers an attempt (so release() finds it, even mid-retry); a failed one is forgotten, so the next pass tries again. */
function track(byWorker: Map<string, Promise<Held>>, workerId: string, attempt: Promise<Held>): Promise<Held> {
  byWorker.set(workerId, attempt);
  attempt.catch(() => {
    if (byWorker.get(workerId) === attempt) byWorker.delete(workerId);
  });
  return attempt;
}

async function acquire(d: Database, workerId: string): Promise<Held> {
  const session = await d.session();
  const h: Held = { session, released: false };
  session.onLost((err) => {
    if (h.released) return;
    // Until the lock is back, this worker's claims and marks find it missing and do
    // nothing (the claim and mark statements check it), and others may take its rows.
    log.warn("worker liveness connection lost; re-taking the lock", { worker: workerId, err: err.message });
    const byWorker = held.get(d);
    if (!byWorker) return;
    const retry = new Promise<void>((resolve) => setTimeout(resolve, RETRY_MS).unref()).then(() => acquire(d, workerId));
    void track(byWorker, workerId, retry).catch(() => undefined);
  });
  try {
    await lockLiveness(session.query, workerId);
  } catch (err) {
    await session.close();
    throw err;
  }
  return h;
}

/** The worker stopped: its rows are free for others now (it released or settled them all). */
export async function releaseWorkerLiveness(workerId: string): Promise<void> {
  const d = database();
  const entry = held.get(d)?.get(workerId);
  if (!entry) return;
  held.get(d)?.delete(workerId);
  const h = await entry.catch(() => null);
  if (!h) return;
  h.released = true;
  await unlockLiveness(h.session.query, workerId).catch(() => undefined);
  await h.session.close();
}
