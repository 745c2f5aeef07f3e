// Conversion rows name their order and message without foreign keys (a key's check
// locked every credited order and message: 13 GB of WAL for one large shop's
// reattribution). The delete rules the keys carried are kept by statement triggers:
// an order deleted takes its conversion, a message deleted leaves the conversion
// without it, only within the shop, and a shop deleted takes all of them.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let n = 0;

/** A shop with one customer, two messages, two orders and a conversion per order (one per message). */
async function shopWithConversions() {
  const domain = `conversion-keys-${++n}.myshopify.com`;
  const shop = await prisma().shop.create({ data: { domain, name: domain } });
  const customer = await prisma().customer.create({ data: { shopId: shop.id, email: `c@${domain}` } });
  const at = new Date("2026-11-02T10:00:00Z");
  const messageIds = [crypto.randomUUID(), crypto.randomUUID()];
  await prisma().message.createMany({
    data: messageIds.map((id) => ({
      id,
      shopId: shop.id,
      customerId: customer.id,
      flowId: "f",
      stepId: "s",
      channel: "email",
      purpose: "marketing",
      idempotencyKey: id,
      status: "sent",
      toAddress: "x",
      templateKey: "t",
      sentAt: at,
    })),
  });
  const orders = await Promise.all(
    [1, 2].map((i) =>
      prisma().order.create({
        data: {
          shopId: shop.id,
          shopifyOrderId: BigInt(1000 + i),
          name: `#${1000 + i}`,
          customerId: customer.id,
          currency: "PLN",
          totalPrice: "100.00",
          subtotalPrice: "90.00",
          processedAt: new Date(at.getTime() + 3_600_000),
        },
      }),
    ),
  );
  await prisma().conversion.createMany({
    data: orders.map((o, i) => ({
      shopId: shop.id,
      orderId: o.id,
      messageId: messageIds[i]!,
      flowId: "f",
      stepId: "s",
      channel: "email",
      kind: "click",
      touchAt: at,
      revenue: "90.00",
      at: o.processedAt,
    })),
  });
  return { shop, orders, messageIds };
}

const conversionsOf = (shopId: string) =>
  prisma().conversion.findMany({ where: { shopId }, orderBy: { orderId: "asc" }, select: { orderId: true, messageId: true } });

describe("a conversion follows its order and message when they are deleted", () => {
  it("an order deleted takes its conversion; a message deleted leaves the conversion without it; another shop's rows stay", async () => {
    const a = await shopWithConversions();
    const b = await shopWithConversions();
    const bBefore = await conversionsOf(b.shop.id);
    expect(bBefore).toHaveLength(2);

    await prisma().message.delete({ where: { id: a.messageIds[0]! } });
    await prisma().order.delete({ where: { id: a.orders[1]!.id } });

    expect(await conversionsOf(a.shop.id)).toEqual([{ orderId: a.orders[0]!.id, messageId: null }]);
    expect(await conversionsOf(b.shop.id)).toEqual(bBefore);
  });

  it("many orders and messages deleted in one statement, and a shop deleted with everything it owns", async () => {
    const a = await shopWithConversions();
    const b = await shopWithConversions();
    await prisma().message.deleteMany({ where: { shopId: a.shop.id } });
    expect((await conversionsOf(a.shop.id)).map((c) => c.messageId)).toEqual([null, null]);
    await prisma().order.deleteMany({ where: { shopId: a.shop.id } });
    expect(await conversionsOf(a.shop.id)).toEqual([]);

    await prisma().shop.delete({ where: { id: b.shop.id } });
    expect(await prisma().conversion.count({ where: { shopId: b.shop.id } })).toBe(0);
    expect(await prisma().order.count({ where: { shopId: b.shop.id } })).toBe(0);
  });
});
