// The admin's per-task and per-flow health: a shop sees its own backlog and lag (never
// another shop's), the workers' error rates of the last hour, and per flow the lag of
// its due steps and the share of decisions that did not send or failed to.
import { afterEach, describe, expect, it } from "vitest";
import { resetClock, setClock } from "~/server/clock.server";
import { database } from "~/server/db/client.server";
import { addTaskMinutes } from "~/server/db/sql/operations.server";
import { loadTaskHealth } from "~/server/admin/task-health.server";
import { useTestDatabase } from "../support/db";
import { createCustomer, createShop, enqueueEmail } from "../messages/email/support/fixtures";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const T0 = new Date("2026-03-10T09:00:00Z");
const MIN = 60_000;

afterEach(() => resetClock());

async function flowWithDueStep(shopId: string, name: string, dueAt: Date) {
  const flow = await prisma().flow.create({ data: { shopId, key: name.toLowerCase(), name, status: "on" } });
  const version = await prisma().flowVersion.create({ data: { shopId, flowId: flow.id, version: 1, definition: {} } });
  const customer = await createCustomer(prisma(), shopId);
  await prisma().enrollment.create({
    data: { shopId, flowId: flow.id, flowVersionId: version.id, customerId: customer.id, state: {}, nextWakeAt: dueAt, enteredAt: dueAt },
  });
  return { flow, customer };
}

describe("task health", () => {
  it("shows the shop's own lag and backlog, the workers' error rate of the last hour, and per flow lag and skip/error rates", async () => {
    const mine = await createShop(prisma());
    const other = await createShop(prisma());
    setClock(T0);
    const customer = await createCustomer(prisma(), mine.id);
    await enqueueEmail(prisma(), mine.id, customer, { nextAttemptAt: new Date(T0.getTime() - 20 * MIN) });
    await enqueueEmail(prisma(), mine.id, customer, { nextAttemptAt: new Date(T0.getTime() - 2 * MIN) });
    await enqueueEmail(prisma(), mine.id, customer, { nextAttemptAt: new Date(T0.getTime() + 30 * MIN) }); // not due yet
    // Another shop's older, bigger backlog is not this shop's business.
    for (let i = 0; i < 3; i++) await enqueueEmail(prisma(), other.id, null, { nextAttemptAt: new Date(T0.getTime() - 90 * MIN) });

    const { flow } = await flowWithDueStep(mine.id, "Welcome", new Date(T0.getTime() - 7 * MIN));
    await flowWithDueStep(other.id, "Welcome", new Date(T0.getTime() - 70 * MIN));
    const decision = (outcome: string, reason: string, minutesAgo: number) => ({
      shopId: mine.id,
      flowId: flow.id,
      outcome,
      reason,
      at: new Date(T0.getTime() - minutesAgo * MIN),
    });
    await prisma().decision.createMany({
      data: [
        decision("send", "allowed", 5),
        decision("send", "allowed", 10),
        decision("skip", "no_consent", 15),
        decision("skip", "send_failed", 20),
        decision("enter", "trigger", 20), // not a send attempt
        decision("skip", "send_failed", 90), // older than the hour
      ],
    });

    await addTaskMinutes(database().query, new Date(T0.getTime() - 30 * MIN), [
      { task: "outbox", runs: 40, failures: 0, lastError: null, lastErrorAt: null },
      {
        task: "webhooks",
        runs: 8,
        failures: 2,
        lastError: "Error 23505: duplicate for anna@example.com",
        lastErrorAt: new Date(T0.getTime() - 30 * MIN),
      },
    ]);
    // A second worker's share of the same minute adds up.
    await addTaskMinutes(database().query, new Date(T0.getTime() - 30 * MIN), [
      { task: "webhooks", runs: 2, failures: 0, lastError: null, lastErrorAt: null },
    ]);
    await addTaskMinutes(database().query, new Date(T0.getTime() - 3 * 60 * MIN), [
      { task: "outbox", runs: 10, failures: 10, lastError: "Error: old", lastErrorAt: new Date(T0.getTime() - 3 * 60 * MIN) },
    ]);

    const health = await loadTaskHealth(mine, "en");
    const task = (name: string) => health.tasks.find((t) => t.task === name)!;
    expect(task("outbox")).toMatchObject({ backlog: 2, runsLastHour: 40, failuresLastHour: 0, errorRate: 0 });
    expect(task("outbox").lagSeconds).toBeGreaterThanOrEqual(20 * 60);
    expect(task("outbox").lagSeconds).toBeLessThan(21 * 60);
    // The last error of the day is kept after its hour has passed.
    expect(task("outbox").lastError).toBe("Error: old");
    expect(task("webhooks")).toMatchObject({ backlog: 0, lagSeconds: 0, runsLastHour: 10, failuresLastHour: 2, errorRate: 0.2 });
    expect(task("webhooks").lastError).toBe("Error 23505: duplicate for <address>");
    expect(task("journey-steps")).toMatchObject({ backlog: 1 });
    expect(task("journey-steps").lagSeconds).toBeLessThan(8 * 60);
    expect(task("retention")).toMatchObject({ backlog: null, lagSeconds: null, runsLastHour: 0, errorRate: null });

    expect(health.flows).toHaveLength(1);
    // A catalogue flow is named in the admin's language, whatever name was stored at install.
    expect(health.flows[0]).toMatchObject({ name: "Welcome series", dueSteps: 1, decisionsLastHour: 5, skipRate: 0.5, errorRate: 0.25 });
    expect(health.flows[0]!.lagSeconds).toBeGreaterThanOrEqual(7 * 60);
    expect(JSON.stringify(health)).not.toContain(other.id);
    expect((await loadTaskHealth(mine, "pl")).flows.map((f) => f.name)).toEqual(["Seria powitalna"]);
  });
});
