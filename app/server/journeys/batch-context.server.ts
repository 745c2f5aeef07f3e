import { isInHoldout } from "~/domain/journey";
import type { OtherEnrollment, RecentSend, ShopSettings } from "~/domain/arbitration/types";
import type { EngineContext, TriggerPayload } from "~/domain/journey";
import type { RawQuery } from "../db/client.server";
import { capWindowStart, loadActiveEnrollments, loadCustomers, loadRecentSends, loadShops, type CustomerRecord } from "./context.server";

/**
 * The facts of one batch, loaded once and kept current in memory while the batch's
 * steps run in order: a send queued by one enrollment counts against the caps and
 * priorities of the next enrollment of the same customer in the same batch.
 */
export class BatchContext {
  private constructor(
    readonly customers: Map<string, CustomerRecord>,
    readonly shops: Map<string, ShopSettings & { installed: boolean; name: string; url: string }>,
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
    const active = await loadActiveEnrollments(q, shopList, ids, new Date(now + (now - since.getTime())));
    return new BatchContext(customers, shops, recent, active);
  }

  recentSends(customerId: string): RecentSend[] {
    let list = this.recent.get(customerId);
    if (!list) this.recent.set(customerId, (list = []));
    return list;
  }

  activeEnrollments(customerId: string): OtherEnrollment[] {
    let list = this.active.get(customerId);
    if (!list) this.active.set(customerId, (list = []));
    return list;
  }

  /** The engine's view for one enrollment; null when the customer or shop is gone. */
  engineContext(
    e: { id: string; shopId: string; customerId: string; holdout?: boolean | null },
    flow: { id: string; key: string; priority: number },
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
      holdout: e.holdout ?? isInHoldout(shop.id, customer.id, shop.holdoutPercent),
      enrollmentId: e.id,
      flow,
      ...(trigger ? { trigger } : {}),
    };
  }
}
