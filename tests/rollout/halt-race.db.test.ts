// The rollouts task's halt meets the merchant on the same flow row: an "advance" click,
// a newly saved version, a rollback, a rollout completed and started again. The check
// judges without a lock (breachedRollouts) and then halts under the flow's lock
// (haltBreached); whatever the merchant commits between the two, the flow must end
// consistent: no halted rollout advanced, no halt recorded against a version that is no
// longer in rollout (or against a later rollout of the same versions), no merchant
// change lost.
//
// The orders are forced step by step (both halves of the check called in turn) on any
// database; on PostgreSQL the whole check also runs concurrently with the merchant,
// queued on a row lock a third session holds (tests/support/lock-waits.ts). PGlite has
// one connection, so that part needs a server.
import crypto from "node:crypto";
import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStages } from "~/domain/rollout";
import { resetClock, setClock } from "~/server/clock.server";
import { installCatalogue, saveFlowSettings, setFlowStatus } from "~/server/journeys/flows.server";
import {
  advanceRollout,
  breachedRollouts,
  checkRunningRollouts,
  completeRollout,
  haltBreached,
  rollBackRollout,
  startRollout,
  type HaltProposal,
} from "~/server/journeys/rollouts.server";
import { useTestDatabase } from "../support/db";
import { untilLockWaiters, whileHolding } from "../support/lock-waits";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const MIN = 60_000;
const T0 = new Date("2026-12-01T10:00:00Z");
const AT = new Date(T0.getTime() + 30 * MIN);

beforeAll(() => setClock(T0));
afterAll(() => resetClock());

interface Staged {
  shopId: string;
  flowId: string;
  /** Version 1 (the base), version 2 (staged at 10 %). */
  v1: string;
  v2: string;
}

let n = 0;

/**
 * A shop whose welcome flow stages version 2 against version 1 from T0, and whose
 * stage's entrants show a breach: a quarter of version 2's messages failed, none of
 * version 1's. The clock stands at AT, when the check runs.
 */
async function stagedWithBreach(): Promise<Staged> {
  setClock(T0);
  const domain = `halt-race-${++n}.myshopify.com`;
  const shopId = (await prisma().shop.create({ data: { domain, name: domain, holdoutPercent: 0 } })).id;
  await installCatalogue(shopId);
  await setFlowStatus(shopId, "welcome", "on", "test");
  await saveFlowSettings(shopId, "welcome", { templates: { email1: "welcome_2" } }, "test", "First email replaced");
  const flow = await prisma().flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key: "welcome" } } });
  const [v1, v2] = (await prisma().flowVersion.findMany({ where: { flowId: flow.id }, orderBy: { version: "asc" } })).map((v) => v.id);
  expect(await startRollout(shopId, flow.id, "merchant")).toEqual({ ok: true });

  const entered = new Date(T0.getTime() + MIN);
  const rows = Array.from({ length: 80 }, (_, i) => ({
    i,
    customerId: crypto.randomUUID(),
    enrollmentId: crypto.randomUUID(),
    versionId: i % 2 === 0 ? v2! : v1!,
  }));
  await prisma().customer.createMany({
    data: rows.map((r) => ({ id: r.customerId, shopId, email: `c${r.i}@${domain}`, emailConsentState: "subscribed" })),
  });
  await prisma().enrollment.createMany({
    data: rows.map((r) => ({
      id: r.enrollmentId,
      shopId,
      flowId: flow.id,
      flowVersionId: r.versionId,
      customerId: r.customerId,
      state: {},
      enteredAt: entered,
    })),
  });
  await prisma().message.createMany({
    data: rows.map((r) => {
      const fails = r.versionId === v2 && r.i % 8 === 0;
      return {
        shopId,
        customerId: r.customerId,
        enrollmentId: r.enrollmentId,
        flowId: flow.id,
        channel: "email",
        idempotencyKey: `halt-race:${r.enrollmentId}`,
        status: fails ? "failed" : "sent",
        sentAt: fails ? null : entered,
        toAddress: `c${r.i}@${domain}`,
        templateKey: "welcome_1",
      };
    }),
  });
  setClock(AT);
  return { shopId, flowId: flow.id, v1: v1!, v2: v2! };
}

