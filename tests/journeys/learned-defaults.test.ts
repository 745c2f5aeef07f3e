import { Prisma } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock.server";
import { catalogueEnv, installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { useTestDatabase } from "../support/db";
import { deliver, drainWebhooks } from "../support/webhooks";
import { orderPayload } from "../capture/shopify-fixtures";

const DAY = 86_400_000;
const SHOP = "learned.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;
const T = new Date("2026-11-24T10:00:00Z");

beforeAll(async () => {
  setClock(T);
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Learned", timezone: "Europe/Warsaw", holdoutPercent: 0 } })).id;
  // 40 repeat customers who reorder every 20 days: the shop's purchase cycle is 20 days.
  for (let c = 0; c < 40; c++) {
    const customer = await prisma().customer.create({ data: { shopId, email: `r${c}@example.com`, emailConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01") } });
    for (let k = 0; k < 3; k++) {
      await prisma().order.create({
        data: {
          shopId, shopifyOrderId: BigInt(100_000 + c * 10 + k), name: `#${c}-${k}`, customerId: customer.id, currency: "PLN",
          totalPrice: new Prisma.Decimal("50"), processedAt: new Date(T.getTime() - (200 - k * 20) * DAY),
          lines: { create: [{ shopId, shopifyProductId: 8000000001n, title: "Beans", quantity: 1, price: new Prisma.Decimal("50") }] },
        },
      });
    }
  }
});

describe("defaults learned from the shop's orders", () => {
  it("win-back waits for the shop's own purchase cycle, not the 90-day fallback", async () => {
    expect((await catalogueEnv(shopId)).shopPurchaseCycleDays).toBe(20);
    await installCatalogue(shopId);
    await setFlowStatus(shopId, "win_back", "on", "test");
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId, key: "win_back" } });
    const version = await prisma().flowVersion.findUniqueOrThrow({ where: { id: flow.activeVersionId! } });
    const trigger = (version.definition as { trigger: { days: number } }).trigger;
    expect(trigger.days).not.toBe(90);
    expect(trigger.days).toBeGreaterThanOrEqual(20);
  });

  it("replenishment uses the customer's learned reorder interval for the product", async () => {
    await setFlowStatus(shopId, "replenishment", "on", "test");
    const customer = await prisma().customer.findFirstOrThrow({ where: { shopId, email: "r0@example.com" } });
    await deliver(SHOP, "orders/create", orderPayload({
      id: 777777, name: "#7777", email: "r0@example.com", customer: null, created_at: T.toISOString(), processed_at: T.toISOString(),
      line_items: [{ id: 1, product_id: 8000000001, variant_id: 45000000001, title: "Beans", quantity: 1, price: "50.00" }],
    }));
    await drainWebhooks();
    while ((await routeEvents()).claimed > 0);
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId, key: "replenishment" } });
    const e = await prisma().enrollment.findFirstOrThrow({ where: { shopId, flowId: flow.id, customerId: customer.id } });
    expect((e.state as { trigger: { data: { reorderIntervalDays: number } } }).trigger.data.reorderIntervalDays).toBe(20);
  });
});
