// The system health page's data and its retry action, on items the worker really set
// aside (a consent write-back row it cannot read), scoped by shop.
import { Prisma, type Shop } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { action, loader } from "~/routes/app.health";
import { SYNC_PENDING } from "~/server/compliance/consent-sync.server";
import { DEMO_SHOP_DOMAIN } from "~/server/config.server";
import { useTestDatabase } from "../support/db";
import { runTaskOnce } from "../poison/support";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shop: Shop;
let other: Shop;
const poisoned: Record<string, bigint> = {};

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  shop = await prisma().shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Demo", timezone: "Europe/Warsaw" } });
  other = await prisma().shop.create({ data: { domain: "other-health.myshopify.com", name: "Other" } });
  for (const s of [shop, other]) {
    const row = await prisma().auditLog.create({
      data: { shopId: s.id, actor: "system", action: SYNC_PENDING, subjectType: "customer", subjectId: "c", details: Prisma.DbNull },
    });
    poisoned[s.id] = row.id;
  }
  await runTaskOnce("consent-write-back");
  await runTaskOnce("consent-write-back");
});

const args = (request: Request) => ({ request, params: {}, context: {} });
const page = (q = "") => new Request(`http://localhost/app/health${q}`);
const retry = (id: string) =>
  new Request("http://localhost/app/health", { method: "POST", body: new URLSearchParams({ intent: "retry", id }) });

describe("system health", () => {
  it("lists this shop's set-aside items per task, with their error and attempts, and not another shop's", async () => {
    const data = await loader(args(page()));
    expect(data.quarantine).toHaveLength(1);
    expect(data.quarantine[0]).toMatchObject({
      task: "consent-write-back",
      items: [{ kind: "consent-write-back", itemId: String(poisoned[shop.id]), attempts: 2 }],
    });
    expect(data.quarantine[0]!.items[0]!.error).toMatch(/^TypeError: /);
  });

  it("retry sends the item back to its queue, audited; another shop's item is not found", async () => {
    const otherItem = await prisma().quarantine.findFirstOrThrow({ where: { shopId: other.id } });
    const refused = await action(args(retry(String(otherItem.id))));
    expect(refused.status).toBe(404);
    expect(await prisma().auditLog.findUniqueOrThrow({ where: { id: poisoned[other.id] } })).toMatchObject({
      action: "consent.sync_quarantined",
    });
    expect((await action(args(retry("not-a-number")))).status).toBe(400);

    const [group] = (await loader(args(page()))).quarantine;
    const res = await action(args(retry(group!.items[0]!.id)));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ released: true });
    expect(await prisma().auditLog.findUniqueOrThrow({ where: { id: poisoned[shop.id] } })).toMatchObject({ action: SYNC_PENDING });
    expect(await prisma().auditLog.findFirstOrThrow({ where: { shopId: shop.id, action: "quarantine.released" } })).toMatchObject({
      actor: "demo-merchant",
      subjectType: "consent-write-back",
      subjectId: String(poisoned[shop.id]),
    });
    expect((await loader(args(page()))).quarantine).toEqual([]);
  });
});
