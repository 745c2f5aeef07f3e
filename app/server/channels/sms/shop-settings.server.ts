import type { Shop } from "@prisma/client";
import { z } from "zod";
import { db } from "../../db/client.server";

// Shop.settings.sms: the shop's sender. The inbound webhook finds the shop by the
// number a shopper texted (To), so a number belongs to one shop.
const SmsSettings = z.object({
  fromNumber: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/)
    .optional(),
  messagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/)
    .optional(),
});
export type ShopSmsSettings = z.infer<typeof SmsSettings>;

export function shopSmsSettings(shop: Pick<Shop, "settings">): ShopSmsSettings {
  const raw = (shop.settings as { sms?: unknown } | null)?.sms;
  const parsed = SmsSettings.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

export async function shopBySmsNumber(to: string): Promise<Shop | null> {
  return db().shop.findFirst({ where: { settings: { path: ["sms", "fromNumber"], equals: to } }, orderBy: { createdAt: "asc" } });
}
