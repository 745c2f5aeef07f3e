// The flow page's server side: edits saved as a validated new version with its diff in
// the audit row, errors addressed to their fields, rollback, another shop's flow not
// found (and left unchanged); learned defaults leave an edited flow alone; a flow whose
// active version fails validation cannot be switched on.
import type { Shop } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { FlowDefinitionError } from "~/domain/journey";
import { loadFlowDetail, rollbackFlowVersion, saveFlowEdits } from "~/server/admin/flow-detail.server";
import { toggleFlow } from "~/server/admin/flows.server";
import { installCatalogue, refreshLearnedDefaults, saveFlowDefinition, setFlowStatus } from "~/server/journeys/flows.server";
import { createShop } from "../messages/email/support/fixtures";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let a: Shop;
let b: Shop;

beforeEach(async () => {
  a = await createShop(prisma());
  b = await createShop(prisma());
  await installCatalogue(a.id);
  await installCatalogue(b.id);
});

const flowOf = (shop: Shop, key = "abandoned_checkout") => prisma().flow.findFirstOrThrow({ where: { shopId: shop.id, key } });
const activeDefinition = async (shop: Shop, key = "abandoned_checkout") => {
  const f = await flowOf(shop, key);
  return (await prisma().flowVersion.findUniqueOrThrow({ where: { id: f.activeVersionId! } })).definition as Record<string, unknown> & {
    steps: { id: string; duration?: unknown }[];
    source?: { edited?: boolean };
  };
};
const snapshot = async (shop: Shop) =>
  JSON.stringify({
    flows: await prisma().flow.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } }),
    versions: await prisma().flowVersion.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } }),
    audit: await prisma().auditLog.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } }),
  });

describe("flow page: saving edits", () => {
  it("saves a changed delay as a new version with the diff in the audit row, and shows it in the change log", async () => {
    const flow = await flowOf(a);
    const r = await saveFlowEdits(
      a,
      flow.id,
      { "wait/wait_2/amount": "36", "wait/wait_2/unit": "hours" },
      "merchant",
      "Give them a day and a half",
    );
    expect(r).toEqual({ ok: true, version: 2 });
    const def = await activeDefinition(a);
    expect(def.steps.find((s) => s.id === "wait_2")!.duration).toEqual({ hours: 36 });
    expect(def.source?.edited).toBe(true);
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { shopId: a.id, action: "flow.version_created", subjectId: flow.id } });
    expect(audit).toMatchObject({ actor: "merchant" });
    expect(audit.details).toMatchObject({
      version: 2,
      fromVersion: 1,
      note: "Give them a day and a half",
      changes: ["Wait before email 2: 24 h → 36 h"],
    });

    const detail = (await loadFlowDetail(a, flow.id, "en"))!;
    expect(detail.flow.version).toBe(2);
    expect(detail.timeline.find((row) => row.stepId === "wait_2")!.title).toBe("Wait 36 hours after the checkout");
    expect(detail.history[0]).toMatchObject({ version: 2, active: true, createdBy: "merchant", note: "Give them a day and a half" });
    expect(detail.history[0]!.diff).toEqual([{ stepId: "wait_2", label: "Wait before email 2", before: "24 h", after: "36 h" }]);
    expect(detail.history[1]).toMatchObject({ version: 1, active: false, diff: null });
    const pl = (await loadFlowDetail(a, flow.id, "pl"))!;
    expect(pl.history[0]!.diff![0]!.label).toBe("Czekanie przed: e-mail 2");
  });

  it("refuses an invalid edit with the errors next to their fields, and stores nothing", async () => {
    const flow = await flowOf(a);
    const before = await snapshot(a);
    const r = await saveFlowEdits(
      a,
      flow.id,
      { "wait/wait_2/amount": "0", "discount/discount_3/value": "-5", priority: "5000" },
      "merchant",
      undefined,
    );
    expect(r).toMatchObject({ ok: false });
    if (r === null || r.ok) throw new Error("expected errors");
    expect(r.errors["wait/wait_2/amount"]).toEqual(["Enter a time longer than zero."]);
    expect(r.errors["discount/discount_3/value"]).toHaveLength(1);
    expect(r.errors.priority).toEqual(["Enter a number of at most 1,000."]);
    expect(await snapshot(a)).toBe(before);
  });

  it("adds a condition to a condition step as a new version, audited with its readable diff", async () => {
    const flow = await flowOf(a);
    const form = {
      "cond/check_value/if/match": "any",
      "cond/check_value/if/new/field": "customer.countryCode",
      "cond/check_value/if/new/op": "eq",
      "cond/check_value/if/new/value": "PL",
    };
    expect(await saveFlowEdits(a, flow.id, form, "merchant", "Polish shoppers too", "en")).toEqual({ ok: true, version: 2 });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { shopId: a.id, action: "flow.version_created", subjectId: flow.id } });
    expect(audit.details).toMatchObject({
      version: 2,
      fromVersion: 1,
      changes: ["Checkout worth an incentive?: checkout value ≥ 50 → checkout value ≥ 50 or customer's country code = PL"],
    });
    const detail = (await loadFlowDetail(a, flow.id, "pl"))!;
    expect(detail.timeline.find((row) => row.stepId === "check_value")!.title).toBe(
      "Jeśli wartość checkoutu ≥ 50 lub kod kraju klienta = PL",
    );
    expect(detail.fields.check_value!.groups![0]).toMatchObject({ match: "any", leaves: [{ path: "if.any.0" }, { path: "if.any.1" }] });

    // A second one without a value: refused under its Value field, in Polish, nothing stored.
    const counts = async () => [
      await prisma().flowVersion.count({ where: { shopId: a.id } }),
      await prisma().auditLog.count({ where: { shopId: a.id } }),
    ];
    const before = await counts();
    const r = await saveFlowEdits(a, flow.id, { "cond/check_value/if/new/field": "customer.ordersCount" }, "merchant", undefined, "pl");
    expect(r).toEqual({ ok: false, errors: { "cond/check_value/if/new/value": ["Wpisz wartość nowego warunku."] } });
    expect(await counts()).toEqual(before);
  });

  it("an unchanged form is no new version", async () => {
    const flow = await flowOf(a);
    expect(await saveFlowEdits(a, flow.id, { "wait/wait_2/amount": "24", "wait/wait_2/unit": "hours" }, "merchant", undefined)).toEqual({
      ok: true,
      version: null,
    });
    expect(await prisma().flowVersion.count({ where: { flowId: flow.id } })).toBe(1);
  });

  it("rolls back to an earlier version as a new one, audited with its diff", async () => {
    const flow = await flowOf(a);
    await saveFlowEdits(a, flow.id, { "discount/discount_3/value": "15" }, "merchant", undefined);
    expect(await rollbackFlowVersion(a, flow.id, 1, "merchant")).toBe(3);
    const def = await activeDefinition(a);
    expect(def.source?.edited).toBeUndefined();
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { shopId: a.id, action: "flow.rolled_back" } });
    expect(audit.details).toMatchObject({ toVersion: 1, newVersion: 3, fromVersion: 2, changes: ["Discount: 15% → 10%"] });
    const detail = (await loadFlowDetail(a, flow.id, "en"))!;
    expect(detail.history.map((v) => [v.version, v.active, v.note])).toEqual([
      [3, true, "Rollback to version 1"],
      [2, false, null],
      [1, false, "Catalogue defaults"],
    ]);
    expect(await rollbackFlowVersion(a, flow.id, 99, "merchant")).toBeNull();
  });

  it("another shop's flow id is not found, and the other shop is left exactly as it was", async () => {
    const theirs = await flowOf(b);
    const before = await snapshot(b);
    expect(await loadFlowDetail(a, theirs.id, "en")).toBeNull();
    expect(await saveFlowEdits(a, theirs.id, { "wait/wait_2/amount": "36" }, "merchant", undefined)).toBeNull();
    expect(await rollbackFlowVersion(a, theirs.id, 1, "merchant")).toBeNull();
    expect(await snapshot(b)).toBe(before);
  });
});

