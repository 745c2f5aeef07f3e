import type { OtherEnrollment, RecentSend, ShopSettings } from "~/domain/arbitration/types";
import type { EngineContext, TriggerPayload } from "~/domain/journey";
import type { RawQuery } from "../db/client.server";
import { loadCustomers, type CustomerRecord } from "../db/sql/customers.server";
import { loadPlannedSends } from "../db/sql/enrollments.server";
import { loadRecentSends } from "../db/sql/messages.server";
import { loadShops, type ShopRecord } from "../db/sql/shops.server";
import { RollupBuffer } from "../measurement/rollup-buffer.server";

// Set-based loaders: one query per kind of fact for a whole batch of customers, so a
// batch of enrollments costs a handful of round trips, not a handful per enrollment.

/**
 * The facts of one batch, loaded once and kept current in memory while the batch's
 * steps run in order: a send queued by one enrollment counts against the caps and
 * priorities of the next enrollment of the same customer in the same batch.
 */
export class BatchContext {
  /**
   * The report figures this batch's writes move (entries, decisions, holdouts), written
   * at the end of the transaction by whoever loaded the context (see RollupBuffer).
   */
  readonly rollups = new RollupBuffer();

  private constructor(
    readonly customers: Map<string, CustomerRecord>,
    readonly shops: Map<string, ShopRecord>,
    private readonly recent: Map<string, RecentSend[]>,
    private readonly active: Map<string, OtherEnrollment[]>,
  ) {}

  static async load(q: RawQuery, shopIds: string[], customerIds: string[], now: number): Promise<BatchContext> {
    const shopList = [...new Set(shopIds)];
    const shops = await loadShops(q, shopList);
    const ids = [...new Set(customerIds)];
    const since = capWindowStart(shops.values(), now);
    // Sequential: on one connection (a transaction) queries cannot overlap anyway.
    const customers = await loadCustomers(q, shopList, ids);
    const recent = await loadRecentSends(q, shopList, ids, since);
    // Other enrollments' planned sends that can compete for the same slot (the priority check).
    const active = await loadPlannedSends(q, shopList, ids, new Date(now + (now - since.getTime())));
    return new BatchContext(customers, shops, recent, active);
  }

  recentSends(customerId: string): RecentSend[] {
    let list = this.recent.get(customerId);
    if (!list) this.recent.set(customerId, (list = []));
    return list;
  }

  /** The shop's IANA zone: rollup days are the shop's calendar days. */
  timeZoneOf(shopId: string): string {
    return this.shops.get(shopId)?.timezone ?? "UTC";
  }

  activeEnrollments(customerId: string): OtherEnrollment[] {
    let list = this.active.get(customerId);
    if (!list) this.active.set(customerId, (list = []));
    return list;
  }

  /** The engine's view for one enrollment; null when the customer or shop is gone. */
  engineContext(
    e: { id: string; shopId: string; customerId: string; holdout: boolean },
    flow: { id: string; key: string; priority: number; excludeAfterOrderHours?: number | null },
    trigger?: TriggerPayload,
  ): EngineContext | null {
    const customer = this.customers.get(e.customerId);
    const shop = this.shops.get(e.shopId);
    if (!customer || !shop) return null;
    return {
      customer,
      shop,
      recentSends: this.recentSends(e.customerId),
      otherEnrollments: this.activeEnrollments(e.customerId).filter((o) => o.enrollmentId !== e.id),
      // Decided at entry and stored: a later change of the flow's percent moves no running entry.
      holdout: e.holdout,
      enrollmentId: e.id,
      flow,
      ...(trigger ? { trigger } : {}),
    };
  }
}

/** The longest cap window of any shop, so one query covers every customer's caps. */
export function capWindowStart(shops: Iterable<ShopSettings>, now: number): Date {
  let hours = 24 * 7;
  for (const s of shops) for (const rules of Object.values(s.frequencyCaps)) for (const r of rules) hours = Math.max(hours, r.windowHours);
  return new Date(now - hours * 3_600_000);
}
