import { z } from "zod";
import { DiscountOffer } from "./email-context";
import { DiscountRequest } from "./email-payload";

// An SMS is plain text, rendered when its step runs and stored as payload.body. One
// that carries a discount code cannot be: the code is created at Shopify only when the
// message is sent (as an email's is). Its payload carries the text and everything it
// is rendered over but the code (`bodyTemplate`), and the dispatcher renders it once
// the code exists, storing the result as payload.body before the provider call.

/** What an SMS text reads besides the discount, as it was when the step ran. */
export const SmsScope = z.object({
  shop: z.object({ name: z.string(), url: z.string() }),
  customer: z.object({ firstName: z.string(), lastName: z.string(), fullName: z.string() }),
  links: z.object({ recoveryUrl: z.string() }),
});
export type SmsScope = z.infer<typeof SmsScope>;

export const SmsBodyTemplate = z.object({ text: z.string().min(1).max(1000), scope: SmsScope });
export type SmsBodyTemplate = z.infer<typeof SmsBodyTemplate>;

/** The payload of an SMS rendered at send time (the rest of it is not read here). */
export const DeferredSmsPayload = z.object({
  flowKey: z.string().max(100).nullish(),
  bodyTemplate: SmsBodyTemplate,
  discount: z.union([DiscountOffer, DiscountRequest]),
});
export type DeferredSmsPayload = z.infer<typeof DeferredSmsPayload>;

/** Whether the SMS's text is still to be rendered (a retry of one already rendered sends its body). */
export function rendersAtSendTime(raw: unknown): boolean {
  const p = (raw ?? {}) as { body?: unknown; bodyTemplate?: unknown };
  return typeof p.body !== "string" && p.bodyTemplate !== undefined;
}

/** An SMS payload still to be rendered at send time, or null (it has its body, or a bodyError). */
export function deferredSmsPayload(raw: unknown): DeferredSmsPayload | null {
  return rendersAtSendTime(raw) ? DeferredSmsPayload.parse(raw) : null;
}
