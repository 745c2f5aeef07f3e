/**
 * Wire format v1, shared contract with the server's /api/pixel/events route.
 * This module must not import @shopify/web-pixels-extension so it can be unit
 * tested in Node; it only relies on the structural shape of Shopify events.
 */

export const WIRE_VERSION = 1;

/** Structural subset of a Shopify standard event that we forward. */
export interface PixelEventLike {
  id: string;
  name: string;
  timestamp: string;
  clientId: string;
  seq: number;
  context?: {
    document?: { location?: { href?: string }; referrer?: string; title?: string };
    navigator?: { language?: string };
  };
  data?: unknown;
}

export interface WireEvent {
  id: string;
  name: string;
  timestamp: string;
  clientId: string;
  seq: number;
  context: { url: string; referrer: string; title: string; language: string };
  data: unknown;
}

export interface WireBody {
  shop: string;
  v: typeof WIRE_VERSION;
  events: WireEvent[];
}

export function toWireEvent(event: PixelEventLike): WireEvent {
  const doc = event.context?.document;
  return {
    id: event.id,
    name: event.name,
    timestamp: event.timestamp,
    clientId: event.clientId,
    seq: event.seq,
    context: {
      url: doc?.location?.href ?? "",
      referrer: doc?.referrer ?? "",
      title: doc?.title ?? "",
      language: event.context?.navigator?.language ?? "",
    },
    // null rather than undefined so the key survives JSON.stringify and the
    // server can rely on its presence.
    data: event.data ?? null,
  };
}

const encoder = new TextEncoder();

/** Size limits are on the wire, i.e. UTF-8 bytes, not UTF-16 string length. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

export interface Chunk {
  body: string;
  ids: string[];
}

export interface ChunkResult {
  chunks: Chunk[];
  /** Events that cannot fit in a body on their own, even alone. */
  oversized: WireEvent[];
}

export interface ChunkLimits {
  maxBodyBytes: number;
  maxEventsPerBody: number;
}

/**
 * Packs events into as few request bodies as possible without exceeding
 * either limit. Bodies are assembled from pre-serialised events so each event
 * is stringified once; the output is byte-identical to
 * JSON.stringify({ shop, v, events }).
 */
export function chunkEvents(shop: string, events: readonly WireEvent[], limits: ChunkLimits): ChunkResult {
  const prefix = `{"shop":${JSON.stringify(shop)},"v":${WIRE_VERSION},"events":[`;
  const suffix = "]}";
  const envelopeBytes = byteLength(prefix) + byteLength(suffix);

  const chunks: Chunk[] = [];
  const oversized: WireEvent[] = [];
  let parts: string[] = [];
  let ids: string[] = [];
  let bytes = envelopeBytes;

  const close = (): void => {
    if (parts.length === 0) return;
    chunks.push({ body: prefix + parts.join(",") + suffix, ids });
    parts = [];
    ids = [];
    bytes = envelopeBytes;
  };

  for (const event of events) {
    const json = JSON.stringify(event);
    const size = byteLength(json);
    if (envelopeBytes + size > limits.maxBodyBytes) {
      oversized.push(event);
      continue;
    }
    const withComma = (parts.length > 0 ? 1 : 0) + size;
    if (parts.length >= limits.maxEventsPerBody || bytes + withComma > limits.maxBodyBytes) close();
    bytes += (parts.length > 0 ? 1 : 0) + size;
    parts.push(json);
    ids.push(event.id);
  }
  close();
  return { chunks, oversized };
}