describe("catalogue flows edited beyond their settings", () => {
  it("are not rebuilt from their settings when switched on (a flow changed without the mark is: the check can fail)", async () => {
    const flow = await flowOf(a);
    await saveFlowEdits(a, flow.id, { "wait/wait_2/amount": "36" }, "merchant", undefined);
    expect(await refreshLearnedDefaults(a.id, "abandoned_checkout", "system")).toBe(false);
    await setFlowStatus(a.id, "abandoned_checkout", "on", "merchant");
    expect((await activeDefinition(a)).steps.find((s) => s.id === "wait_2")!.duration).toEqual({ hours: 36 });

    // The same change without the mark: the settings win again.
    const def = await activeDefinition(b);
    const unmarked = { ...def, steps: def.steps.map((s) => (s.id === "wait_2" ? { ...s, duration: { hours: 36 } } : s)) };
    await saveFlowDefinition(b.id, "abandoned_checkout", unmarked, "merchant");
    expect(await refreshLearnedDefaults(b.id, "abandoned_checkout", "system")).toBe(true);
    expect((await activeDefinition(b)).steps.find((s) => s.id === "wait_2")!.duration).toEqual({ hours: 24 });
  });
});

describe("switching on", () => {
  it("refuses a flow whose active version does not validate, and leaves it off", async () => {
    const flow = await flowOf(a, "welcome");
    const broken = { ...(await activeDefinition(a, "welcome")), startStepId: "nowhere" };
    const v = await prisma().flowVersion.create({
      data: { shopId: a.id, flowId: flow.id, version: 2, definition: broken as never, createdBy: "test" },
    });
    await prisma().flow.update({ where: { id: flow.id }, data: { activeVersionId: v.id } });

    await expect(setFlowStatus(a.id, "welcome", "on", "merchant")).rejects.toBeInstanceOf(FlowDefinitionError);
    expect(await toggleFlow(a, "welcome", true, "merchant")).toEqual({
      ok: false,
      reason: "invalid_definition",
      errors: 'startStepId: start step "nowhere" does not exist',
    });
    expect((await flowOf(a, "welcome")).status).toBe("off");
    expect(await prisma().auditLog.count({ where: { shopId: a.id, action: "flow.on" } })).toBe(0);
    // Its page says so, next to nothing it cannot draw.
    const detail = (await loadFlowDetail(a, flow.id, "en"))!;
    expect(detail.activeErrors).toEqual({ general: ['startStepId: start step "nowhere" does not exist'] });
    // Switching off stays possible.
    await setFlowStatus(a.id, "welcome", "off", "merchant");
  });
});
