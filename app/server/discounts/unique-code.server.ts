import crypto from "node:crypto";
import { Prisma, type DiscountCode } from "@prisma/client";
import { CODE_RANDOM_LENGTH, codePrefix } from "~/domain/messages/discount-code";
import { now as clockNow } from "../clock.server";
import { db } from "../db/client.server";
import { adminGraphql } from "../shopify/admin-graphql.server";

// One discount code per recipient, created at Shopify exactly once per idempotency
// key (e.g. `${enrollmentId}:${stepId}`):
// 1. the row (with a freshly generated code) is inserted FIRST; a retry or a
//    concurrent call finds that row and so uses the same code;
// 2. the code is created at Shopify; "TAKEN" for our own code means an earlier
//    attempt got through and we lost the answer: that is success, not a conflict;
// 3. the Shopify id is stored. Within a process, concurrent calls for one key share
//    one in-flight attempt; across processes, Shopify's unique codes keep it to one.

export type DiscountKind = "percentage" | "fixed_amount";

export interface EnsureDiscountInput {
  shopId: string;
  customerId: string | null;
  idempotencyKey: string;
  kind: DiscountKind;
  /** percentage: 0-100 (10 = 10 %); fixed_amount: in the shop's currency. */
  value: number;
  expiresAt: Date | null;
  /** Readable start of the code, e.g. "WELCOME" -> WELCOME-7KQ4M2XA. */
  prefix: string;
}

export interface EnsuredDiscount {
  code: string;
  /** gid://shopify/DiscountCodeNode/...; null when Shopify said TAKEN and the id of the earlier creation was lost. */
  shopifyId: string | null;
  expiresAt: Date | null;
}

export class DiscountCreateError extends Error {}

// No 0/O, 1/I/L: codes get read aloud and typed from phones.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function generateCode(prefix: string, length = CODE_RANDOM_LENGTH): string {
  const clean = codePrefix(prefix);
  const bytes = crypto.randomBytes(length);
  const random = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
  return clean ? `${clean}-${random}` : random;
}

const inFlight = new Map<string, Promise<EnsuredDiscount>>();

export function ensureDiscountCode(input: EnsureDiscountInput): Promise<EnsuredDiscount> {
  const key = `${input.shopId}\u0000${input.idempotencyKey}`;
  const running = inFlight.get(key);
  if (running) return running;
  const attempt = ensure(input).finally(() => inFlight.delete(key));
  inFlight.set(key, attempt);
  return attempt;
}

async function ensure(input: EnsureDiscountInput): Promise<EnsuredDiscount> {
  if (!(input.value > 0) || (input.kind === "percentage" && input.value > 100))
    throw new DiscountCreateError(`Invalid discount value ${input.value}`);
  const row = await claimRow(input);
  if (row.shopifyId) return result(row);
  const shop = await db().shop.findUniqueOrThrow({ where: { id: input.shopId }, select: { domain: true } });
  const session = await db().session.findFirst({ where: { shop: shop.domain, isOnline: false }, select: { accessToken: true } });
  if (!session?.accessToken) throw new DiscountCreateError("No offline session for the shop: cannot call the Admin API");
  const customer = row.customerId
    ? await db().customer.findFirst({ where: { id: row.customerId, shopId: input.shopId }, select: { shopifyCustomerId: true } })
    : null;
  const shopifyId = await createAtShopify(shop.domain, session.accessToken, row, customer?.shopifyCustomerId ?? null);
  if (shopifyId) {
    const saved = await db().discountCode.update({ where: { id: row.id }, data: { shopifyId } });
    return result(saved);
  }
  // TAKEN: created by an earlier attempt; another process may have stored its id meanwhile.
  return result(await db().discountCode.findUniqueOrThrow({ where: { id: row.id } }));
}

function result(row: DiscountCode): EnsuredDiscount {
  return { code: row.code, shopifyId: row.shopifyId, expiresAt: row.expiresAt };
}

/** The row for this key: the existing one, or a new one with a fresh code. */
async function claimRow(input: EnsureDiscountInput): Promise<DiscountCode> {
  const where = { shopId_idempotencyKey: { shopId: input.shopId, idempotencyKey: input.idempotencyKey } };
  for (let i = 0; i < 5; i++) {
    const existing = await db().discountCode.findUnique({ where });
    if (existing) return existing;
    // ON CONFLICT DO NOTHING: the key's row from a concurrent call wins, and a
    // (vanishingly rare) clash with another code just means another draw.
    await db().discountCode.createMany({
      data: [
        {
          shopId: input.shopId,
          customerId: input.customerId,
          idempotencyKey: input.idempotencyKey,
          code: generateCode(input.prefix),
          kind: input.kind,
          value: new Prisma.Decimal(input.value),
          expiresAt: input.expiresAt,
          createdAt: clockNow(),
        },
      ],
      skipDuplicates: true,
    });
  }
  const row = await db().discountCode.findUnique({ where });
  if (!row) throw new DiscountCreateError("Could not store a discount code row");
  return row;
}

const CREATE = `#graphql
mutation FlowmateDiscountCreate($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) {
    codeDiscountNode { id }
    userErrors { field message code }
  }
}`;

type CreateResult = {
  discountCodeBasicCreate: {
    codeDiscountNode: { id: string } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  } | null;
};

/** The Shopify id, or null when Shopify says the code is TAKEN (ours, from an earlier attempt). */
async function createAtShopify(
  shop: string,
  accessToken: string,
  row: DiscountCode,
  shopifyCustomerId: bigint | null,
): Promise<string | null> {
  const value = Number(row.value);
  const input = {
    title: `Flowmate ${row.code}`,
    code: row.code,
    startsAt: row.createdAt.toISOString(),
    endsAt: row.expiresAt?.toISOString() ?? null,
    // Only this customer can use it, once: a forwarded code is worthless to others.
    context: shopifyCustomerId !== null ? { customers: { add: [`gid://shopify/Customer/${shopifyCustomerId}`] } } : { all: "ALL" },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    customerGets: {
      value:
        row.kind === "percentage"
          ? { percentage: value / 100 }
          : { discountAmount: { amount: value.toFixed(2), appliesOnEachItem: false } },
      items: { all: true },
    },
  };
  const res = await adminGraphql(shop, accessToken)<CreateResult>(CREATE, { input });
  const payload = res.discountCodeBasicCreate;
  const errors = payload?.userErrors ?? [];
  if (errors.some((e) => e.code === "TAKEN")) return null;
  if (errors.length) throw new DiscountCreateError(`Shopify refused the discount: ${errors.map((e) => e.message).join("; ")}`);
  if (!payload?.codeDiscountNode?.id) throw new DiscountCreateError("Shopify returned no discount id");
  return payload.codeDiscountNode.id;
}
