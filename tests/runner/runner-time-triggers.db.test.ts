import { beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { sweepTimeTriggers } from "~/server/journeys/sweep.server";
import { useTestDatabase } from "../support/db";

const DAY = 86_400_000;
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;
const T = new Date("2026-11-24T10:00:00Z");

beforeAll(async () => {
  setClock(T);
  shopId = (
    await prisma().shop.create({ data: { domain: "sweep.myshopify.com", name: "Sweep", timezone: "Europe/Warsaw", holdoutPercent: 0 } })
  ).id;
  await installCatalogue(shopId);
  await setFlowStatus(shopId, "win_back", "on", "test");
  const base = { shopId, emailConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"), ordersCount: 2 };
  await prisma().customer.create({
    data: {
      ...base,
      email: "lapsed@example.com",
      lastOrderAt: new Date(T.getTime() - 120 * DAY),
      firstOrderAt: new Date(T.getTime() - 300 * DAY),
    },
  });
  await prisma().customer.create({
    data: {
      ...base,
      email: "recent@example.com",
      lastOrderAt: new Date(T.getTime() - 10 * DAY),
      firstOrderAt: new Date(T.getTime() - 300 * DAY),
    },
  });
  await prisma().customer.create({
    data: { ...base, email: "noconsent@example.com", emailConsentState: "unsubscribed", lastOrderAt: new Date(T.getTime() - 120 * DAY) },
  });
});

describe("time-based triggers", () => {
  it("win-back enrolls only the lapsed, consenting customer, once, however often the sweep runs", async () => {
    await sweepTimeTriggers();
    await sweepTimeTriggers();
    const enrollments = await prisma().enrollment.findMany({ where: { shopId }, include: { customer: true } });
    expect(enrollments.map((e) => e.customer.email)).toEqual(["lapsed@example.com"]);
    const notEnrolled = await prisma().decision.findMany({ where: { shopId, outcome: "not_enrolled" } });
    expect(notEnrolled.map((d) => d.reason)).toEqual(["no_consent"]); // once, not once per sweep
    while ((await runDueEnrollments()).claimed > 0);
    const e = await prisma().enrollment.findFirstOrThrow({ where: { shopId } });
    expect(e.contextKey).toMatch(/^last_order:/);
  });
});
