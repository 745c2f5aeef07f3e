import { beforeAll, describe, expect, it } from "vitest";
import { toWireEvent } from "../../extensions/web-pixel/src/wire";
import { productViewedEvent, SHOP_DOMAIN } from "../web-pixel/fixtures";
import { expandPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { listQuarantined } from "~/server/db/sql/quarantine.server";
import { releaseQuarantined } from "~/server/worker/quarantine.server";
import { useTestDatabase } from "../support/db";
import { insertInboxRow, runTaskUntilIdle } from "./support";

// Rows already in the inbox when the depth check was deployed: finding 1's body, as
// the endpoint used to store it, next to innocent batches in the same row and batch.
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  shopId = (await prisma().shop.create({ data: { domain: SHOP_DOMAIN, name: "Inbox" } })).id;
});

const body = (id: string, data: unknown = productViewedEvent.data) =>
  JSON.stringify({ shop: SHOP_DOMAIN, v: 1, events: [{ ...toWireEvent(productViewedEvent), id, data }] });
const deepBody = (id: string) => body(id, "__DEEP__").replace('"__DEEP__"', "[".repeat(8000) + "]".repeat(8000));

describe("a poisonous batch in the pixel inbox", () => {
  it("throws on every expansion, as it did before (finding 1)", async () => {
    await insertInboxRow(getDb(), shopId, [deepBody("deep-0")]);
    await expect(expandPixelInbox()).rejects.toThrow(RangeError);
    await expect(expandPixelInbox()).rejects.toThrow(RangeError);
    await prisma().pixelInbox.deleteMany({});
  });

  it("is set aside alone: its row is split, its row-mates and batch-mates are expanded, and it is listed with its error", async () => {
    // Row 1: an innocent batch, the poisonous one, another innocent one. Row 2: innocent.
    const mixed = await insertInboxRow(getDb(), shopId, [body("a-1"), deepBody("deep-1"), body("a-2")]);
    await insertInboxRow(getDb(), shopId, [body("b-1")]);

    await runTaskUntilIdle("pixel-inbox");

    const ids = (await prisma().event.findMany({ where: { shopId }, select: { sourceId: true } })).map((e) => e.sourceId).sort();
    expect(ids).toEqual(["a-1", "a-2", "b-1"]);
    expect(await prisma().pixelInbox.count()).toBe(0);
    const listed = await listQuarantined(getDb().query, shopId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: "pixel-inbox", shopId, failures: 2 });
    expect(listed[0]!.itemId).not.toBe(mixed); // the split-off row, not the row of three
    expect(listed[0]!.error).toMatch(/^RangeError: Maximum call stack size exceeded/);
    // The body is kept with it (compressed), so a release can put it back.
    const kept = await prisma().quarantine.findFirstOrThrow({ where: { kind: "pixel-inbox" } });
    expect(kept.payload?.length).toBeGreaterThan(0);
    // The queue is not wedged: an empty pass.
    expect(await expandPixelInbox()).toMatchObject({ claimed: 0 });
  });

  it("a release puts it back in the inbox (audited), and it is set aside again if it still fails", async () => {
    const [item] = await listQuarantined(getDb().query, shopId);
    expect(await releaseQuarantined("another-shop", item!.id, "staff:1")).toEqual({ ok: false });
    expect(await releaseQuarantined(shopId, item!.id, "staff:1")).toEqual({ ok: true, kind: "pixel-inbox" });
    expect(await prisma().pixelInbox.count()).toBe(1);
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { shopId, action: "quarantine.released" } });
    expect(audit).toMatchObject({ actor: "staff:1", subjectType: "pixel-inbox" });
    await runTaskUntilIdle("pixel-inbox");
    expect(await listQuarantined(getDb().query, shopId)).toHaveLength(1);
    expect(await prisma().pixelInbox.count()).toBe(0);
  });
});
