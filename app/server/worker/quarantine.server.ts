import { now } from "../clock.server";
import { database, type RawQuery } from "../db/client.server";
import {
  auditRelease,
  countFailure,
  forgetFailures,
  markQuarantined,
  parkItem,
  takeQuarantined,
  unparkItem,
  type QueueKind,
} from "../db/sql/quarantine.server";
import { log } from "../log.server";
import { failureText, isInfrastructureFailure } from "./failure-text.server";

// The second line of defence behind the checks at the door: a work item whose
// processing fails the same way twice is set aside (quarantined with its error), so
// the rest of its queue moves on. The operator sees it on the admin's system health
// page and can release it back to its queue (releaseQuarantined).

/** Failures of one item, the same way, before it is set aside. */
export const QUARANTINE_AFTER = 2;

export interface WorkItem {
  kind: QueueKind;
  itemId: string;
  shopId: string | null;
}

/**
 * Counts a failure of one item, isolated from its batch, and sets it aside once it
 * has failed the same way QUARANTINE_AFTER times. Infrastructure failures (the
 * database or network down) are the caller's to rethrow, never counted here.
 * Returns whether the item is now quarantined.
 */
export async function recordItemFailure(item: WorkItem, err: unknown): Promise<boolean> {
  const error = failureText(err);
  const at = now();
  return database().transaction(async (q) => {
    const failures = await countFailure(q, item, error, at);
    if (failures < QUARANTINE_AFTER) {
      log.warn("work item failed; it is retried once more before it is set aside", { ...item, err: error });
      return false;
    }
    await setAside(q, item, error, failures, at);
    return true;
  });
}

/** Sets an item aside now (queues that count their own attempts, like webhook deliveries). */
export async function quarantineNow(q: RawQuery, item: WorkItem, err: unknown, failures: number): Promise<void> {
  await setAside(q, item, failureText(err), failures, now());
}

async function setAside(q: RawQuery, item: WorkItem, error: string, failures: number, at: Date): Promise<void> {
  const payload = await parkItem(q, item.kind, item.itemId, at);
  await markQuarantined(q, item, error, failures, at, payload);
  log.error("work item quarantined; the rest of its queue moves on", { ...item, failures, err: error });
}

/** After an item succeeded: a failure counted before no longer counts. */
export async function clearFailures(kind: QueueKind, itemIds: string[]): Promise<void> {
  if (itemIds.length) await forgetFailures(database().query, kind, itemIds);
}

/**
 * One pass of a batch queue whose batch is one transaction. `pass(limit, onClaim)`
 * claims up to `limit` items (its own default when undefined), reports what it
 * claimed through onClaim before working on them, and resolves to the work done.
 *
 * When a batch fails for a reason that is not the infrastructure's, its items are
 * run one at a time (a batch of one claims the oldest due item), so the poisonous
 * one fails alone and is counted, its batch-mates are done, and on its second
 * failure it is set aside. Returns the work done, at least 1 while isolating (the
 * queue is not idle).
 */
export async function runIsolating(
  kind: QueueKind,
  pass: (limit: number | undefined, onClaim: (items: WorkItem[]) => void) => Promise<number>,
  opts: {
    splitItem?: (item: WorkItem) => Promise<boolean>;
    /** Lease-based queues: gives back what a failed pass claimed, so the next pass can take it. */
    afterFailure?: (items: WorkItem[]) => Promise<void>;
  } = {},
): Promise<number> {
  let claimed: WorkItem[] = [];
  try {
    return await pass(undefined, (items) => (claimed = items));
  } catch (err) {
    if (isInfrastructureFailure(err) || claimed.length === 0) throw err;
    await opts.afterFailure?.(claimed);
    const batch = claimed.length;
    if (batch > 1) log.warn("batch failed; running its items one at a time", { kind, items: batch, err: failureText(err) });
    else await onItemFailure(claimed[0]!, err, opts.splitItem);
    let done = 1;
    // Each item once, plus the second try of the one that failed.
    for (let i = 0; batch > 1 && i < batch + QUARANTINE_AFTER; i++) {
      let one: WorkItem[] = [];
      try {
        const n = await pass(1, (items) => (one = items));
        if (n === 0) break;
        done += n;
        await clearFailures(
          kind,
          one.map((o) => o.itemId),
        );
      } catch (e) {
        if (isInfrastructureFailure(e) || one.length === 0) throw e;
        await opts.afterFailure?.(one);
        await onItemFailure(one[0]!, e, opts.splitItem);
      }
    }
    return done;
  }
}

async function onItemFailure(item: WorkItem, err: unknown, split?: (item: WorkItem) => Promise<boolean>): Promise<void> {
  // An item that holds several (an inbox row of many requests) is split first, so
  // its innocent parts are not set aside with the bad one.
  if (split && (await split(item).catch(() => false))) return;
  await recordItemFailure(item, err);
}

export type ReleaseOutcome = { ok: true; kind: QueueKind } | { ok: false };

/**
 * Puts a quarantined item of this shop back in its queue, due now, with its failure
 * count reset; audited. Another shop's id finds nothing.
 */
export async function releaseQuarantined(shopId: string, quarantineId: string, actor: string): Promise<ReleaseOutcome> {
  if (!/^\d{1,19}$/.test(quarantineId)) return { ok: false };
  const at = now();
  return database().transaction(async (q) => {
    const row = await takeQuarantined(q, shopId, quarantineId);
    if (!row) return { ok: false } as const;
    await unparkItem(q, row, at);
    await auditRelease(q, shopId, actor, row, at);
    log.info("quarantined item released to its queue", { shopId, kind: row.kind, itemId: row.itemId, actor });
    return { ok: true, kind: row.kind } as const;
  });
}
