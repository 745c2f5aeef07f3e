import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as standinRoute from "../../demo/routes/admin-api-graphql";
import { resetStandin } from "../../demo/standins/admin-api.server";
import { DEMO_PRODUCTS } from "../../demo/seed/demo-shop";
import { SYNC_PENDING } from "~/server/compliance/consent-sync.server";
import { listQuarantined } from "~/server/db/sql/quarantine.server";
import { releaseQuarantined } from "~/server/worker/quarantine.server";
import { useTestDatabase } from "../support/db";
import { serveRoutes } from "../support/http";
import { createCustomer, createShop, enqueueEmail } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";
import { deliver, drainWebhooks } from "../support/webhooks";
import { productPayload } from "../capture/shopify-fixtures";
import { dropTrigger, raiseTrigger, runTaskOnce, runTaskUntilIdle } from "./support";

// Poisonous items in the queues that talk to the outside (outbox, consent write-back,
// catalogue backfill): set aside after failing twice, the rest of the queue goes on.
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let server: Awaited<ReturnType<typeof serveRoutes>>;

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  smtp = await startSmtpTestServer();
  resetStandin();
  server = await serveRoutes({ "/dev/shopify/:shop/admin/api/:version/graphql.json": standinRoute });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = `${server.url}/dev/shopify`;
});
afterAll(async () => {
  await smtp?.close();
  await server?.close();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  delete process.env.LOG_LEVEL;
});

describe("a poisonous message in the outbox's batch", () => {
  it("is quarantined; the other messages of the batch are sent; a release sends it once it can be", async () => {
    const shop = await createShop(prisma());
    const messages = [];
    for (const name of ["ala", "bea", "cyd"]) {
      const customer = await createCustomer(prisma(), shop.id, { email: `${name}@example.com` });
      messages.push(await enqueueEmail(prisma(), shop.id, customer));
    }
    const poison = messages[1]!;
    await getDb().execScript(raiseTrigger("poison_send", "Message", "UPDATE", `NEW.id = '${poison.id}' AND NEW.status = 'sending'`));

    await runTaskUntilIdle("outbox");

    const statuses = await prisma().message.findMany({ where: { shopId: shop.id }, select: { id: true, status: true } });
    expect(new Map(statuses.map((m) => [m.id, m.status]))).toEqual(
      new Map([
        [messages[0]!.id, "sent"],
        [poison.id, "quarantined"],
        [messages[2]!.id, "sent"],
      ]),
    );
    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(["ala@example.com", "cyd@example.com"]);
    const [listed] = await listQuarantined(getDb().query, shop.id);
    expect(listed).toMatchObject({ kind: "message", itemId: poison.id, failures: 2 });
    expect(listed!.error).not.toMatch(/@example\.com/);

    await getDb().execScript(dropTrigger("poison_send", "Message"));
    expect(await releaseQuarantined(shop.id, listed!.id, "staff:7")).toEqual({ ok: true, kind: "message" });
    await runTaskUntilIdle("outbox");
    expect(await prisma().message.findUniqueOrThrow({ where: { id: poison.id } })).toMatchObject({ status: "sent" });
    expect(smtp.received.filter((m) => m.envelopeTo[0] === "bea@example.com")).toHaveLength(1);
  });
});

