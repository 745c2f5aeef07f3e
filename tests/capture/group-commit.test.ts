import { describe, expect, it } from "vitest";
import { GroupCommitter } from "~/server/db/group-commit.server";

/** A write whose completion the test controls, recording what happened in order. */
function controlledWrites(log: string[]) {
  const pending: { items: number[]; finish: (ok: boolean) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      log.push(`write ${items.join(",")}`);
      pending.push({ items, finish: (ok) => (ok ? resolve(items.map((i) => `ok ${i}`)) : reject(new Error(`failed ${items.join(",")}`))) });
    });
  return { write, pending };
}
const settle = () => new Promise((r) => setImmediate(r));

describe("GroupCommitter", () => {
  it("writes an idle caller's item at once and the items that arrive meanwhile together, answering each after its own write", async () => {
    const log: string[] = [];
    const { write, pending } = controlledWrites(log);
    const committer = new GroupCommitter(write, 100, 1);
    const answers: string[] = [];
    const submit = (n: number) => committer.submit(n).then((r) => void answers.push(r));
    const all = [submit(1), submit(2), submit(3), submit(4)];
    expect(log).toEqual(["write 1"]);
    pending[0]!.finish(true);
    await settle();
    expect(answers).toEqual(["ok 1"]);
    expect(log).toEqual(["write 1", "write 2,3,4"]);
    pending[1]!.finish(true);
    await Promise.all(all);
    expect(answers).toEqual(["ok 1", "ok 2", "ok 3", "ok 4"]);
  });

  it("sends the next group before the finished group's callers resume", async () => {
    const log: string[] = [];
    const { write, pending } = controlledWrites(log);
    const committer = new GroupCommitter(write, 100, 1);
    const first = committer.submit(1).then(() => void log.push("caller 1 resumed"));
    const second = committer.submit(2).then(() => void log.push("caller 2 resumed"));
    pending[0]!.finish(true);
    await first;
    expect(log).toEqual(["write 1", "write 2", "caller 1 resumed"]);
    pending[1]!.finish(true);
    await second;
  });

  it("fails only the callers of a failed write; the next group still goes", async () => {
    const log: string[] = [];
    const { write, pending } = controlledWrites(log);
    const committer = new GroupCommitter(write, 100, 1);
    const a = committer.submit(1);
    const b = committer.submit(2);
    const c = committer.submit(3);
    pending[0]!.finish(false);
    await expect(a).rejects.toThrow("failed 1");
    expect(log).toEqual(["write 1", "write 2,3"]);
    pending[1]!.finish(true);
    await expect(b).resolves.toBe("ok 2");
    await expect(c).resolves.toBe("ok 3");
  });

  it("caps a group at maxItems and keeps at most maxInFlight writes going", async () => {
    const log: string[] = [];
    const { write, pending } = controlledWrites(log);
    const committer = new GroupCommitter(write, 2, 2);
    const all = [1, 2, 3, 4, 5, 6].map((n) => committer.submit(n));
    // Two writes in flight at once: the second caller does not wait for the first.
    expect(log).toEqual(["write 1", "write 2"]);
    pending[0]!.finish(true);
    await settle();
    expect(log).toEqual(["write 1", "write 2", "write 3,4"]);
    pending[1]!.finish(true);
    await settle();
    expect(log).toEqual(["write 1", "write 2", "write 3,4", "write 5,6"]);
    pending[2]!.finish(true);
    pending[3]!.finish(true);
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `ok ${n}`));
  });
});
