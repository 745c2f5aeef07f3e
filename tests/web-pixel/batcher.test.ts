import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createBatcher, type BatcherDeps } from "../../extensions/web-pixel/src/batcher";
import { isImmediateEvent } from "../../extensions/web-pixel/src/events";
import { createSender, type FetchLike, type SendOutcome } from "../../extensions/web-pixel/src/transport";
import { byteLength, type WireBody } from "../../extensions/web-pixel/src/wire";
import { SHOP_DOMAIN, wireEvent } from "./fixtures";

const ENDPOINT = "https://app.flowmate.test/api/pixel/events";

function setup(send: BatcherDeps["send"], extra: Partial<BatcherDeps> = {}) {
  const onDrop = vi.fn();
  const batcher = createBatcher({
    shop: SHOP_DOMAIN,
    send,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    onDrop,
    ...extra,
  });
  return { batcher, onDrop };
}

const okSend = () => vi.fn(async (_body: string): Promise<SendOutcome> => "ok");
const bodies = (send: ReturnType<typeof vi.fn>) => send.mock.calls.map((c) => JSON.parse(c[0] as string) as WireBody);
const ids = (body: WireBody) => body.events.map((e) => e.id);

/** Batcher wired to the real transport over a scripted fetch, to test status handling end to end. */
function withFetch(statuses: Array<number | Error>) {
  const calls: Array<{ at: number; body: string }> = [];
  const start = Date.now();
  const fetch = vi.fn<FetchLike>(async (_url, init) => {
    calls.push({ at: Date.now() - start, body: init.body as string });
    const next = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
    if (next instanceof Error) throw next;
    return { status: next, ok: next >= 200 && next < 300 };
  });
  const send = createSender({ endpoint: ENDPOINT, fetch, sendBeacon: undefined });
  return { calls, fetch, ...setup(send) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2024-05-14T17:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("flush rules", () => {
  it("flushes when 20 events are buffered", async () => {
    const send = okSend();
    const { batcher } = setup(send);
    for (let i = 0; i < 19; i++) batcher.add(wireEvent(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(send).not.toHaveBeenCalled();
    batcher.add(wireEvent(19));
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(1);
    expect(ids(bodies(send)[0]!)).toEqual(Array.from({ length: 20 }, (_, i) => `sh-test-${i}`));
  });

  it("flushes 500 ms after the first buffered event, not after the latest", async () => {
    const send = okSend();
    const { batcher } = setup(send);
    batcher.add(wireEvent(1));
    await vi.advanceTimersByTimeAsync(300);
    batcher.add(wireEvent(2));
    await vi.advanceTimersByTimeAsync(199);
    expect(send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(1);
    expect(ids(bodies(send)[0]!)).toEqual(["sh-test-1", "sh-test-2"]);
  });

  it("starts a fresh window after a flush and sends nothing when idle", async () => {
    const send = okSend();
    const { batcher } = setup(send);
    batcher.add(wireEvent(1));
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(send).toHaveBeenCalledTimes(1);
    batcher.add(wireEvent(2));
    await vi.advanceTimersByTimeAsync(499);
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(2);
    expect(ids(bodies(send)[1]!)).toEqual(["sh-test-2"]);
  });

  it("flushes on add when a throttled timer is late", async () => {
    const send = okSend();
    // Timers that never fire, as in a heavily throttled background worker.
    const { batcher } = setup(send, { setTimer: () => 1, clearTimer: () => {} });
    batcher.add(wireEvent(1));
    vi.setSystemTime(Date.now() + 700);
    batcher.add(wireEvent(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(ids(bodies(send)[0]!)).toEqual(["sh-test-1", "sh-test-2"]);
  });

  it("flushes flow-driving events immediately, together with what was buffered", async () => {
    for (const name of [
      "product_viewed",
      "product_added_to_cart",
      "product_removed_from_cart",
      "cart_viewed",
      "checkout_started",
      "checkout_contact_info_submitted",
      "checkout_completed",
    ]) {
      expect(isImmediateEvent(name)).toBe(true);
    }
    for (const name of ["page_viewed", "collection_viewed", "search_submitted"]) {
      expect(isImmediateEvent(name)).toBe(false);
    }

    const send = okSend();
    const { batcher } = setup(send);
    batcher.add(wireEvent(1));
    batcher.add({ ...wireEvent(2), name: "checkout_completed" }, { immediate: true });
    expect(send).toHaveBeenCalledTimes(1);
    expect(ids(bodies(send)[0]!)).toEqual(["sh-test-1", "sh-test-2"]);
    // The pending window timer was cancelled: nothing else goes out.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(send).toHaveBeenCalledTimes(1);
  });
});

describe("request splitting", () => {
  it("never puts more than 100 events in a body", async () => {
    const send = okSend();
    const { batcher } = setup(send, { limits: { flushCount: 1_000 } });
    for (let i = 0; i < 230; i++) batcher.add(wireEvent(i));
    await batcher.flush();
    expect(bodies(send).map((b) => b.events.length)).toEqual([100, 100, 30]);
    expect(bodies(send).flatMap(ids)).toEqual(Array.from({ length: 230 }, (_, i) => `sh-test-${i}`));
  });

  it("never sends a body over 60 KB", async () => {
    const send = okSend();
    const { batcher } = setup(send);
    // 20 events of ~7 KB: one flush worth ~140 KB, so at least 3 requests.
    for (let i = 0; i < 20; i++) batcher.add(wireEvent(i, 7_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(send.mock.calls.length).toBeGreaterThanOrEqual(3);
    for (const [body] of send.mock.calls) expect(byteLength(body)).toBeLessThanOrEqual(60 * 1024);
    expect(bodies(send).flatMap(ids)).toHaveLength(20);
    expect(new Set(bodies(send).flatMap(ids)).size).toBe(20);
  });

  it("drops (and reports) a single event that cannot fit in any body", async () => {
    const send = okSend();
    const { batcher, onDrop } = setup(send);
    batcher.add(wireEvent(1, 70 * 1024));
    batcher.add(wireEvent(2));
    await batcher.flush();
    expect(onDrop).toHaveBeenCalledWith("oversized", ["sh-test-1"]);
    expect(bodies(send).flatMap(ids)).toEqual(["sh-test-2"]);
  });
});

describe("retries", () => {
  it("retries a 5xx with 1 s / 2 s backoff, resending the same body and ids", async () => {
    const { calls, batcher, onDrop } = withFetch([503, 502, 200]);
    batcher.add(wireEvent(1));
    batcher.add(wireEvent(2), { immediate: true });
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls.map((c) => c.at)).toEqual([0, 1_000, 3_000]);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    expect(ids(JSON.parse(calls[2]!.body) as WireBody)).toEqual(["sh-test-1", "sh-test-2"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(3);
    expect(onDrop).not.toHaveBeenCalled();
  });

  it("stops after 3 retries (1 s, 2 s, 4 s) and reports the loss", async () => {
    const { calls, batcher, onDrop } = withFetch([500]);
    batcher.add(wireEvent(1), { immediate: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.map((c) => c.at)).toEqual([0, 1_000, 3_000, 7_000]);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    expect(onDrop).toHaveBeenCalledWith("retries-exhausted", ["sh-test-1"]);
  });

  it("retries network errors and 429 with the same event ids", async () => {
    const { calls, batcher } = withFetch([new TypeError("Failed to fetch"), 429, 204]);
    batcher.add(wireEvent(7), { immediate: true });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(ids(JSON.parse(call.body) as WireBody)).toEqual(["sh-test-7"]);
  });

  it("does not retry a 400", async () => {
    const { calls, batcher, onDrop } = withFetch([400, 200]);
    batcher.add(wireEvent(1), { immediate: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(onDrop).toHaveBeenCalledWith("rejected", ["sh-test-1"]);
  });

  it("keeps batching new events while an earlier body is being retried", async () => {
    const { calls, batcher } = withFetch([500, 200]);
    batcher.add(wireEvent(1), { immediate: true });
    batcher.add(wireEvent(2), { immediate: true });
    await vi.advanceTimersByTimeAsync(5_000);
    const sent = calls.map((c) => ids(JSON.parse(c.body) as WireBody));
    expect(sent).toEqual([["sh-test-1"], ["sh-test-2"], ["sh-test-1"]]);
  });
});
