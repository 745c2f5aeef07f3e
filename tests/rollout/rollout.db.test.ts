// Staged rollout on the database: the router splits new entrants between the new and
// the previous version by the customer's stable bucket; the go/no-go criteria count
// each version's raw rows of the stage; the rollouts task halts a breached rollout,
// with the reason, audited; everything scoped by shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryArm } from "~/domain/rollout";
import { resetClock, setClock } from "~/server/clock.server";
import { loadRolloutPage } from "~/server/admin/rollout.server";
import { rolloutAction } from "~/server/admin/rollout-actions.server";
import { recordComplaint } from "~/server/compliance/feedback/record-feedback.server";
import { installCatalogue, saveFlowSettings, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { advanceRollout, checkRunningRollouts, judgeRollout, startRollout } from "~/server/journeys/rollouts.server";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const MIN = 60_000;
const T0 = new Date("2026-12-01T10:00:00Z");
let shopId: string;
let otherShopId: string;
let flowId: string;
let otherFlowId: string;
let v1: string;
let v2: string;

async function shopWithTwoWelcomeVersions(domain: string) {
  const id = (await prisma().shop.create({ data: { domain, name: domain, holdoutPercent: 0 } })).id;
  await installCatalogue(id);
  await setFlowStatus(id, "welcome", "on", "test");
  await saveFlowSettings(id, "welcome", { templates: { email1: "welcome_2" } }, "test", "First email replaced");
  const flow = await prisma().flow.findUniqueOrThrow({ where: { shopId_key: { shopId: id, key: "welcome" } } });
  const versions = await prisma().flowVersion.findMany({ where: { flowId: flow.id }, orderBy: { version: "asc" } });
  return { id, flow, versions };
}

/** n subscribed customers, each with an email_subscribed event to route. */
async function subscribers(prefix: string, n: number, at: Date): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await prisma().customer.create({
      data: {
        shopId,
        email: `${prefix}-${i}@example.com`,
        emailConsentState: "subscribed",
        emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      },
    });
    await prisma().event.create({
      data: { shopId, customerId: c.id, name: "email_subscribed", source: "test", sourceId: `${prefix}:${i}`, occurredAt: at },
    });
    ids.push(c.id);
  }
  return ids;
}

async function routeAll() {
  while ((await routeEvents(200)).claimed > 0);
}

async function versionsOf(customerIds: string[]): Promise<Map<string, string>> {
  const rows = await prisma().enrollment.findMany({ where: { shopId, flowId, customerId: { in: customerIds } } });
  return new Map(rows.map((r) => [r.customerId, r.flowVersionId]));
}

/** One email per entrant, sent at `at`; for every fourth entrant of the new version it failed. */
async function sendFailingForAQuarterOfNew(entries: { id: string; customerId: string; flowVersionId: string }[], at: Date) {
  let n = 0;
  for (const e of entries) {
    const fails = e.flowVersionId === v2 && n++ % 4 === 0;
    await prisma().message.create({
      data: {
        shopId,
        customerId: e.customerId,
        enrollmentId: e.id,
        flowId,
        channel: "email",
        idempotencyKey: `rollout-test:${e.id}`,
        status: fails ? "failed" : "sent",
        sentAt: fails ? null : at,
        toAddress: "x@example.com",
        templateKey: "welcome_1",
      },
    });
  }
}

beforeAll(async () => {
  setClock(T0);
  const a = await shopWithTwoWelcomeVersions("rollout-a.myshopify.com");
  shopId = a.id;
  flowId = a.flow.id;
  [v1, v2] = a.versions.map((v) => v.id) as [string, string];
  expect(a.flow.activeVersionId).toBe(v2);
  const b = await shopWithTwoWelcomeVersions("rollout-b.myshopify.com");
  otherShopId = b.id;
  otherFlowId = b.flow.id;
});
afterAll(() => resetClock());

