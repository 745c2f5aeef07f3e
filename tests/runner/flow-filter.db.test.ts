// The flow filter through the real runner: a filter added on the flow page (saved as a
// new version, audited with a readable diff) is checked again right before each
// message; an enrollment whose customer stopped matching it gets no next message and
// leaves with filter_failed, which the decision log, the reasons rollup and the
// customer's "why" page show. A customer who still matches gets the message.
import { beforeAll, describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { saveFlowEdits } from "~/server/admin/flow-detail.server";
import { customerWhy } from "~/server/admin/customer-why.server";
import { setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { translator } from "~/i18n";
import { reasonLabel } from "~/i18n/report-labels";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { useTestDatabase } from "../support/db";
import { deliver, drainWebhooks } from "../support/webhooks";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const subscribed = { emailConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z") };

async function settleAt(at: Date) {
  setClock(at);
  await drainWebhooks();
  while ((await routeEvents()).claimed > 0);
  while ((await runDueEnrollments()).claimed > 0);
}

async function checkout(shop: Shop, token: string, email: string, at: Date) {
  setClock(at);
  const iso = at.toISOString();
  await deliver(shop.domain, "checkouts/create", checkoutPayload({ token, email, created_at: iso, updated_at: iso }));
}

let shop: Shop;
const sentSteps = async (email: string) =>
  (
    await prisma().message.findMany({
      where: { shopId: shop.id, customer: { email } },
      select: { idempotencyKey: true },
    })
  )
    .map((m) => m.idempotencyKey.split(":")[1])
    .sort();

beforeAll(async () => {
  // 10:00 in Warsaw: no quiet hours in the way; holdout 0 so every entrant is treated.
  shop = await prisma().shop.create({
    data: { domain: "filter.myshopify.com", name: "Filter", timezone: "Europe/Warsaw", holdoutPercent: 0 },
  });
  await installCatalogue(shop.id);
  await setFlowStatus(shop.id, "abandoned_checkout", "on", "test");
  const flow = await prisma().flow.findFirstOrThrow({ where: { shopId: shop.id, key: "abandoned_checkout" } });
  const saved = await saveFlowEdits(
    shop,
    flow.id,
    { "filter/new/field": "customer.tags", "filter/new/op": "not_contains", "filter/new/value": "no_reminders" },
    "merchant",
    "No reminders for tagged customers",
  );
  expect(saved?.ok && typeof saved.version === "number").toBe(true);

  for (const email of ["stays@example.com", "opts-out@example.com"])
    await prisma().customer.create({ data: { shopId: shop.id, email, ...subscribed } });
  await checkout(shop, "chk-stays", "stays@example.com", new Date("2026-11-24T09:00:00Z"));
  await checkout(shop, "chk-opts-out", "opts-out@example.com", new Date("2026-11-24T09:00:00Z"));
  await settleAt(new Date("2026-11-24T09:00:05Z"));
  await settleAt(new Date("2026-11-24T10:01:00Z")); // email 1 for both
});

describe("the flow filter through the runner", () => {
  it("the page's filter edit is a new version, audited with its readable diff", async () => {
    const audit = await prisma().auditLog.findFirstOrThrow({
      where: { shopId: shop.id, action: "flow.version_created" },
      orderBy: { id: "desc" },
    });
    expect(audit.details).toMatchObject({
      note: "No reminders for tagged customers",
      changes: ["Flow filter: none → customer's tags does not contain no_reminders"],
    });
  });

  it("an enrollment whose customer stops matching is not sent its next message; one who still matches is", async () => {
    expect(await sentSteps("stays@example.com")).toEqual(["send_1"]);
    expect(await sentSteps("opts-out@example.com")).toEqual(["send_1"]);

    // The tag arrives between the two emails (as a customers/update webhook would write it).
    await prisma().customer.updateMany({ where: { shopId: shop.id, email: "opts-out@example.com" }, data: { tags: ["no_reminders"] } });
    await settleAt(new Date("2026-11-25T09:01:00Z")); // email 2 is due 24 h after the checkout

    expect(await sentSteps("stays@example.com")).toEqual(["send_1", "send_2"]);
    expect(await sentSteps("opts-out@example.com")).toEqual(["send_1"]);
    const left = await prisma().enrollment.findFirstOrThrow({ where: { shopId: shop.id, customer: { email: "opts-out@example.com" } } });
    expect(left).toMatchObject({ status: "exited", exitReason: "filter_failed", nextWakeAt: null });
    const stays = await prisma().enrollment.findFirstOrThrow({ where: { shopId: shop.id, customer: { email: "stays@example.com" } } });
    expect(stays.status).toBe("active");

    const decision = await prisma().decision.findFirstOrThrow({ where: { shopId: shop.id, customerId: left.customerId, outcome: "exit" } });
    expect(decision).toMatchObject({ reason: "filter_failed", stepId: "send_2" });
    expect(decision.details).toMatchObject({ failed: ["customer.tags not_contains"] });

    // The report's reasons and the customer's "why" page name it, in English and Polish.
    const rollup = await prisma().flowReasonDaily.findMany({ where: { shopId: shop.id, outcome: "exit", reason: "filter_failed" } });
    expect(rollup.map((r) => [r.stepId, r.count])).toEqual([["send_2", 1]]);
    const why = await customerWhy(shop, left.customerId, "en");
    expect(why!.decisions.map((d) => `${d.outcome}/${d.reason}`)).toContain("exit/filter_failed");
    expect(reasonLabel(translator("en"), "filter_failed")).toBe("No longer matched the filter");
    expect(reasonLabel(translator("pl"), "filter_failed")).toBe("Przestał spełniać filtr");
    expect(translator("pl")("why.reason.filter_failed")).toMatch(/nie spełniał już filtra/);
  });
});
