import { beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock.server";
import { installCatalogue, saveFlowSettings, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { useTestDatabase } from "../support/db";
import { deliver, drainWebhooks } from "../support/webhooks";
import { checkoutPayload } from "../capture/shopify-fixtures";

const SHOP = "sms-flow.myshopify.com";
const HOUR = 3_600_000;
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

async function settleAt(at: Date) {
  setClock(at);
  await drainWebhooks();
  while ((await routeEvents()).claimed > 0);
  while ((await runDueEnrollments()).claimed > 0);
}

// Checkout at 17:30 Warsaw (16:30 UTC, winter): the SMS step is due 4 h later, at 21:30.
const T0 = new Date("2026-11-24T16:30:00Z");

beforeAll(async () => {
  setClock(T0);
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "SMS shop", timezone: "Europe/Warsaw", holdoutPercent: 0 } })).id;
  await installCatalogue(shopId);
  await saveFlowSettings(shopId, "abandoned_checkout", { sms: { enabled: true } }, "test", "SMS on");
  await setFlowStatus(shopId, "abandoned_checkout", "on", "test");
  await prisma().customer.create({
    data: {
      shopId,
      email: "ewa@example.com",
      phone: "+48601111222",
      emailConsentState: "subscribed",
      emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      smsConsentState: "subscribed",
      smsConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
});

describe("an SMS step in a flow", () => {
  it("an SMS due at 21:30 local time is deferred to 08:00 and queued with its text", async () => {
    setClock(T0);
    await deliver(
      SHOP,
      "checkouts/create",
      checkoutPayload({
        token: "chk-sms",
        // Shopify's recovery link is on the shop's own domain; a foreign one would be replaced by the shop's home page.
        abandoned_checkout_url: `https://${SHOP}/123/checkouts/chk-sms/recover?key=secret`,
        email: "ewa@example.com",
        phone: "+48601111222",
        created_at: T0.toISOString(),
        updated_at: T0.toISOString(),
      }),
    );
    await settleAt(new Date(T0.getTime() + 5000)); // (the delivery was received a moment after T0)
    await settleAt(new Date(T0.getTime() + 1 * HOUR + 60_000)); // email 1
    await settleAt(new Date(T0.getTime() + 4 * HOUR + 60_000)); // 21:31 Warsaw: the SMS is due
    expect(await prisma().message.count({ where: { shopId, channel: "sms" } })).toBe(0);
    const defer = await prisma().decision.findFirstOrThrow({ where: { shopId, outcome: "defer", reason: "quiet_hours" } });
    expect(defer.stepId).toBe("send_sms");
    const e = await prisma().enrollment.findFirstOrThrow({ where: { shopId } });
    expect(e.nextWakeAt!.toISOString()).toBe("2026-11-25T07:00:00.000Z"); // 08:00 in Warsaw

    await settleAt(new Date("2026-11-25T07:00:00Z"));
    const sms = await prisma().message.findFirstOrThrow({ where: { shopId, channel: "sms" } });
    expect(sms).toMatchObject({ toAddress: "+48601111222", templateKey: "abandoned_checkout_sms_1" });
    expect((sms.payload as { body: string }).body).toContain("SMS shop");
    expect((sms.payload as { body: string }).body).toContain("/recover");
  });
});
