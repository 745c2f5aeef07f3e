import type { Customer, Prisma } from "@prisma/client";
import { db } from "../db/client.server";
import { grantConsent } from "./consent-changes.server";
import { trySyncConsentNow } from "./consent-sync.server";
import { findLiveCustomer } from "./customers.server";
import { MARKETING_TOPICS, PAUSE_DAYS, isMarketingTopic } from "./topics";
import { unsubscribe } from "./unsubscribe.server";

// What the preference center can do. Each change is audited (actor "customer");
// consent changes also land in the consent history through applyConsent.

export type PreferenceAction = "save_topics" | "pause" | "resume" | "unsubscribe_all" | "resubscribe";

export interface PreferenceChange {
  shopId: string;
  customerId: string;
  action: PreferenceAction;
  /** save_topics: the topics the shopper wants (ticked boxes). */
  topics?: string[];
  at: Date;
}

async function audit(c: Customer, action: string, details: Prisma.InputJsonObject, at: Date) {
  await db().auditLog.create({
    data: { shopId: c.shopId, actor: "customer", action, subjectType: "customer", subjectId: c.id, details, at },
  });
}

export async function applyPreferenceChange(change: PreferenceChange): Promise<Customer> {
  const { shopId, at } = change;
  const customer = await findLiveCustomer(db(), shopId, change.customerId);
  if (!customer) throw new Error("preferences: unknown customer");
  switch (change.action) {
    case "save_topics": {
      const wanted = new Set((change.topics ?? []).filter(isMarketingTopic));
      const unsubscribedTopics = MARKETING_TOPICS.filter((t) => !wanted.has(t));
      await db().customer.update({ where: { id: customer.id }, data: { unsubscribedTopics } });
      await audit(customer, "preferences.topics_updated", { unsubscribedTopics }, at);
      break;
    }
    case "pause": {
      const until = new Date(at.getTime() + PAUSE_DAYS * 86_400_000);
      await db().customer.update({ where: { id: customer.id }, data: { marketingPausedUntil: until } });
      await audit(customer, "preferences.paused", { until: until.toISOString() }, at);
      break;
    }
    case "resume": {
      await db().customer.update({ where: { id: customer.id }, data: { marketingPausedUntil: null } });
      await audit(customer, "preferences.resumed", {}, at);
      break;
    }
    case "unsubscribe_all": {
      await unsubscribe({ shopId, customerId: customer.id, channels: ["email", "sms"], source: "preference_center", at });
      break;
    }
    case "resubscribe": {
      // Clicking a link mailed to the address is an explicit request from its owner.
      const changed = await db().$transaction(async (tx) => {
        const ok = await grantConsent(tx, customer, "email", "single_opt_in", { at, source: "preference_center" });
        await tx.customer.update({ where: { id: customer.id }, data: { marketingPausedUntil: null } });
        return ok;
      });
      if (changed) await trySyncConsentNow(shopId, customer.id);
      break;
    }
  }
  return db().customer.findUniqueOrThrow({ where: { id: customer.id } });
}
