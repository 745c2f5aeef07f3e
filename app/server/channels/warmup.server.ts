import type { Shop, ShopSending } from "@prisma/client";
import { z } from "zod";
import { localDay, nextLocalMidnight, rampPlan, warmupAllowance, type WarmupRamp } from "~/domain/sending/warmup";
import { db } from "../db/client.server";

// The warm-up ramp as the email dispatcher enforces it. Each email takes a slot of its
// shop's allowance for the shop-local day just before it is marked "sending"; the slot
// is one guarded UPDATE of the ShopSending row, so any number of workers and send lanes
// together never take more than the day's allowance (the row lock orders them and the
// second re-reads the count the first committed). An email over the allowance waits for
// the next local day: deferred, never dropped.

const Days = z.array(z.number().int().positive()).max(60);
const Ramp = z.object({ firstDay: z.number().positive(), growth: z.number().positive(), target: z.number().positive() });

/**
 * ShopSending.warmupPlan: the daily allowances, stored with the ramp they were built
 * from ({ ramp, days }) so the settings page shows the merchant's own figures back;
 * a bare array (written before ramps could be shaped) is still read as the days.
 */
export const WarmupPlan = z.union([Days, z.object({ ramp: Ramp, days: Days })]);

export function storedWarmupPlan(ramp: WarmupRamp): { ramp: WarmupRamp; days: number[] } {
  return { ramp: { ...ramp }, days: rampPlan(ramp) };
}

export type WarmupSlot =
  | { ok: true; /** The slot to hand back if the email does not go out after all. */ day: string | null }
  | { ok: false; allowance: number; day: string; retryAt: Date };

export function warmupPlanOf(sending: Pick<ShopSending, "warmupPlan"> | null | undefined): number[] | null {
  const parsed = WarmupPlan.safeParse(sending?.warmupPlan);
  if (!parsed.success) return null;
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.days;
}

/** The ramp the stored plan was built from; null for a bare array (or no plan). */
export function warmupRampOf(sending: Pick<ShopSending, "warmupPlan"> | null | undefined): WarmupRamp | null {
  const parsed = WarmupPlan.safeParse(sending?.warmupPlan);
  return parsed.success && !Array.isArray(parsed.data) ? parsed.data.ramp : null;
}

export async function reserveWarmupSlot(
  shop: Pick<Shop, "id" | "timezone">,
  sending: ShopSending | null | undefined,
  at: Date,
): Promise<WarmupSlot> {
  if (!sending?.warmupStartDay) return { ok: true, day: null };
  const today = localDay(at, shop.timezone);
  const allowance = warmupAllowance(warmupPlanOf(sending), sending.warmupStartDay, today);
  if (allowance === null) return { ok: true, day: null };
  const taken = await db().$queryRaw<{ sent: number }[]>`
    UPDATE "ShopSending"
    SET "warmupSent" = CASE WHEN "warmupDay" = ${today} THEN "warmupSent" + 1 ELSE 1 END, "warmupDay" = ${today}
    WHERE "shopId" = ${shop.id} AND ("warmupDay" IS DISTINCT FROM ${today} OR "warmupSent" < ${allowance})
    RETURNING "warmupSent" AS sent`;
  if (taken.length === 1) return { ok: true, day: today };
  return { ok: false, allowance, day: today, retryAt: nextLocalMidnight(at, shop.timezone) };
}

/** An email that took a slot and did not go out (lease lost, provider said "later"): the slot is free again. */
export async function releaseWarmupSlot(shopId: string, day: string | null): Promise<void> {
  if (!day) return;
  await db().$executeRaw`
    UPDATE "ShopSending" SET "warmupSent" = "warmupSent" - 1
    WHERE "shopId" = ${shopId} AND "warmupDay" = ${day} AND "warmupSent" > 0`;
}