describe("staged rollout", () => {
  it("refuses another shop's flow id and leaves that flow as it was", async () => {
    const before = await prisma().flow.findUniqueOrThrow({ where: { id: otherFlowId } });
    for (const intent of [
      { intent: "start" },
      { intent: "advance", from: 10 },
      { intent: "halt" },
      { intent: "resume" },
      { intent: "rollBack" },
    ] as const) {
      expect(await rolloutAction({ id: shopId }, otherFlowId, intent, "attacker")).toEqual({ ok: false, reason: "not_found" });
    }
    expect(await loadRolloutPage({ id: shopId }, otherFlowId, "en")).toBeNull();
    expect(await judgeRollout(shopId, otherFlowId, T0)).toBeNull();
    expect(await prisma().flow.findUniqueOrThrow({ where: { id: otherFlowId } })).toEqual(before);
    expect(await prisma().auditLog.count({ where: { shopId: otherShopId, action: { startsWith: "flow.rollout" } } })).toBe(0);
  });

  it("at 10 %: the customers in the stage's share enter the new version, every other one the previous version (none left out)", async () => {
    expect(await startRollout(shopId, flowId, "merchant")).toEqual({ ok: true });
    expect(await startRollout(shopId, flowId, "merchant")).toEqual({ ok: false, reason: "already_staged" });
    const flow = await prisma().flow.findUniqueOrThrow({ where: { id: flowId } });
    expect(flow).toMatchObject({ rolloutBaseVersionId: v1, rolloutPercent: 10, rolloutHaltedAt: null });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { shopId, action: "flow.rollout_started" } });
    expect(audit).toMatchObject({
      actor: "merchant",
      subjectId: flowId,
      details: { after: { versionId: v2, baseVersionId: v1, percent: 10 } },
    });

    const ids = await subscribers("ten", 80, T0);
    await routeAll();
    const got = await versionsOf(ids);
    expect(got.size).toBe(80);
    for (const id of ids) expect(got.get(id), id).toBe(entryArm(id, flowId, { percent: 10, halted: false }) === "new" ? v2 : v1);
    const onNew = ids.filter((id) => got.get(id) === v2).length;
    expect(onNew).toBeGreaterThan(0);
    expect(onNew).toBeLessThan(20);
  });

  it("at 50 %: the same split rule with the larger share; a second click on 'advance' from 10 % changes nothing", async () => {
    setClock(new Date(T0.getTime() + 60 * MIN));
    expect(await advanceRollout(shopId, flowId, 10, "merchant")).toEqual({ ok: true });
    expect(await advanceRollout(shopId, flowId, 10, "merchant")).toEqual({ ok: false, reason: "stale" });
    expect((await prisma().flow.findUniqueOrThrow({ where: { id: flowId } })).rolloutPercent).toBe(50);
    const ids = await subscribers("fifty", 90, new Date(T0.getTime() + 60 * MIN));
    await routeAll();
    const got = await versionsOf(ids);
    expect(got.size).toBe(90);
    for (const id of ids) expect(got.get(id), id).toBe(entryArm(id, flowId, { percent: 50, halted: false }) === "new" ? v2 : v1);
    const onNew = ids.filter((id) => got.get(id) === v2).length;
    expect(onNew).toBeGreaterThan(25);
    expect(onNew).toBeLessThan(65);
  });

  it("judges each stage from its own entrants' messages; the task halts the rollout on a breach, with the reason, audited", async () => {
    const at = new Date(T0.getTime() + 90 * MIN);
    setClock(at);
    // The 50 % stage's entrants: every message of the new version fails for a quarter of them.
    const enrollments = await prisma().enrollment.findMany({
      where: { shopId, flowId, enteredAt: { gte: new Date(T0.getTime() + 60 * MIN) } },
    });
    await sendFailingForAQuarterOfNew(enrollments, at);
    // Two recipients of the new version press "spam": their ARF reports as recorded by /feedback.
    const complainedOf = await prisma().message.findMany({ where: { flowId, status: "sent", enrollment: { flowVersionId: v2 } }, take: 2 });
    for (const m of complainedOf) {
      const ref = { shopId, customerId: m.customerId!, messageId: m.id };
      expect(await recordComplaint(ref, { feedbackType: "abuse", userAgent: null }, new Date(at.getTime() - MIN))).toBe("recorded");
    }
    const judged = await judgeRollout(shopId, flowId, at);
    expect(judged!.stages.map((s) => [s.percent, s.judgement.verdict])).toEqual([
      [10, "waiting"],
      [50, "no_go"],
    ]);
    const fifty = judged!.stages[1]!;
    const newCount = enrollments.filter((e) => e.flowVersionId === v2).length;
    const failed = Math.ceil(newCount / 4);
    expect(fifty.counts.new).toMatchObject({ entered: newCount, attempted: newCount, failed, sent: newCount - failed, complained: 2 });
    expect(fifty.counts.base).toMatchObject({ entered: 90 - newCount, attempted: 90 - newCount, failed: 0, complained: 0 });
    expect(fifty.judgement.criteria.find((c) => c.key === "sendErrors")!.state).toBe("breach");

    expect(await checkRunningRollouts(at)).toEqual({ checked: 1, halted: 1 });
    expect(await checkRunningRollouts(at)).toEqual({ checked: 0, halted: 0 });
    const flow = await prisma().flow.findUniqueOrThrow({ where: { id: flowId } });
    expect(flow.rolloutHaltedAt!.getTime()).toBeGreaterThanOrEqual(at.getTime());
    expect(flow.rolloutHaltReason).toMatchObject({
      by: "check",
      stage: 50,
      criterion: "sendErrors",
      baseValue: 0,
      threshold: { kind: "points", value: 0.02 },
      limit: 0.02,
    });
    // jsonb keeps a number to 15-16 significant digits: equal up to that rounding.
    expect((flow.rolloutHaltReason as { newValue: number }).newValue).toBeCloseTo(failed / newCount, 12);
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { shopId, action: "flow.rollout_halted" } });
    expect(audit).toMatchObject({ actor: "system", details: { reason: { criterion: "sendErrors" }, before: { halted: false } } });

    const page = await loadRolloutPage({ id: shopId }, flowId, "pl");
    expect(page!.rollout).toMatchObject({ percent: 50, halted: true, haltReason: { criterion: "sendErrors" } });
  });

  it("while halted every new entrant takes the previous version; resumed, the split is back", async () => {
    const ids = await subscribers("halted", 30, new Date(T0.getTime() + 95 * MIN));
    await routeAll();
    expect(new Set((await versionsOf(ids)).values())).toEqual(new Set([v1]));
    expect(await rolloutAction({ id: shopId }, flowId, { intent: "resume" }, "merchant")).toEqual({ ok: true });
    expect(await prisma().flow.findUniqueOrThrow({ where: { id: flowId } })).toMatchObject({
      rolloutHaltedAt: null,
      rolloutHaltReason: null,
    });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { shopId, action: "flow.rollout_resumed" } });
    expect(audit.details).toMatchObject({ before: { halted: true, haltReason: { criterion: "sendErrors" } }, after: { halted: false } });
  });

  it("resumed, the check judges from the resume on: the overruled evidence does not halt it again, new evidence does", async () => {
    const resumedAt = new Date(T0.getTime() + 95 * MIN);
    const stages = (await prisma().flow.findUniqueOrThrow({ where: { id: flowId } })).rolloutStages as {
      percent: number;
      resumed?: boolean;
    }[];
    expect(stages.map((x) => [x.percent, x.resumed ?? false])).toEqual([
      [10, false],
      [50, false],
      [50, true],
    ]);
    // The 50 % stage's failures before the resume are still there; the merchant overruled them.
    setClock(new Date(resumedAt.getTime() + 5 * MIN));
    expect(await checkRunningRollouts()).toEqual({ checked: 1, halted: 0 });
    const judged = await judgeRollout(shopId, flowId, new Date(resumedAt.getTime() + 5 * MIN));
    expect(judged!.stages.map((x) => [x.percent, x.resumed, x.judgement.verdict])).toEqual([
      [10, false, "waiting"],
      [50, false, "no_go"],
      [50, true, "waiting"],
    ]);

    // After the resume the new version fails again for a quarter of its entrants: halted again.
    const at = new Date(resumedAt.getTime() + 10 * MIN);
    setClock(at);
    const ids = await subscribers("resumed", 120, at);
    await routeAll();
    const entries = await prisma().enrollment.findMany({ where: { shopId, flowId, customerId: { in: ids } } });
    await sendFailingForAQuarterOfNew(entries, at);
    expect(await checkRunningRollouts(new Date(at.getTime() + MIN))).toEqual({ checked: 1, halted: 1 });
    expect(await prisma().flow.findUniqueOrThrow({ where: { id: flowId } })).toMatchObject({
      rolloutHaltReason: { stage: 50, criterion: "sendErrors" },
    });
  });

  it("a version saved during the rollout ends it: the new version takes every new entrant, audited", async () => {
    await saveFlowSettings(shopId, "welcome", { delaysHours: [0, 24, 96] }, "merchant", "Shorter waits");
    const flow = await prisma().flow.findUniqueOrThrow({ where: { id: flowId } });
    expect(flow).toMatchObject({ rolloutBaseVersionId: null, rolloutPercent: 100, rolloutStages: null, rolloutHaltedAt: null });
    expect(flow.activeVersionId).not.toBe(v2);
    expect(await prisma().auditLog.count({ where: { shopId, action: "flow.rollout_ended" } })).toBe(1);
    const ids = await subscribers("after", 15, new Date(T0.getTime() + 100 * MIN));
    await routeAll();
    expect(new Set((await versionsOf(ids)).values())).toEqual(new Set([flow.activeVersionId]));
  });

  it("roll back: the previous version becomes active again as a new version and the rollout ends", async () => {
    expect(await startRollout(shopId, flowId, "merchant")).toEqual({ ok: true });
    const staged = await prisma().flow.findUniqueOrThrow({ where: { id: flowId } });
    const base = await prisma().flowVersion.findUniqueOrThrow({ where: { id: staged.rolloutBaseVersionId! } });
    expect(await rolloutAction({ id: shopId }, flowId, { intent: "rollBack" }, "merchant")).toEqual({ ok: true });
    const flow = await prisma().flow.findUniqueOrThrow({
      where: { id: flowId },
      include: { versions: { orderBy: { version: "desc" }, take: 1 } },
    });
    expect(flow.rolloutBaseVersionId).toBeNull();
    expect(flow.activeVersionId).toBe(flow.versions[0]!.id);
    expect(flow.versions[0]!.definition).toEqual(base.definition);
    expect(flow.versions[0]!.changeNote).toBe(`Rollback to version ${base.version}`);
  });

  it("a first version alone cannot be staged", async () => {
    const custom = await prisma().flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key: "post_purchase" } } });
    expect(await startRollout(shopId, custom.id, "merchant")).toEqual({ ok: false, reason: "no_previous_version" });
  });
});
