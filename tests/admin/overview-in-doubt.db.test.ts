// Messages left in doubt by a worker that died mid-send are shown to the merchant: their
// count on the Overview (this shop's only, last 30 days) and each on its customer's
// timeline, with a sentence in English and Polish.
import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import { loadOverview } from "~/server/admin/overview.server";
import { customerWhy } from "~/server/admin/customer-why.server";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { now } from "~/server/clock.server";
import { useTestDatabase } from "../support/db";
import { createCustomer, createShop, enqueueEmail } from "../messages/email/support/fixtures";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;

describe("messages in doubt", () => {
  it("counts the shop's messages a dead worker left mid-send on the Overview and lists each on the customer's timeline", async () => {
    const shop = await createShop(prisma());
    const other = await createShop(prisma());
    const customer = await createCustomer(prisma(), shop.id);
    const stranded = { status: "sending", attempts: 1, leaseExpiresAt: new Date(now().getTime() + 15 * 60_000) };
    // Two workers of this shop died mid-send (no liveness lock is held for them), one of another shop.
    for (const worker of ["killed-1", "killed-2"]) await enqueueEmail(prisma(), shop.id, customer, { ...stranded, leaseOwner: worker });
    await enqueueEmail(prisma(), other.id, await createCustomer(prisma(), other.id), { ...stranded, leaseOwner: "killed-3" });
    // Long ago: no longer news.
    await enqueueEmail(prisma(), shop.id, customer, { status: "unknown", updatedAt: new Date(now().getTime() - 40 * 86_400_000) });

    expect((await loadOverview(shop)).health.inDoubt).toBe(0);
    expect(await dispatchDueMessages("survivor")).toMatchObject({ unknown: 3, claimed: 0 });

    expect((await loadOverview(shop)).health.inDoubt).toBe(2);
    expect((await loadOverview(other)).health.inDoubt).toBe(1);

    const why = (await customerWhy(shop, customer.id, "en"))!;
    const inDoubt = why.decisions.filter((d) => d.reason === "outcome_unknown");
    expect(inDoubt).toHaveLength(2);
    expect(inDoubt.every((d) => d.message?.status === "unknown" && d.channel === "email")).toBe(true);

    for (const locale of ["en", "pl"] as const) {
      const t = translator(locale);
      expect(t("home.inDoubt.title", { count: 2 })).toContain("2");
      expect(t("why.reason.outcome_unknown")).not.toBe("why.reason.outcome_unknown");
    }
    expect(translator("pl")("home.inDoubt.body")).not.toBe(translator("en")("home.inDoubt.body"));
  });
});
