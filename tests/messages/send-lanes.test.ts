// sendThroughLanes: how many claimed messages are ever "started" at once, and what a
// stop or a failure leaves unstarted.
import { describe, expect, it } from "vitest";
import { sendThroughLanes } from "~/server/channels/send-lanes.server";

/** A send the test finishes by hand, as a slow provider would. */
function heldSends() {
  const inFlight = new Map<number, () => void>();
  const started: number[] = [];
  let peak = 0;
  return {
    started,
    inFlight,
    peak: () => peak,
    send: (n: number) =>
      new Promise<void>((resolve) => {
        started.push(n);
        inFlight.set(n, () => {
          inFlight.delete(n);
          resolve();
        });
        peak = Math.max(peak, inFlight.size);
      }),
    finishOldest: () => [...inFlight.values()][0]?.(),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("sendThroughLanes", () => {
  it("never has more than `lanes` sends started and unfinished, and sends every prepared item once, in order", async () => {
    const s = heldSends();
    const prepared: number[] = [];
    const done = sendThroughLanes(range(20), {
      lanes: 5,
      ahead: 5,
      prepare: async (n) => (prepared.push(n), n % 4 === 3 ? null : n), // every 4th needs no send
      send: s.send,
    });
    for (let i = 0; i < 200 && s.started.length < 15; i++) {
      await tick();
      expect(s.inFlight.size).toBeLessThanOrEqual(5);
      // The preparer stays at most `ahead` prepared items in front of the senders.
      expect(prepared.length - s.started.length - prepared.filter((n) => n % 4 === 3).length).toBeLessThanOrEqual(5);
      s.finishOldest();
    }
    while (s.inFlight.size > 0) {
      s.finishOldest();
      await tick();
    }
    await done;
    expect(s.peak()).toBe(5);
    expect(s.started).toEqual(range(20).filter((n) => n % 4 !== 3));
  });

  it("when stopped, starts nothing more: the sends in flight finish, the rest is left unstarted", async () => {
    const s = heldSends();
    const stop = new AbortController();
    const done = sendThroughLanes(range(30), { lanes: 5, ahead: 5, signal: stop.signal, prepare: async (n) => n, send: s.send });
    for (let i = 0; i < 50 && s.inFlight.size < 5; i++) await tick();
    expect(s.started).toEqual([0, 1, 2, 3, 4]);
    stop.abort();
    for (let i = 0; i < 5; i++) {
      s.finishOldest();
      await tick();
    }
    await done;
    expect(s.started).toEqual([0, 1, 2, 3, 4]);
  });

  it("after a failed send starts nothing more, lets the others finish, then throws the first error", async () => {
    const s = heldSends();
    let settled = false;
    const done = sendThroughLanes(range(30), {
      lanes: 3,
      ahead: 2,
      prepare: async (n) => n,
      send: async (n) => {
        if (n === 1) throw new Error("database gone");
        await s.send(n);
      },
    }).finally(() => (settled = true));
    const failed = expect(done).rejects.toThrow("database gone");
    for (let i = 0; i < 50; i++) await tick();
    // 0 was on its way when 1 failed (2 too, if a lane had taken it by then); nothing after.
    const before = [...s.started];
    expect(before[0]).toBe(0);
    expect(before.every((n) => n === 0 || n === 2)).toBe(true);
    expect(settled).toBe(false);
    while (s.inFlight.size > 0) {
      s.finishOldest();
      await tick();
    }
    await failed;
    expect(s.started).toEqual(before);
  });

  it("a failing prepare stops the preparing; what was prepared before is still sent", async () => {
    const sent: number[] = [];
    const done = sendThroughLanes(range(10), {
      lanes: 2,
      ahead: 10,
      prepare: async (n) => {
        if (n === 3) throw new Error("render failed");
        return n;
      },
      send: async (n) => void sent.push(n),
    });
    await expect(done).rejects.toThrow("render failed");
    expect(sent).toEqual([0, 1, 2]);
  });
});
