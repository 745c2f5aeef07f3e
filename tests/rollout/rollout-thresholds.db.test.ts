// Per-shop go/no-go thresholds through the worker's real "rollouts" task: the same
// send-error rates judged by four shops, two on the defaults and two with their own
// thresholds saved from Settings. A rate the default lets pass halts under a stricter
// threshold; one the default halts passes under a looser one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ROLLOUT_THRESHOLDS, type RolloutThresholds } from "~/domain/rollout";
import { loadRolloutPage } from "~/server/admin/rollout.server";
import { parseRolloutThresholds } from "~/server/admin/settings/rollout-thresholds.server";
import { saveRolloutThresholds, shopSettingsView } from "~/server/admin/settings/shop-settings.server";
import { resetClock, setClock } from "~/server/clock.server";
import { installCatalogue, saveFlowSettings, setFlowStatus } from "~/server/journeys/flows.server";
import { startRollout } from "~/server/journeys/rollouts.server";
import { workerTasks } from "~/server/worker/tasks.server";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const T0 = new Date("2026-12-01T10:00:00Z");
const PER_VERSION = 200;

/** A shop whose welcome flow rolls out v2 against v1, each with 200 entrants of the 10 % stage; `failedOfNew` of v2's sends failed, none of v1's. */
async function shopInRollout(name: string, failedOfNew: number) {
  const shopId = (await prisma().shop.create({ data: { domain: `${name}.myshopify.com`, name, holdoutPercent: 0 } })).id;
  await installCatalogue(shopId);
  await setFlowStatus(shopId, "welcome", "on", "test");
  await saveFlowSettings(shopId, "welcome", { templates: { email1: "welcome_2" } }, "test", "First email replaced");
  const flow = await prisma().flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key: "welcome" } } });
  const [v1, v2] = (await prisma().flowVersion.findMany({ where: { flowId: flow.id }, orderBy: { version: "asc" } })).map((v) => v.id);
  expect(await startRollout(shopId, flow.id, "merchant")).toEqual({ ok: true });
  const entered = new Date(T0.getTime() + 60_000);
  const rows = [v1!, v2!].flatMap((version, arm) =>
    Array.from({ length: PER_VERSION }, (_, i) => ({ id: `${name}-${arm}-${i}`, version, failed: arm === 1 && i < failedOfNew })),
  );
  await prisma().customer.createMany({ data: rows.map((r) => ({ id: r.id, shopId, email: `${r.id}@example.com` })) });
  await prisma().enrollment.createMany({
    data: rows.map((r) => ({
      id: r.id,
      shopId,
      flowId: flow.id,
      flowVersionId: r.version,
      customerId: r.id,
      state: {},
      enteredAt: entered,
    })),
  });
  await prisma().message.createMany({
    data: rows.map((r) => ({
      shopId,
      customerId: r.id,
      enrollmentId: r.id,
      flowId: flow.id,
      channel: "email",
      idempotencyKey: `thresholds-test:${r.id}`,
      status: r.failed ? "failed" : "sent",
      sentAt: r.failed ? null : entered,
      toAddress: `${r.id}@example.com`,
      templateKey: "welcome_1",
    })),
  });
  return { shopId, flowId: flow.id };
}

/** The merchant's save on the settings page: the form, parsed, then stored. */
async function setThresholds(shopId: string, percent: Partial<Record<keyof RolloutThresholds, string>>) {
  const form = new FormData();
  for (const [k, v] of Object.entries({ sendErrors: "2", bounces: "2", complaints: "0.3", unsubscribes: "1", clicks: "70", ...percent }))
    form.set(k, v);
  const parsed = parseRolloutThresholds(form);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return saveRolloutThresholds(shopId, parsed.data, "merchant");
}

const rolloutsTask = () => workerTasks("thresholds-test").find((t) => t.name === "rollouts")!;

beforeAll(() => setClock(T0));
afterAll(() => resetClock());

