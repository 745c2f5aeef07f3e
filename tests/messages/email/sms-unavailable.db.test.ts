// Without the SMS channel (a build that does not ship it), SMS rows fail plainly
// instead of staying claimed or being dropped silently.
import { describe, expect, it, vi } from "vitest";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { useTestDatabase } from "../../support/db";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";

vi.mock("~/server/channels/sms/send-sms.server", () => {
  throw new Error("Cannot find module './sms/send-sms.server'");
});

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;

describe("SMS channel missing", () => {
  it("marks SMS messages failed with 'sms channel unavailable'", async () => {
    const shop = await createShop(prisma());
    const customer = await createCustomer(prisma(), shop.id, { phone: "+48601234567", smsConsentState: "subscribed" });
    const message = await enqueueEmail(prisma(), shop.id, customer, {
      channel: "sms",
      toAddress: "+48601234567",
      templateKey: "sms",
      payload: { body: "Hi" },
    });
    expect(await dispatchDueMessages("w")).toMatchObject({ claimed: 1, failed: 1 });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: "failed",
      error: "sms channel unavailable",
      leaseOwner: null,
    });
    expect(await prisma().decision.findMany({ where: { messageId: message.id } })).toMatchObject([
      { outcome: "skip", reason: "sms_channel_unavailable" },
    ]);
  });
});
