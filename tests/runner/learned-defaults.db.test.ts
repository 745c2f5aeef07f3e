import { Prisma } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { buildReplenishment } from "~/domain/flows";
import type { FlowDefinition } from "~/domain/journey";
import { setClock } from "~/server/clock.server";
import { catalogueEnv, installCatalogue, sameStoredJson, saveFlowSettings, setFlowStatus } from "~/server/journeys/flows.server";
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
    const customer = await prisma().customer.create({
      data: { shopId, email: `r${c}@example.com`, emailConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01") },
    });
    for (let k = 0; k < 3; k++) {
      await prisma().order.create({
        data: {
          shopId,
          shopifyOrderId: BigInt(100_000 + c * 10 + k),
          name: `#${c}-${k}`,
          customerId: customer.id,
          currency: "PLN",
          totalPrice: new Prisma.Decimal("50"),
          processedAt: new Date(T.getTime() - (200 - k * 20) * DAY),
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
    await deliver(
      SHOP,
      "orders/create",
      orderPayload({
        id: 777777,
        name: "#7777",
        email: "r0@example.com",
        customer: null,
        created_at: T.toISOString(),
        processed_at: T.toISOString(),
        line_items: [{ id: 1, product_id: 8000000001, variant_id: 45000000001, title: "Beans", quantity: 1, price: "50.00" }],
      }),
    );
    await drainWebhooks();
    while ((await routeEvents()).claimed > 0);
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId, key: "replenishment" } });
    const e = await prisma().enrollment.findFirstOrThrow({ where: { shopId, flowId: flow.id, customerId: customer.id } });
    expect((e.state as { trigger: { data: { reorderIntervalDays: number } } }).trigger.data.reorderIntervalDays).toBe(20);
  });
});

describe("turning a flow off and on again", () => {
  const versions = async (key: string) => {
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId, key } });
    const all = await prisma().flowVersion.findMany({ where: { flowId: flow.id }, orderBy: { version: "asc" } });
    return { count: all.length, active: all.find((v) => v.id === flow.activeVersionId)! };
  };
  const toggleTwice = async (key: string) => {
    for (let i = 0; i < 2; i++) {
      await setFlowStatus(shopId, key, "off", "test");
      await setFlowStatus(shopId, key, "on", "test");
    }
  };

  it("adds no version when nothing changed (jsonb reorders the stored keys)", async () => {
    await installCatalogue(shopId);
    await saveFlowSettings(shopId, "abandoned_checkout", { sms: { enabled: true } }, "test", "SMS on");
    for (const key of ["welcome", "win_back", "abandoned_checkout"]) {
      await setFlowStatus(shopId, key, "on", "test"); // win-back: learned cycle applied at most once
      const before = await versions(key);
      // What the database gives back is not in the order the catalogue wrote it...
      expect(Object.keys(before.active.definition as object)[0]).not.toBe("schemaVersion");
      await toggleTwice(key);
      const after = await versions(key);
      expect(after.count, key).toBe(before.count);
      expect(after.active.id, key).toBe(before.active.id);
    }
  });

  it("still adds a version for a real settings change, and none for toggling after it", async () => {
    const before = await versions("abandoned_checkout");
    const created = await saveFlowSettings(shopId, "abandoned_checkout", { sms: { enabled: true, afterHours: 6 } }, "test", "SMS later");
    expect(created).toBe(before.active.version + 1);
    await toggleTwice("abandoned_checkout");
    const after = await versions("abandoned_checkout");
    expect(after.count).toBe(before.count + 1);
    expect(after.active.version).toBe(created);
    expect((after.active.definition as { source: { settings: { sms: { afterHours: number } } } }).source.settings.sms.afterHours).toBe(6);
  });

  it("still adds a version when what the orders teach moved (a stale learned default)", async () => {
    const before = await versions("win_back");
    const learnedDays = (before.active.definition as { trigger: { days: number } }).trigger.days;
    // The stored version was built when the shop knew no purchase cycle yet.
    const stale = {
      ...(before.active.definition as object),
      trigger: { ...(before.active.definition as { trigger: object }).trigger, days: 90 },
    };
    await prisma().flowVersion.update({ where: { id: before.active.id }, data: { definition: stale } });
    await setFlowStatus(shopId, "win_back", "off", "test");
    await setFlowStatus(shopId, "win_back", "on", "test");
    const after = await versions("win_back");
    expect(after.count).toBe(before.count + 1);
    expect((after.active.definition as { trigger: { days: number } }).trigger.days).toBe(learnedDays);
    await toggleTwice("win_back");
    expect((await versions("win_back")).count).toBe(before.count + 1);
  });

  it("compares stored JSON whatever its key order, but not whatever its values", () => {
    expect(sameStoredJson({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 })).toBe(true);
    expect(sameStoredJson({ a: 1, gone: undefined, at: new Date("2026-01-01T00:00:00Z") }, { at: "2026-01-01T00:00:00.000Z", a: 1 })).toBe(
      true,
    );
    expect(sameStoredJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameStoredJson({ a: 1 }, { a: "1" })).toBe(false);
    expect(sameStoredJson({ a: 1 }, { a: 1, b: null })).toBe(false);
  });
});

describe("a flow's declared needs decide what the router loads, whatever its key", () => {
  // The replenishment flow's trigger matches only an order with a reorder interval;
  // without settings for the product, only a learned interval gives it one.
  const addFlow = async (key: string, definition: object) => {
    const flow = await prisma().flow.create({ data: { shopId, key, name: key, status: "on" } });
    const version = await prisma().flowVersion.create({ data: { shopId, flowId: flow.id, version: 1, definition } });
    await prisma().flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
    return flow.id;
  };
  const built: FlowDefinition = buildReplenishment();

  it("learns the interval for a flow that declares the need, or a stored one from before the field, and not for one that declares none", async () => {
    expect(built.needs).toEqual(["learnedReorderIntervals"]);
    const { needs: _, ...legacy } = built;
    const declares = await addFlow("custom-refill", { ...built, key: "custom-refill" });
    const storedBefore = await addFlow("legacy-refill", { ...legacy, key: "legacy-refill" });
    const declaresNone = await addFlow("no-needs-refill", { ...built, key: "no-needs-refill", needs: [] });
    const customer = await prisma().customer.findFirstOrThrow({ where: { shopId, email: "r1@example.com" } });
    await deliver(
      SHOP,
      "orders/create",
      orderPayload({
        id: 777778,
        name: "#7778",
        email: "r1@example.com",
        customer: null,
        created_at: T.toISOString(),
        processed_at: T.toISOString(),
        line_items: [{ id: 2, product_id: 8000000001, variant_id: 45000000001, title: "Beans", quantity: 1, price: "50.00" }],
      }),
    );
    await drainWebhooks();
    while ((await routeEvents()).claimed > 0);
    const interval = async (flowId: string) => {
      const e = await prisma().enrollment.findFirst({ where: { shopId, flowId, customerId: customer.id } });
      return e && (e.state as { trigger: { data: { reorderIntervalDays?: number } } }).trigger.data.reorderIntervalDays;
    };
    expect(await interval(declares)).toBe(20);
    expect(await interval(storedBefore)).toBe(20);
    expect(await interval(declaresNone)).toBeNull();
    for (const id of [declares, storedBefore, declaresNone]) await prisma().flow.update({ where: { id }, data: { status: "off" } });
  });
});