describe("per-shop rollout thresholds", () => {
  it("the form reads percent with either decimal mark and refuses what is not a number or out of bounds, per field", () => {
    const form = (v: Record<string, string>) => {
      const f = new FormData();
      for (const [k, x] of Object.entries({ sendErrors: "2", bounces: "2", complaints: "0,3", unsubscribes: "1", clicks: "70", ...v }))
        f.set(k, x);
      return parseRolloutThresholds(f);
    };
    expect(form({})).toEqual({ ok: true, data: DEFAULT_ROLLOUT_THRESHOLDS });
    expect(form({ sendErrors: "0.5 %" })).toMatchObject({ ok: true, data: { sendErrors: 0.005 } });
    expect(form({ sendErrors: "abc", complaints: "0", clicks: "150", unsubscribes: "" })).toEqual({
      ok: false,
      errors: {
        sendErrors: "rolloutThresholds.error.number",
        complaints: "rolloutThresholds.error.range",
        clicks: "rolloutThresholds.error.range",
        unsubscribes: "rolloutThresholds.error.number",
      },
    });
  });

  it(
    "judges each shop by its own thresholds: stricter halts a rate the default passes, looser passes one the default halts",
    { timeout: 120_000 },
    async () => {
      // 3 of 200 failed (1.5 %) against none: within the default 2 points; 8 of 200 (4 %): beyond it.
      const strict = await shopInRollout("thresholds-strict", 3);
      const lenientDefault = await shopInRollout("thresholds-default-a", 3);
      const loose = await shopInRollout("thresholds-loose", 8);
      const strictDefault = await shopInRollout("thresholds-default-b", 8);

      expect(await setThresholds(strict.shopId, { sendErrors: "1" })).toMatchObject({ changed: true });
      expect(await setThresholds(loose.shopId, { sendErrors: "5" })).toMatchObject({ changed: true });
      expect(await setThresholds(loose.shopId, { sendErrors: "5" })).toMatchObject({ changed: false });
      const audit = await prisma().auditLog.findMany({ where: { shopId: strict.shopId, action: "settings.rollout_thresholds_updated" } });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: "merchant", details: { before: { sendErrors: 2 }, after: { sendErrors: 1 } } });
      const strictRow = await prisma().shop.findUniqueOrThrow({ where: { id: strict.shopId } });
      expect(shopSettingsView(strictRow).rolloutThresholds).toEqual({ ...DEFAULT_ROLLOUT_THRESHOLDS, sendErrors: 0.01 });

      // Half an hour on, one pass of the worker's task judges all four.
      setClock(new Date(T0.getTime() + 30 * 60_000));
      expect(await rolloutsTask().run(new AbortController().signal)).toBe(2);

      const halted = async (flowId: string) => (await prisma().flow.findUniqueOrThrow({ where: { id: flowId } })).rolloutHaltedAt !== null;
      expect(await halted(strict.flowId)).toBe(true);
      expect(await halted(lenientDefault.flowId)).toBe(false);
      expect(await halted(loose.flowId)).toBe(false);
      expect(await halted(strictDefault.flowId)).toBe(true);

      // The halt reason keeps the threshold the shop judged by.
      const reason = (flowId: string) =>
        prisma()
          .flow.findUniqueOrThrow({ where: { id: flowId } })
          .then((f) => f.rolloutHaltReason);
      expect(await reason(strict.flowId)).toMatchObject({
        criterion: "sendErrors",
        threshold: { kind: "points", value: 0.01 },
        limit: 0.01,
      });
      expect(await reason(strictDefault.flowId)).toMatchObject({ criterion: "sendErrors", threshold: { kind: "points", value: 0.02 } });

      // The rollout page shows the thresholds in force, and judges its stages by them.
      const page = await loadRolloutPage({ id: loose.shopId }, loose.flowId, "en");
      expect(page!.thresholds.inForce).toEqual({ ...DEFAULT_ROLLOUT_THRESHOLDS, sendErrors: 0.05 });
      const sendErrors = page!.rollout!.stages[0]!.criteria.find((c) => c.key === "sendErrors")!;
      expect(sendErrors).toMatchObject({ state: "pass", threshold: { kind: "points", value: 0.05 }, newValue: 0.04 });
      expect((await loadRolloutPage({ id: lenientDefault.shopId }, lenientDefault.flowId, "en"))!.thresholds.inForce).toEqual(
        DEFAULT_ROLLOUT_THRESHOLDS,
      );
    },
  );
});
