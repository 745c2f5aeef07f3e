import crypto from "node:crypto";
import type { RawQuery } from "../db/client.server";
import { takeAdvisoryXactLocks } from "../db/sql/enrollments.server";

// The first of the two keys of PostgreSQL's two-key advisory locks: the customers' locks
// of entry decisions, apart from any other use of advisory locks (the migrator's
// single-key lock is another key space).
const ENTRY_DECISIONS = 0x656e7472;

function keyOf(customerId: string): number {
  return crypto.createHash("sha256").update(customerId).digest().readInt32BE(0);
}

/**
 * Locks these customers' entry decisions until the caller's transaction ends. The entry
 * rules (one active enrollment per flow, re-entry windows) read the customer's
 * enrollment history, and the unique (flow, customer, context) index backs them only
 * when the trigger has a context key: two workers that read the history before either
 * committed both enrolled the customer (two add-to-carts, two reminders). So whoever
 * decides entries for a customer takes this first and reads the history after it.
 * Taken at once, in key order, by every worker: no two wait for each other (a hash
 * collision only makes two customers share a lock). PGlite has one connection, where
 * the locks never wait.
 */
export async function lockEntryDecisions(q: RawQuery, customerIds: Iterable<string>): Promise<void> {
  const keys = [...new Set([...customerIds].map(keyOf))].sort((a, b) => a - b);
  if (keys.length === 0) return;
  await takeAdvisoryXactLocks(q, ENTRY_DECISIONS, keys);
}
