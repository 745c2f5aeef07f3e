import type { Customer, Shop } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as standinRoute from "../../demo/routes/admin-api-graphql";
import { resetStandin, standinCalls } from "../../demo/standins/admin-api.server";
import { ensureDiscountCode, generateCode, type EnsureDiscountInput } from "~/server/discounts/unique-code.server";
import { adminGraphql } from "~/server/shopify/admin-graphql.server";
import { useTestDatabase } from "../support/db";
import { serveRoutes } from "../support/http";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const SHOP = "discounts.myshopify.com";
let standin: Awaited<ReturnType<typeof serveRoutes>>;
let shop: Shop;
let known: Customer; // has a Shopify customer id
let guest: Customer;

beforeAll(async () => {
  standin = await serveRoutes({ "/dev/shopify/:shop/admin/api/:version/graphql.json": standinRoute });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = `${standin.url}/dev/shopify`;
  shop = await prisma().shop.create({ data: { domain: SHOP, name: "Kawa & Co." } });
  await prisma().session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "x", isOnline: false, accessToken: "shpat_test" } });
  known = await prisma().customer.create({ data: { shopId: shop.id, shopifyCustomerId: 7000000002n, email: "known@example.com" } });
  guest = await prisma().customer.create({ data: { shopId: shop.id, email: "guest@example.com" } });
});
beforeEach(() => resetStandin());
afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await standin.close();
});

const expiresAt = new Date("2026-12-31T22:59:59.000Z");
const input = (over: Partial<EnsureDiscountInput> = {}): EnsureDiscountInput => ({
  shopId: shop.id,
  customerId: known.id,
  idempotencyKey: "enr_1:step_discount",
  kind: "percentage",
  value: 10,
  expiresAt,
  prefix: "welcome",
  ...over,
});
const creations = () => standinCalls().filter((c) => c.operation === "FlowmateDiscountCreate");

describe("ensureDiscountCode: one unique code per recipient, created once", () => {
  it("creates a single-use code for this customer only, expiring when asked", async () => {
    const d = await ensureDiscountCode(input());
    expect(d.code).toMatch(/^WELCOME-[2-9A-HJKMNP-Z]{8}$/);
    expect(d.shopifyId).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
    expect(d.expiresAt).toEqual(expiresAt);
    const [call] = creations();
    expect(call!.shop).toBe(SHOP);
    expect(call!.variables.input).toMatchObject({
      code: d.code,
      endsAt: expiresAt.toISOString(),
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: ["gid://shopify/Customer/7000000002"] } },
      customerGets: { value: { percentage: 0.1 }, items: { all: true } },
    });
    const row = await prisma().discountCode.findFirstOrThrow({ where: { shopId: shop.id, idempotencyKey: "enr_1:step_discount" } });
    expect(row).toMatchObject({ code: d.code, shopifyId: d.shopifyId, customerId: known.id, kind: "percentage" });
  });

  it("returns the same code on a retry without asking Shopify again", async () => {
    const a = await ensureDiscountCode(input({ idempotencyKey: "retry" }));
    const b = await ensureDiscountCode(input({ idempotencyKey: "retry", value: 50 })); // a retry's arguments cannot change the code
    expect(b).toEqual(a);
    expect(creations()).toHaveLength(1);
  });

  it("makes one Shopify mutation for concurrent calls with the same key", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => ensureDiscountCode(input({ idempotencyKey: "burst" }))));
    expect(new Set(results.map((r) => r.code)).size).toBe(1);
    expect(creations()).toHaveLength(1);
    expect(await prisma().discountCode.count({ where: { idempotencyKey: "burst" } })).toBe(1);
  });

  it("gives every recipient their own code", async () => {
    const a = await ensureDiscountCode(input({ idempotencyKey: "enr_a:s1" }));
    const b = await ensureDiscountCode(input({ idempotencyKey: "enr_b:s1", customerId: guest.id, kind: "fixed_amount", value: 25 }));
    expect(a.code).not.toBe(b.code);
    const guestCall = creations()[1]!;
    // No Shopify customer to tie it to: open to anyone, still single use.
    expect(guestCall.variables.input).toMatchObject({
      context: { all: "ALL" },
      usageLimit: 1,
      customerGets: { value: { discountAmount: { amount: "25.00" } } },
    });
  });

  it("treats Shopify's TAKEN for our own code as success (created before a crash lost the answer)", async () => {
    // The crash: the row was stored and Shopify created the code, but the id never came back.
    const code = generateCode("winback");
    await prisma().discountCode.create({
      data: { shopId: shop.id, customerId: known.id, idempotencyKey: "crashed", code, kind: "percentage", value: 15, expiresAt },
    });
    await adminGraphql(SHOP, "shpat_test")(
      `mutation D($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) { userErrors { code } } }`,
      {
        input: { code, title: code },
      },
    );
    const d = await ensureDiscountCode(input({ idempotencyKey: "crashed", prefix: "winback" }));
    expect(d.code).toBe(code);
    expect(d.shopifyId).toBeNull();
    expect(creations()).toHaveLength(1); // one retry, answered TAKEN; no second code
  });

  it("keeps the row and its code when Shopify is unreachable, and finishes on the retry", async () => {
    process.env.SHOPIFY_ADMIN_API_ORIGIN = "http://127.0.0.1:9/unreachable";
    await expect(ensureDiscountCode(input({ idempotencyKey: "outage" }))).rejects.toThrow();
    process.env.SHOPIFY_ADMIN_API_ORIGIN = `${standin.url}/dev/shopify`;
    const stored = await prisma().discountCode.findFirstOrThrow({ where: { idempotencyKey: "outage" } });
    expect(stored.shopifyId).toBeNull();
    const d = await ensureDiscountCode(input({ idempotencyKey: "outage" }));
    expect(d.code).toBe(stored.code);
    expect(d.shopifyId).toMatch(/^gid:/);
  });

  it("refuses nonsense values before touching anything", async () => {
    await expect(ensureDiscountCode(input({ idempotencyKey: "bad1", value: 0 }))).rejects.toThrow(/Invalid discount value/);
    await expect(ensureDiscountCode(input({ idempotencyKey: "bad2", value: 120 }))).rejects.toThrow(/Invalid discount value/);
    expect(await prisma().discountCode.count({ where: { idempotencyKey: { in: ["bad1", "bad2"] } } })).toBe(0);
  });
});
