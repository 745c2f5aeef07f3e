// sendInWindow: how many claimed messages are exposed as "sending" at once.
import { describe, expect, it } from "vitest";
import { sendInWindow } from "~/server/channels/send-window.server";

/** A send that lands when the test says so. */
function controlledSends() {
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  const send = (item: number) => new Promise<void>((resolve, reject) => pending.set(item, { resolve, reject }));
  const land = async (item: number, error?: Error) => {
    const p = pending.get(item)!;
    pending.delete(item);
    if (error) p.reject(error);
    else p.resolve();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { pending, send, land };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("sendInWindow", () => {
  it("marks the next items only once half the window has landed, and never has more than the window unsettled", async () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    const marked: number[][] = [];
    const { pending, send, land } = controlledSends();
    let unsettledMax = 0;
    const done = sendInWindow(
      items,
      10,
      async (chunk) => (marked.push(chunk), chunk),
      (item) => {
        unsettledMax = Math.max(unsettledMax, pending.size + 1);
        return send(item);
      },
    );
    await tick();
    expect(marked).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    for (const i of [0, 1, 2, 3]) await land(i);
    await tick();
    expect(marked).toHaveLength(1); // 6 still out: more than half the window
    await land(4);
    await tick();
    expect(marked[1]).toEqual([10, 11, 12, 13, 14]); // refilled up to 10 unsettled
    while (pending.size > 0) {
      await land([...pending.keys()][0]!);
      await tick();
    }
    await done;
    expect(marked.flat()).toEqual(items);
    expect(unsettledMax).toBe(10);
  });

  it("sends only what could be marked (a lost claim drops the item)", async () => {
    const sent: number[] = [];
    await sendInWindow(
      [1, 2, 3, 4, 5, 6],
      4,
      async (chunk) => chunk.filter((i) => i % 2 === 0),
      async (i) => void sent.push(i),
    );
    expect(sent).toEqual([2, 4, 6]);
  });

  it("after a failed send marks nothing more, lets the sends in flight finish, then throws the error", async () => {
    const marked: number[] = [];
    const { pending, send, land } = controlledSends();
    const done = sendInWindow([1, 2, 3, 4, 5, 6, 7, 8], 4, async (chunk) => (marked.push(...chunk), chunk), send);
    const outcome = done.then(
      () => "resolved",
      (e: Error) => e.message,
    );
    await tick();
    await land(1, new Error("database gone"));
    await land(2);
    await land(3);
    await tick();
    expect(marked).toEqual([1, 2, 3, 4]);
    expect(pending.has(4)).toBe(true);
    let settled = false;
    void outcome.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false); // still waiting for 4
    await land(4);
    expect(await outcome).toBe("database gone");
  });

  it("after a failed mark lets the sends in flight finish, then throws", async () => {
    const { send, land } = controlledSends();
    let calls = 0;
    const done = sendInWindow(
      [1, 2, 3, 4, 5, 6],
      4,
      async (chunk) => {
        if (calls++ > 0) throw new Error("mark failed");
        return chunk;
      },
      send,
    );
    const outcome = done.then(
      () => "resolved",
      (e: Error) => e.message,
    );
    await tick();
    for (const i of [1, 2]) await land(i);
    await tick();
    for (const i of [3, 4]) await land(i);
    expect(await outcome).toBe("mark failed");
  });
});
