import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { abandonCheckout, createSmsFlowShop, HOUR, settleAt, T0 } from "../support/sms-flow-shop";

const SHOP = "sms-flow.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  shopId = await createSmsFlowShop(prisma(), SHOP);
});

describe("an SMS step in a flow", () => {
  it("an SMS due at 21:30 local time is deferred to 08:00 and queued with its text", async () => {
    await abandonCheckout(SHOP, "chk-sms");
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
