import { beforeAll, describe, expect, it } from "vitest";
import { advanceClock, setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { useTestDatabase } from "../support/db";
import { deliver, settleJourneys } from "../support/webhooks";
import { checkoutPayload, orderPayload } from "../capture/shopify-fixtures";

const SHOP = "journeys.myshopify.com";
const HOUR = 3_600_000;
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  // Tuesday 10:00 in Warsaw: inside every send window.
  setClock(new Date("2026-11-24T09:00:00Z"));
  shopId = (
    await prisma().shop.create({ data: { domain: SHOP, name: "Journeys", timezone: "Europe/Warsaw", holdoutPercent: 0, locale: "pl" } })
  ).id;
  await installCatalogue(shopId);
  await setFlowStatus(shopId, "abandoned_checkout", "on", "test");
  await prisma().customer.create({
    data: {
      shopId,
      email: "carla@example.com",
      emailConsentState: "subscribed",
      emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      locale: "pl",
    },
  });
});

describe("abandoned checkout, durably, over the database", () => {
  it("enrolls on the checkout webhook and queues the first reminder an hour later", async () => {
    await deliver(
      SHOP,
      "checkouts/create",
      checkoutPayload({ token: "chk-1", total_price: "320.00", created_at: "2026-11-24T09:00:00Z", updated_at: "2026-11-24T09:00:00Z" }),
    );
    await settleJourneys();
    const enrollment = await prisma().enrollment.findFirstOrThrow({ where: { shopId } });
    expect(enrollment).toMatchObject({ status: "active", contextKey: "chk-1" });
    expect(enrollment.nextWakeAt!.getTime() - new Date("2026-11-24T09:00:00Z").getTime()).toBeGreaterThanOrEqual(HOUR - 1000);
    expect(await prisma().message.count({ where: { shopId } })).toBe(0);

    advanceClock(HOUR);
    await settleJourneys();
    const messages = await prisma().message.findMany({ where: { shopId } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      channel: "email",
      purpose: "marketing",
      status: "pending",
      toAddress: "carla@example.com",
      locale: "pl",
    });
    expect(messages[0]!.templateKey).toMatch(/abandoned_checkout/);
    const sendDecision = await prisma().decision.findFirstOrThrow({ where: { shopId, outcome: "send" } });
    expect(sendDecision.messageId).toBe(messages[0]!.id);
  });

  it("the same wake run twice (a replay) queues nothing twice", async () => {
    await settleJourneys();
    expect(await prisma().message.count({ where: { shopId } })).toBe(1);
  });

  it("an order for the checkout ends the flow: no further reminder", async () => {
    await deliver(
      SHOP,
      "orders/create",
      orderPayload({
        id: 4242,
        name: "#4242",
        email: "carla@example.com",
        customer: null,
        checkout_token: "chk-1",
        created_at: "2026-11-24T10:30:00Z",
        processed_at: "2026-11-24T10:30:00Z",
      }),
    );
    await settleJourneys();
    const enrollment = await prisma().enrollment.findFirstOrThrow({ where: { shopId } });
    expect(enrollment).toMatchObject({ status: "completed", exitReason: null });
    expect(enrollment.goalReachedAt).not.toBeNull();
    advanceClock(72 * HOUR);
    await settleJourneys();
    expect(await prisma().message.count({ where: { shopId } })).toBe(1);
    const reasons = (await prisma().decision.findMany({ where: { shopId }, orderBy: { id: "asc" } })).map(
      (d) => `${d.outcome}:${d.reason}`,
    );
    expect(reasons[0]).toBe("enter:trigger");
    expect(reasons).toContain("send:allowed");
    expect(reasons.some((r) => r.includes("goal_reached"))).toBe(true);
  });
});
