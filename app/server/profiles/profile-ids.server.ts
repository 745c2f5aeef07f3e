// A new profile takes the database's random cuid, unless a source of ids is set. The
// demo's generated history sets one: holdout membership and A/B variants are hashes
// of the shop's and the profile's ids, so with ids made from who the person is, one
// seed on one calendar replays one history (tests/demo/history.db.test.ts reads it).

export interface ProfileKey {
  shopId: string;
  shopifyCustomerId: bigint | null;
  email: string | null;
  phone: string | null;
  clientId: string | null;
}

export type ProfileIdSource = (key: ProfileKey) => string;

// On globalThis, as the clock is: the demo's seed code and the server bundle may hold
// two copies of this module.
const g = globalThis as unknown as { __flowmateProfileIds?: ProfileIdSource | null };

/** The id for a new profile, or undefined: the database's default. */
export function newProfileId(key: ProfileKey): string | undefined {
  return g.__flowmateProfileIds?.(key) ?? undefined;
}

/** Runs `work` with profiles made from `source`, then puts back what was there. */
export async function withProfileIds<T>(source: ProfileIdSource, work: () => Promise<T>): Promise<T> {
  const before = g.__flowmateProfileIds ?? null;
  g.__flowmateProfileIds = source;
  try {
    return await work();
  } finally {
    g.__flowmateProfileIds = before;
  }
}
