import type { SendFn, SendOutcome } from "./transport";
import { chunkEvents, type WireEvent } from "./wire";

export interface BatchLimits {
  /** Flush as soon as this many events are buffered. */
  flushCount: number;
  /** Flush this long after the first event entered an empty buffer. */
  flushDelayMs: number;
  /** Stays under the 64 KB keepalive budget with room for headers. */
  maxBodyBytes: number;
  maxEventsPerBody: number;
  /** One entry per retry; its length is the retry limit. */
  retryDelaysMs: readonly number[];
}

export const DEFAULT_LIMITS: BatchLimits = {
  flushCount: 20,
  // Short: a navigation within the window loses the buffer (see events.ts).
  flushDelayMs: 500,
  maxBodyBytes: 60 * 1024,
  maxEventsPerBody: 100,
  retryDelaysMs: [1_000, 2_000, 4_000],
};

export type DropReason = "oversized" | "rejected" | "retries-exhausted";

export interface BatcherDeps {
  shop: string;
  send: SendFn;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  now: () => number;
  onDrop?: (reason: DropReason, ids: readonly string[]) => void;
  limits?: Partial<BatchLimits>;
}

export interface Batcher {
  add(event: WireEvent, options?: { immediate?: boolean }): void;
  /** Sends everything buffered; resolves once every request (including retries) settled. */
  flush(): Promise<void>;
}

export function createBatcher(deps: BatcherDeps): Batcher {
  const limits: BatchLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  let buffer: WireEvent[] = [];
  let firstBufferedAt = 0;
  let timer: unknown = undefined;

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => deps.setTimer(resolve, ms));

  const attempt = async (body: string): Promise<SendOutcome> => {
    try {
      return await deps.send(body);
    } catch {
      return "retry";
    }
  };

  // Retries resend the exact same body string, so event ids are unchanged and
  // the server's id-based dedupe absorbs any request that did land.
  const deliver = async (body: string, ids: readonly string[]): Promise<void> => {
    for (let retry = 0; ; retry++) {
      const outcome = await attempt(body);
      if (outcome === "ok") return;
      if (outcome === "drop") {
        deps.onDrop?.("rejected", ids);
        return;
      }
      const delay = limits.retryDelaysMs[retry];
      if (delay === undefined) {
        deps.onDrop?.("retries-exhausted", ids);
        return;
      }
      await sleep(delay);
    }
  };

  const flush = async (): Promise<void> => {
    if (timer !== undefined) {
      deps.clearTimer(timer);
      timer = undefined;
    }
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    const { chunks, oversized } = chunkEvents(deps.shop, events, limits);
    if (oversized.length > 0)
      deps.onDrop?.(
        "oversized",
        oversized.map((e) => e.id),
      );
    await Promise.all(chunks.map((chunk) => deliver(chunk.body, chunk.ids)));
  };

  const add: Batcher["add"] = (event, options) => {
    if (buffer.length === 0) {
      firstBufferedAt = deps.now();
      timer = deps.setTimer(() => {
        timer = undefined;
        void flush();
      }, limits.flushDelayMs);
    }
    buffer.push(event);
    const due =
      options?.immediate === true ||
      buffer.length >= limits.flushCount ||
      // Worker timers can be throttled in background tabs; don't let a late
      // timer stretch the batch window beyond what we promise the server.
      deps.now() - firstBufferedAt >= limits.flushDelayMs;
    if (due) void flush();
  };

  return { add, flush };
}