describe("a poisonous row in the consent write-back queue", () => {
  it("is quarantined (details it cannot read); the rows behind it are still handled", async () => {
    const shop = await createShop(prisma(), { domain: "consent-poison.myshopify.com" });
    const customer = await createCustomer(prisma(), shop.id, { email: "dee@example.com" });
    const base = { shopId: shop.id, actor: "system", action: SYNC_PENDING, subjectType: "customer", at: new Date() };
    const poison = await prisma().auditLog.create({ data: { ...base, subjectId: customer.id, details: Prisma.DbNull } });
    // Behind it: a customer the app no longer has, which is settled as skipped.
    const fine = await prisma().auditLog.create({
      data: { ...base, subjectId: "gone", details: { channel: "email", attempts: 0, nextAttemptAt: new Date(0).toISOString() } },
    });

    await runTaskOnce("consent-write-back");
    expect(await prisma().auditLog.findUniqueOrThrow({ where: { id: fine.id } })).toMatchObject({ action: "consent.sync_skipped" });
    await runTaskOnce("consent-write-back");

    expect(await prisma().auditLog.findUniqueOrThrow({ where: { id: poison.id } })).toMatchObject({ action: "consent.sync_quarantined" });
    const [listed] = await listQuarantined(getDb().query, shop.id);
    expect(listed).toMatchObject({ kind: "consent-write-back", itemId: String(poison.id), failures: 2 });
    expect(listed!.error).toMatch(/TypeError|Invalid/);
    expect(await runTaskOnce("consent-write-back")).toBe(0);
  });
});

describe("a shop whose catalogue backfill keeps failing", () => {
  it("is quarantined after failing twice; the other shop's catalogue is backfilled", async () => {
    const shops = [];
    for (const domain of ["catalog-poison.myshopify.com", "catalog-fine.myshopify.com"]) {
      const shop = await prisma().shop.create({ data: { domain, name: domain } });
      await prisma().session.create({ data: { id: `offline_${domain}`, shop: domain, state: "s", accessToken: "shpat_x" } });
      shops.push(shop);
    }
    await getDb().execScript(raiseTrigger("poison_catalog", "Product", "INSERT", `NEW."shopId" = '${shops[0]!.id}'`));

    await runTaskUntilIdle("catalog-backfill");
    expect(await prisma().product.count({ where: { shopId: shops[1]!.id } })).toBe(DEMO_PRODUCTS.length);
    // The lease keeps the failed shop from a retry at once; once it expires, it fails again.
    await prisma().shop.update({ where: { id: shops[0]!.id }, data: { catalogSyncLeaseUntil: null } });
    await runTaskUntilIdle("catalog-backfill");

    const [listed] = await listQuarantined(getDb().query, shops[0]!.id);
    expect(listed).toMatchObject({ kind: "catalog-backfill", itemId: shops[0]!.id, failures: 2 });
    await prisma().shop.update({ where: { id: shops[0]!.id }, data: { catalogSyncLeaseUntil: null } });
    expect(await runTaskOnce("catalog-backfill")).toBe(0); // skipped while set aside
    await getDb().execScript(dropTrigger("poison_catalog", "Product"));
  });
});

describe("a stored webhook delivery that keeps failing", () => {
  it("is retried with backoff, then quarantined with its reason; the deliveries claimed with it are processed", async () => {
    const shop = await prisma().shop.create({ data: { domain: "webhook-poison.myshopify.com", name: "Webhooks" } });
    await deliver(shop.domain, "orders/create", { id: 5, note: "no name, no currency" }, { webhookId: "wh-poison" });
    await deliver(shop.domain, "products/create", productPayload({ id: 9001, title: "Kawa" }), { webhookId: "wh-fine" });

    await drainWebhooks();
    expect(await prisma().product.count({ where: { shopId: shop.id } })).toBe(1);
    const first = await prisma().webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-poison" } });
    expect(first).toMatchObject({ status: "received", attempts: 1 });
    // Backoff: not due again at once.
    expect(first.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(await drainWebhooks()).toBe(0);
    for (let i = 0; i < 2; i++) {
      await prisma().webhookDelivery.update({ where: { id: first.id }, data: { nextAttemptAt: new Date(0) } });
      await drainWebhooks();
    }
    expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "quarantined" });
    const [listed] = await listQuarantined(getDb().query, shop.id);
    expect(listed).toMatchObject({ kind: "webhook", itemId: first.id, failures: 3 });
    expect(listed!.error).toMatch(/UnusablePayload|name|currency/);
  });
});
