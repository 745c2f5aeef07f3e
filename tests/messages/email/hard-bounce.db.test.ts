// The one writer of a hard bounce (recordHardBounce), shared by the outbox (the SMTP
// server refused the recipient) and the feedback loop (a DSN came back later): the rows
// each writes, pinned, so that sharing it changed neither.
import { describe, expect, it } from "vitest";
import { recordHardBounce } from "~/server/channels/hard-bounce.server";
import { RollupBuffer } from "~/server/measurement/rollup-buffer.server";
import { useTestDatabase } from "../../support/db";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;

async function bounced(bounce: Parameters<typeof recordHardBounce>[2]) {
  const shop = await createShop(prisma());
  const customer = await createCustomer(prisma(), shop.id, { email: "Anna.Bounce@Example.com" });
  const flow = await prisma().flow.create({ data: { shopId: shop.id, key: "welcome", name: "Welcome" } });
  const m = await enqueueEmail(prisma(), shop.id, customer, { flowId: flow.id, stepId: "email_1" });
  const at = new Date("2026-12-01T10:00:00Z");
  const record = () =>
    prisma().$transaction(async (tx) => {
      const rollups = new RollupBuffer();
      const done = await recordHardBounce(tx, m, bounce, at, rollups, "Europe/Warsaw");
      await rollups.flush(tx);
      return done;
    });
  const rows = async () => ({
    events: await prisma().messageEvent.findMany({
      where: { messageId: m.id },
      select: { type: true, reliable: true, data: true, dedupeKey: true, occurredAt: true },
    }),
    suppressions: await prisma().suppression.findMany({
      where: { shopId: shop.id },
      select: { channel: true, address: true, reason: true },
    }),
    decisions: await prisma().decision.findMany({
      where: { messageId: m.id },
      select: { customerId: true, flowId: true, stepId: true, outcome: true, reason: true, details: true, at: true },
    }),
    reasons: await prisma().flowReasonDaily.findMany({ where: { flowId: flow.id }, select: { day: true, reason: true, count: true } }),
  });
  return { m, customer, flow, at, record, rows };
}

describe("recordHardBounce", () => {
  it("at send time: the bounced event with the reply, the address suppressed, a hard_bounce Decision counted for the flow", async () => {
    const { record, rows, customer, flow, at } = await bounced({ response: "550 5.1.1 User unknown" });
    expect(await record()).toBe(true);
    expect(await rows()).toEqual({
      events: [{ type: "bounced", reliable: true, data: { response: "550 5.1.1 User unknown" }, dedupeKey: null, occurredAt: at }],
      suppressions: [{ channel: "email", address: "anna.bounce@example.com", reason: "hard_bounce" }],
      decisions: [
        {
          customerId: customer.id,
          flowId: flow.id,
          stepId: "email_1",
          outcome: "skip",
          reason: "hard_bounce",
          details: { channel: "email", response: "550 5.1.1 User unknown" },
          at,
        },
      ],
      reasons: [{ day: new Date("2026-12-01T00:00:00Z"), reason: "hard_bounce", count: 1 }],
    });
  });

  it("from a delivery report: status and stage kept, and the same report twice writes once", async () => {
    const bounce = { response: "smtp; 550 5.1.1 unknown", status: "5.1.1", stage: "delivery_report", once: true } as const;
    const { record, rows, m } = await bounced(bounce);
    expect(await record()).toBe(true);
    const first = await rows();
    expect(first.events).toMatchObject([{ data: { status: "5.1.1", response: "smtp; 550 5.1.1 unknown" }, dedupeKey: `bounced:${m.id}` }]);
    expect(first.decisions).toMatchObject([
      {
        reason: "hard_bounce",
        details: { channel: "email", stage: "delivery_report", status: "5.1.1", response: "smtp; 550 5.1.1 unknown" },
      },
    ]);
    expect(await record()).toBe(false);
    expect(await rows()).toEqual(first);
  });
});
