// Request counts of the two ingestion endpoints. The pixel endpoint is the app's
// hottest path, so a request costs one Map increment here (no labels object, no
// string built); the numbers become prom-client counters only when /metrics is read.
// On globalThis: server.ts (its fast path) and the Remix build (the route files) are
// two module graphs in one process, and both must count into the same numbers.

/** Distinct outcomes kept per endpoint; anything past it is counted as "other" (bounded label values). */
const MAX_OUTCOMES = 40;

interface IngestCounts {
  pixel: Map<string, number>;
  webhook: Map<string, number>;
}

const g = globalThis as unknown as { __flowmateIngestCounts?: IngestCounts };
const counts: IngestCounts = (g.__flowmateIngestCounts ??= { pixel: new Map(), webhook: new Map() });

function bump(map: Map<string, number>, outcome: string): void {
  const n = map.get(outcome);
  if (n !== undefined) map.set(outcome, n + 1);
  else if (map.size < MAX_OUTCOMES) map.set(outcome, 1);
  else map.set("other", (map.get("other") ?? 0) + 1);
}

/** "accepted", "preflight", or why the request was refused ("origin_refused", "rate_limited", ...). */
export function countPixelRequest(outcome: string): void {
  bump(counts.pixel, outcome);
}

/** "accepted", "duplicate", or the rejection reason; a reason's detail after ":" is dropped (bounded labels). */
export function countWebhookRequest(outcome: string): void {
  const colon = outcome.indexOf(":");
  bump(counts.webhook, colon === -1 ? outcome : outcome.slice(0, colon));
}

export function ingestCounts(): { pixel: ReadonlyMap<string, number>; webhook: ReadonlyMap<string, number> } {
  return counts;
}
