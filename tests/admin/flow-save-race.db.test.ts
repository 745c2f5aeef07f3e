// Three admin writers save whole flow definitions: the flow page (its form is every
// field of the version it showed), the message editor (one step's content) and the
// Settings flow table (priority and re-entry). Each reads the active version, edits
// it, and saves under the flow's lock; a save built on a version that is no longer
// active would undo the one saved in between. It is refused (the flow page, the message
// editor: the merchant reloads) or read again and patched (Settings: its values are
// absolute). Forced orders on any database; on PostgreSQL the flow page and Settings
// also meet queued on the flow's row lock (tests/support/lock-waits.ts).
import type { Shop } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { parseFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { saveFlowEdits } from "~/server/admin/flow-detail.server";
import { saveFlowRow } from "~/server/admin/settings/flow-settings.server";
import { FlowForm, parseForm } from "~/server/admin/settings/forms.server";
import { FlowChangedError, installCatalogue, saveFlowDefinition } from "~/server/journeys/flows.server";
import { lockFlowRow } from "~/server/db/sql/flows.server";
import { rawQueryOf } from "~/server/db/sql/clients.server";
import { useTestDatabase } from "../support/db";
import { whileHolding } from "../support/lock-waits";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let n = 0;

async function freshShop(): Promise<{ shop: Shop; flowId: string }> {
  const domain = `save-race-${++n}.myshopify.com`;
  const shop = await prisma().shop.create({ data: { domain, name: domain, holdoutPercent: 0 } });
  await installCatalogue(shop.id);
  const flow = await prisma().flow.findUniqueOrThrow({ where: { shopId_key: { shopId: shop.id, key: "abandoned_checkout" } } });
  return { shop, flowId: flow.id };
}

async function active(flowId: string): Promise<{ version: number; id: string; def: FlowDefinition }> {
  const flow = await prisma().flow.findUniqueOrThrow({ where: { id: flowId } });
  const v = await prisma().flowVersion.findUniqueOrThrow({ where: { id: flow.activeVersionId! } });
  return { version: v.version, id: v.id, def: parseFlowDefinition(v.definition) };
}

const waitHours = (def: FlowDefinition, id: string) => {
  const st = def.steps.find((s) => s.id === id);
  return st?.type === "wait" && "hours" in st.duration ? st.duration.hours : undefined;
};

/** Another writer's version: the second wait at 48 h (as the message editor or a colleague's page would save one). */
async function saveInBetween(shop: Shop, flowId: string): Promise<number> {
  const { def } = await active(flowId);
  const next = { ...def, steps: def.steps.map((s) => (s.id === "wait_2" && s.type === "wait" ? { ...s, duration: { hours: 48 } } : s)) };
  return saveFlowDefinition(shop.id, "abandoned_checkout", next, "colleague", "Second wait 48 h");
}

function priorityForm(flowId: string, priority: number) {
  const f = new FormData();
  for (const [k, v] of Object.entries({
    flowId,
    priority: String(priority),
    reentryDays: "3",
    excludeAfterOrderHours: "",
    holdoutPercent: "",
  }))
    f.set(k, v);
  const p = parseForm(FlowForm, f);
  if (!p.ok) throw new Error("valid form refused");
  return p.data;
}

describe("flow saves built on an older version (forced orders)", () => {
  it("the flow page's form from an older version is refused, in the merchant's language, and the version saved since stays", async () => {
    const { shop, flowId } = await freshShop();
    const shown = await active(flowId);
    expect(await saveInBetween(shop, flowId)).toBe(shown.version + 1);
    const r = await saveFlowEdits(shop, flowId, { "wait/wait_1/amount": "5", "wait/wait_1/unit": "hours" }, "merchant", undefined, "pl", {
      baseVersion: shown.version,
    });
    expect(r).toMatchObject({ ok: false, conflict: true });
    expect(r && !r.ok ? r.errors.general : []).toEqual([
      `Przepływ zmienił się od otwarcia tej strony (teraz jest w wersji ${shown.version + 1}): nic nie zapisano. Odśwież stronę, aby edytować najnowszą wersję.`,
    ]);
    const now = await active(flowId);
    expect(now.version).toBe(shown.version + 1);
    expect(waitHours(now.def, "wait_2")).toBe(48);
    expect(await prisma().flowVersion.count({ where: { flowId } })).toBe(shown.version + 1);
  });

  it("a definition saved on a version no longer active is refused under the lock, and nothing is written", async () => {
    const { shop, flowId } = await freshShop();
    const read = await active(flowId);
    await saveInBetween(shop, flowId);
    const audits = await prisma().auditLog.count({ where: { shopId: shop.id } });
    await expect(
      saveFlowDefinition(shop.id, "abandoned_checkout", read.def, "merchant", "stale", undefined, read.id),
    ).rejects.toBeInstanceOf(FlowChangedError);
    expect((await active(flowId)).version).toBe(read.version + 1);
    expect(await prisma().auditLog.count({ where: { shopId: shop.id } })).toBe(audits);
    // Built on the active version, the same save goes through.
    const current = await active(flowId);
    expect(await saveFlowDefinition(shop.id, "abandoned_checkout", read.def, "merchant", "fresh", undefined, current.id)).toBe(
      read.version + 2,
    );
  });

  it("Settings' priority change after a flow-page edit keeps the edit (it patches the active version, never an older read)", async () => {
    const { shop, flowId } = await freshShop();
    await saveInBetween(shop, flowId);
    await saveFlowRow(shop.id, priorityForm(flowId, 77), "merchant");
    const now = await active(flowId);
    expect(now.def.priority).toBe(77);
    expect(waitHours(now.def, "wait_2")).toBe(48);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("the flow page and Settings at the same moment (PostgreSQL)", () => {
  it("both queue on the flow's lock: the second either patches the first's version (Settings) or is refused (the page); nothing is lost silently", async () => {
    for (let round = 0; round < 4; round++) {
      const { shop, flowId } = await freshShop();
      const shown = await active(flowId);
      const [page, settings] = await whileHolding(
        getDb(),
        (tx) => lockFlowRow(rawQueryOf(tx), shop.id, flowId),
        () =>
          Promise.all([
            saveFlowEdits(shop, flowId, { "wait/wait_1/amount": "5", "wait/wait_1/unit": "hours" }, "merchant", undefined, "en", {
              baseVersion: shown.version,
            }),
            saveFlowRow(shop.id, priorityForm(flowId, 77), "merchant"),
          ]),
        2,
      );
      const now = await active(flowId);
      expect(now.def.priority, `round ${round}`).toBe(77);
      expect(settings.version).not.toBeNull();
      if (page?.ok) {
        // The page's version went first; Settings read it again and patched it.
        expect(waitHours(now.def, "wait_1"), `round ${round}`).toBe(5);
        expect(now.version).toBe(shown.version + 2);
      } else {
        // Settings went first: the page's form of the older version is refused, not saved over it.
        expect(page, `round ${round}`).toMatchObject({ ok: false, conflict: true });
        expect(waitHours(now.def, "wait_1"), `round ${round}`).toBe(waitHours(shown.def, "wait_1"));
        expect(now.version).toBe(shown.version + 1);
      }
    }
  }, 120_000);
});