/** The check's judgement of this flow (the check judges every running rollout; other tests' flows are theirs). */
async function judged(s: Staged): Promise<HaltProposal> {
  const p = (await breachedRollouts(AT)).breached.find((b) => b.flowId === s.flowId);
  expect(p, "the planted failures breach the send-error criterion").toBeDefined();
  expect(p!.reason).toMatchObject({ by: "check", criterion: "sendErrors", stage: 10 });
  return p!;
}

const flowOf = (s: Staged) => prisma().flow.findUniqueOrThrow({ where: { id: s.flowId } });

async function audits(s: Staged) {
  const rows = await prisma().auditLog.findMany({
    where: { shopId: s.shopId, subjectId: s.flowId, action: { startsWith: "flow.r" } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => ({ action: r.action, details: r.details as Record<string, unknown> }));
}

/**
 * The invariants every interleaving must keep: a halt only on a staged flow, with its
 * reason; no stage advanced after a halt of the same rollout; each halt audited against
 * the versions staged at that moment.
 */
async function expectConsistent(s: Staged) {
  const flow = await flowOf(s);
  if (flow.rolloutBaseVersionId === null) {
    expect(flow).toMatchObject({ rolloutStages: null, rolloutHaltedAt: null, rolloutHaltReason: null, rolloutPercent: 100 });
  } else {
    const stages = parseStages(flow.rolloutStages);
    expect(stages.at(-1)?.percent).toBe(flow.rolloutPercent);
    expect(flow.rolloutHaltedAt === null).toBe(flow.rolloutHaltReason === null);
  }
  // Replays the audit rows: an advance never follows a halt unless a resume or a new
  // rollout came between; a halt's "before" is the rollout as it stood.
  let staged: { versionId: unknown; baseVersionId: unknown } | null = null;
  let halted = false;
  for (const a of await audits(s)) {
    const before = a.details.before as { versionId?: unknown; baseVersionId?: unknown } | undefined;
    if (a.action === "flow.rollout_started") {
      const after = a.details.after as { versionId: unknown; baseVersionId: unknown };
      staged = { versionId: after.versionId, baseVersionId: after.baseVersionId };
      halted = false;
    } else if (a.action === "flow.rollout_halted") {
      expect(staged, "halted with no rollout").not.toBeNull();
      expect(halted, "halted twice").toBe(false);
      expect({ versionId: before?.versionId, baseVersionId: before?.baseVersionId }).toEqual(staged);
      halted = true;
    } else if (a.action === "flow.rollout_advanced") {
      expect(staged, "advanced with no rollout").not.toBeNull();
      expect(halted, "a halted rollout advanced").toBe(false);
    } else if (a.action === "flow.rollout_resumed") {
      halted = false;
    } else if (a.action === "flow.rollout_ended" || a.action === "flow.rollout_completed") {
      staged = null;
      halted = false;
    }
  }
  expect(flow.rolloutHaltedAt !== null).toBe(halted);
}

const count = (rows: { action: string }[], action: string) => rows.filter((r) => r.action === action).length;

describe("the halt meets the merchant's 'advance'", () => {
  it("halt first: the click from the page loaded before it is refused; the rollout stays halted at 10 %", async () => {
    const s = await stagedWithBreach();
    const p = await judged(s);
    expect(await haltBreached(p)).toEqual({ ok: true });
    expect(await advanceRollout(s.shopId, s.flowId, 10, "merchant", s.v2)).toEqual({ ok: false, reason: "halted" });
    expect(await flowOf(s)).toMatchObject({ rolloutPercent: 10, rolloutHaltReason: { criterion: "sendErrors", stage: 10 } });
    expect(count(await audits(s), "flow.rollout_advanced")).toBe(0);
    await expectConsistent(s);
  });

  it("advance between the check's judging and its halt: the breach stands (same rollout), so it halts at 50 % and nothing advances after", async () => {
    const s = await stagedWithBreach();
    const p = await judged(s);
    expect(await advanceRollout(s.shopId, s.flowId, 10, "merchant", s.v2)).toEqual({ ok: true });
    expect(await haltBreached(p)).toEqual({ ok: true });
    expect(await advanceRollout(s.shopId, s.flowId, 50, "merchant", s.v2)).toEqual({ ok: false, reason: "halted" });
    const flow = await flowOf(s);
    expect(flow).toMatchObject({ rolloutPercent: 50, rolloutBaseVersionId: s.v1, activeVersionId: s.v2 });
    expect(parseStages(flow.rolloutStages).map((x) => x.percent)).toEqual([10, 50]);
    expect(flow.rolloutHaltedAt).not.toBeNull();
    expect((await audits(s)).map((a) => a.action)).toEqual(["flow.rollout_started", "flow.rollout_advanced", "flow.rollout_halted"]);
    await expectConsistent(s);
  });
});

describe("the halt meets a newly saved version", () => {
  it("a version saved between judging and halting ended the rollout: the halt is not recorded", async () => {
    const s = await stagedWithBreach();
    const p = await judged(s);
    await saveFlowSettings(s.shopId, "welcome", { delaysHours: [0, 24, 96] }, "merchant", "Shorter waits");
    expect(await haltBreached(p)).toEqual({ ok: false, reason: "not_staged" });
    const flow = await flowOf(s);
    expect(flow.activeVersionId).not.toBe(s.v2);
    expect(count(await audits(s), "flow.rollout_halted")).toBe(0);
    await expectConsistent(s);
  });

  it("...and a rollout of that new version started meanwhile is not halted by the old judgement", async () => {
    const s = await stagedWithBreach();
    const p = await judged(s);
    await saveFlowSettings(s.shopId, "welcome", { delaysHours: [0, 24, 96] }, "merchant", "Shorter waits");
    expect(await startRollout(s.shopId, s.flowId, "merchant")).toEqual({ ok: true });
    expect(await haltBreached(p)).toEqual({ ok: false, reason: "stale" });
    const flow = await flowOf(s);
    expect(flow).toMatchObject({ rolloutBaseVersionId: s.v2, rolloutHaltedAt: null, rolloutPercent: 10 });
    await expectConsistent(s);
  });

  it("halt first, then the save: the new version takes every entrant, the halt ends with the rollout it was recorded on", async () => {
    const s = await stagedWithBreach();
    expect(await haltBreached(await judged(s))).toEqual({ ok: true });
    await saveFlowSettings(s.shopId, "welcome", { delaysHours: [0, 24, 96] }, "merchant", "Shorter waits");
    const flow = await flowOf(s);
    expect(flow.activeVersionId).not.toBe(s.v2);
    const rows = await audits(s);
    expect(rows.map((a) => a.action)).toEqual(["flow.rollout_started", "flow.rollout_halted", "flow.rollout_ended"]);
    expect(rows[2]!.details).toMatchObject({ before: { versionId: s.v2, baseVersionId: s.v1 } });
    await expectConsistent(s);
  });
});

describe("the halt meets a rollback", () => {
  it("a rollback between judging and halting: version 1's content is active again, no halt recorded", async () => {
    const s = await stagedWithBreach();
    const p = await judged(s);
    expect(await rollBackRollout(s.shopId, s.flowId, "merchant", s.v2)).toEqual({ ok: true });
    expect(await haltBreached(p)).toEqual({ ok: false, reason: "not_staged" });
    const flow = await prisma().flow.findUniqueOrThrow({
      where: { id: s.flowId },
      include: { versions: { orderBy: { version: "desc" }, take: 1 } },
    });
    const base = await prisma().flowVersion.findUniqueOrThrow({ where: { id: s.v1 } });
    expect(flow.activeVersionId).toBe(flow.versions[0]!.id);
    expect(flow.versions[0]!.definition).toEqual(base.definition);
    expect(count(await audits(s), "flow.rollout_halted")).toBe(0);
    await expectConsistent(s);
  });

  it("halt first, then the rollback (what a merchant does after a halt): rolled back, the halt ends with its rollout", async () => {
    const s = await stagedWithBreach();
    expect(await haltBreached(await judged(s))).toEqual({ ok: true });
    expect(await rollBackRollout(s.shopId, s.flowId, "merchant", s.v2)).toEqual({ ok: true });
    expect(await flowOf(s)).toMatchObject({ rolloutBaseVersionId: null, rolloutHaltedAt: null });
    await expectConsistent(s);
  });

  it("a rollback from a page a newly saved version has outdated is refused: the merchant's new version is not thrown away", async () => {
    const s = await stagedWithBreach();
    await saveFlowSettings(s.shopId, "welcome", { delaysHours: [0, 24, 96] }, "merchant", "Shorter waits");
    expect(await startRollout(s.shopId, s.flowId, "merchant")).toEqual({ ok: true });
    const staged = await flowOf(s);
    // The page showed version 2 staged; version 3 is staged now (against version 2).
    expect(await rollBackRollout(s.shopId, s.flowId, "merchant", s.v2)).toEqual({ ok: false, reason: "stale" });
    expect(await advanceRollout(s.shopId, s.flowId, 10, "merchant", s.v2)).toEqual({ ok: false, reason: "stale" });
    expect(await flowOf(s)).toMatchObject({ activeVersionId: staged.activeVersionId, rolloutPercent: 10 });
    await expectConsistent(s);
  });
});

describe("the halt meets a rollout completed and started again over the same two versions", () => {
  it("the old judgement (other stage windows) is not applied to the new rollout", async () => {
    const s = await stagedWithBreach();
    const p = await judged(s);
    setClock(new Date(AT.getTime() + MIN));
    expect(await advanceRollout(s.shopId, s.flowId, 10, "merchant", s.v2)).toEqual({ ok: true });
    expect(await advanceRollout(s.shopId, s.flowId, 50, "merchant", s.v2)).toEqual({ ok: true });
    expect(await completeRollout(s.shopId, s.flowId, "merchant")).toEqual({ ok: true });
    setClock(new Date(AT.getTime() + 2 * MIN));
    expect(await startRollout(s.shopId, s.flowId, "merchant")).toEqual({ ok: true });
    expect(await flowOf(s)).toMatchObject({ activeVersionId: s.v2, rolloutBaseVersionId: s.v1 });
    expect(await haltBreached(p)).toEqual({ ok: false, reason: "stale" });
    expect((await flowOf(s)).rolloutHaltedAt).toBeNull();
    await expectConsistent(s);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("the whole check and the merchant at the same moment (PostgreSQL)", () => {
  const holdFlow = (s: Staged) => (tx: Prisma.TransactionClient) =>
    tx.$queryRawUnsafe(`SELECT id FROM "Flow" WHERE id = $1 FOR UPDATE`, s.flowId);

  /**
   * A third session holds the flow's row: `first` runs until it waits on it, then
   * `second` until it waits too (each after whatever it reads unlocked); released, they
   * take the row in that order.
   */
  function queued<A, B>(s: Staged, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
    return whileHolding(
      getDb(),
      holdFlow(s),
      async () => {
        const a = first();
        a.catch(() => undefined);
        await untilLockWaiters(getDb(), 1);
        return Promise.all([a, second()]);
      },
      2,
    );
  }

  const check = () => checkRunningRollouts(AT);
  const haltedHere = async (s: Staged) => count(await audits(s), "flow.rollout_halted");

  it("advance queued first, the check second: advanced to 50 %, then halted; nothing advances after", async () => {
    const s = await stagedWithBreach();
    const [adv] = await queued(s, () => advanceRollout(s.shopId, s.flowId, 10, "merchant", s.v2), check);
    expect(adv).toEqual({ ok: true });
    expect(await flowOf(s)).toMatchObject({ rolloutPercent: 50 });
    expect((await flowOf(s)).rolloutHaltedAt).not.toBeNull();
    await expectConsistent(s);
  });

  it("the check queued first, advance second: halted at 10 %, the click refused", async () => {
    const s = await stagedWithBreach();
    const [, adv] = await queued(s, check, () => advanceRollout(s.shopId, s.flowId, 10, "merchant", s.v2));
    expect(adv).toEqual({ ok: false, reason: "halted" });
    expect(await flowOf(s)).toMatchObject({ rolloutPercent: 10 });
    expect(await haltedHere(s)).toBe(1);
    await expectConsistent(s);
  });

  it("a save queued first, the check second: the save ends the rollout and the halt is not recorded", async () => {
    const s = await stagedWithBreach();
    await queued(s, () => saveFlowSettings(s.shopId, "welcome", { delaysHours: [0, 24, 96] }, "merchant", "Shorter waits"), check);
    expect((await flowOf(s)).rolloutBaseVersionId).toBeNull();
    expect(await haltedHere(s)).toBe(0);
    await expectConsistent(s);
  });

  it("the check queued first, a save second: halted, then the save ends that rollout; the save is not lost", async () => {
    const s = await stagedWithBreach();
    const [, version] = await queued(s, check, () =>
      saveFlowSettings(s.shopId, "welcome", { delaysHours: [0, 24, 96] }, "merchant", "Shorter waits"),
    );
    expect(version).toBe(3);
    const flow = await flowOf(s);
    expect(flow.rolloutBaseVersionId).toBeNull();
    expect((await prisma().flowVersion.findUniqueOrThrow({ where: { id: flow.activeVersionId! } })).version).toBe(3);
    expect(await haltedHere(s)).toBe(1);
    await expectConsistent(s);
  });

  it("a rollback queued first, the check second: rolled back, no halt recorded", async () => {
    const s = await stagedWithBreach();
    const [rb] = await queued(s, () => rollBackRollout(s.shopId, s.flowId, "merchant", s.v2), check);
    expect(rb).toEqual({ ok: true });
    expect(await haltedHere(s)).toBe(0);
    await expectConsistent(s);
  });

  it("the check queued first, a rollback second: halted, then rolled back", async () => {
    const s = await stagedWithBreach();
    const [, rb] = await queued(s, check, () => rollBackRollout(s.shopId, s.flowId, "merchant", s.v2));
    expect(rb).toEqual({ ok: true });
    expect(await haltedHere(s)).toBe(1);
    expect((await flowOf(s)).rolloutBaseVersionId).toBeNull();
    await expectConsistent(s);
  });

  it("a rollout completed and started again while the check is still judging the old one: the new one is not halted", async () => {
    const s = await stagedWithBreach();
    // This flow's rollout alone is running, so the check reads it before anything else.
    await prisma().flow.updateMany({
      where: { id: { not: s.flowId }, rolloutBaseVersionId: { not: null } },
      data: { rolloutHaltedAt: T0, rolloutHaltReason: { by: "merchant", at: T0.toISOString() } },
    });
    // The check reads the flow, then its counts wait on the message events a third
    // session has locked; the merchant's clicks run to the end meanwhile.
    let merchant: Promise<unknown> | undefined;
    const result = await whileHolding(
      getDb(),
      (tx) => tx.$executeRawUnsafe(`LOCK TABLE "MessageEvent" IN ACCESS EXCLUSIVE MODE`),
      async () => {
        const c = check();
        await untilLockWaiters(getDb(), 1);
        merchant = (async () => {
          setClock(new Date(AT.getTime() + MIN));
          await advanceRollout(s.shopId, s.flowId, 10, "merchant", s.v2);
          await advanceRollout(s.shopId, s.flowId, 50, "merchant", s.v2);
          await completeRollout(s.shopId, s.flowId, "merchant");
          setClock(new Date(AT.getTime() + 2 * MIN));
          return startRollout(s.shopId, s.flowId, "merchant");
        })();
        return c;
      },
      async () => {
        while (!merchant) await new Promise((r) => setTimeout(r, 10));
        await merchant;
      },
    );
    expect(result).toEqual({ checked: 1, halted: 0 });
    expect(await merchant).toEqual({ ok: true });
    expect(await flowOf(s)).toMatchObject({ activeVersionId: s.v2, rolloutBaseVersionId: s.v1, rolloutHaltedAt: null });
    expect(await haltedHere(s)).toBe(0);
    await expectConsistent(s);
  });
});
