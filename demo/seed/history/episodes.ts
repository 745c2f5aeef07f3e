import type { HistoryFlowKey } from "./effects";
import type { EpisodeOutcome, PlannedLine, PlannedShopper } from "./plan";

// An episode is one situation of one shopper that a flow is about (a checkout left, a
// signup, an order placed...), with the draw that decides how it ends (effects.ts).
// The engine's enrollment for it is found afterwards, by flow and time.

const MINUTE = 60_000;
/** An entry belongs to the episode that started at most this long before it (a tick of the clock and the webhook queue in between). */
export const MATCH_MS = 3 * 60 * MINUTE;

export interface Episode {
  flow: HistoryFlowKey;
  at: number;
  draw: number;
  outcome: EpisodeOutcome;
  /** What a conversion buys. */
  lines: PlannedLine[];
  /** The checkout a conversion completes. */
  token: string | null;
  /** The enrollment whose messages count for it: the first one seen sending. */
  entryId: string | null;
  received: boolean;
  /** Messages of the entry read so far: each is a chance to click. */
  reads: number;
  clicked: boolean;
}

export interface Shopper {
  plan: PlannedShopper;
  /** Shopify has this shopper as a customer (their first checkout or order carried them). */
  knownToShopify: boolean;
  episodes: Episode[];
  orders: number;
}

/** The shopper's latest episode of this flow that an entry at `enteredAt` can belong to. */
export function episodeOf(s: Shopper, flow: HistoryFlowKey, enteredAt: number): Episode | undefined {
  let found: Episode | undefined;
  for (const e of s.episodes) if (e.flow === flow && e.at <= enteredAt + MINUTE && enteredAt <= e.at + MATCH_MS) found = e;
  return found;
}
