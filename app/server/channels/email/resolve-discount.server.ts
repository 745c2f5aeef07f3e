import type { Message } from "@prisma/client";
import type { DiscountOffer } from "~/domain/messages/email-context";
import { isDiscountRequest, type EmailPayload } from "~/domain/messages/email-payload";
import { db } from "../../db/client.server";
import { ensureDiscountCode } from "../../discounts/unique-code.server";

export class DiscountUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DiscountUnavailableError";
  }
}

/**
 * The code to print in the email. A journey asks for one by idempotency key; it is
 * created at Shopify here, just before sending (once per key, however often this runs),
 * so no code exists for a message that is never sent.
 */
export async function resolveDiscount(message: Message, payload: EmailPayload, at: Date): Promise<DiscountOffer | null> {
  const d = payload.discount;
  if (!d) return null;
  if (!isDiscountRequest(d)) return d;
  const existing = await db().discountCode.findUnique({
    where: { shopId_idempotencyKey: { shopId: message.shopId, idempotencyKey: d.idempotencyKey } },
  });
  if (existing?.shopifyId)
    return {
      code: existing.code,
      kind: existing.kind as DiscountOffer["kind"],
      value: Number(existing.value),
      expiresAt: existing.expiresAt,
    };
  const kind = d.kind ?? (existing?.kind as typeof d.kind);
  const value = d.value ?? (existing ? Number(existing.value) : null);
  if (!kind || !value) throw new DiscountUnavailableError(`Discount ${d.idempotencyKey} has no kind or value to create it with`);
  try {
    const created = await ensureDiscountCode({
      shopId: message.shopId,
      customerId: message.customerId,
      idempotencyKey: d.idempotencyKey,
      kind,
      value,
      expiresAt: d.expiresInHours ? new Date(at.getTime() + d.expiresInHours * 3_600_000) : (existing?.expiresAt ?? null),
      prefix: d.prefix ?? payload.flowKey ?? "",
    });
    return { code: created.code, kind, value, expiresAt: created.expiresAt };
  } catch (err) {
    throw new DiscountUnavailableError(
      `Discount ${d.idempotencyKey} could not be created: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}
