import type { Prisma, Shop } from "@prisma/client";
import type { FlowDefinition } from "~/domain/journey";
import {
  estimateFlowSms,
  phoneCountry,
  smsSendSteps,
  type FlowSmsEstimate,
  type SmsAudienceGroup,
  type SmsEstimateShop,
} from "~/domain/sms/estimate";
import { appBaseUrl } from "../config.server";
import { db } from "../db/client.server";

// The flows page's SMS cost estimates: who would receive an SMS today (the shop's
// SMS-subscribed live profiles with a number, by country and locale) and each flow's
// active definition; the arithmetic is app/domain/sms/estimate.ts.

/** Country of a customer whose profile has none. */
const UNKNOWN_COUNTRY = "ZZ";

function reachable(shopId: string): Prisma.CustomerWhereInput {
  return { shopId, smsConsentState: "subscribed", phone: { not: null }, mergedIntoId: null, redactedAt: null };
}

/** SMS-subscribed customers by country (the profile's, else the phone number's) and locale. */
export async function smsAudience(shopId: string): Promise<SmsAudienceGroup[]> {
  const [known, unknown] = await Promise.all([
    db().customer.groupBy({
      by: ["countryCode", "locale"],
      where: { ...reachable(shopId), countryCode: { not: null } },
      _count: { _all: true },
    }),
    db().customer.findMany({ where: { ...reachable(shopId), countryCode: null }, select: { phone: true, locale: true } }),
  ]);
  const groups = new Map<string, SmsAudienceGroup>();
  const add = (country: string, locale: string | null, n: number) => {
    const id = `${country}\u0000${locale ?? ""}`;
    const g = groups.get(id) ?? { country, locale, recipients: 0 };
    g.recipients += n;
    groups.set(id, g);
  };
  for (const r of known) add(r.countryCode!.toUpperCase(), r.locale, r._count._all);
  for (const c of unknown) add(phoneCountry(c.phone!) ?? UNKNOWN_COUNTRY, c.locale, 1);
  return [...groups.values()];
}

export function estimateShop(shop: Pick<Shop, "name" | "domain" | "primaryDomain" | "locale">): SmsEstimateShop {
  return { name: shop.name, host: shop.primaryDomain ?? shop.domain, locale: shop.locale, linkBase: appBaseUrl() };
}

/** Flow key -> estimate, for the flows whose active version sends SMS (optionally only `keys`). */
export async function flowSmsEstimates(shop: Shop, keys?: string[]): Promise<Map<string, FlowSmsEstimate>> {
  const flows = await db().flow.findMany({
    where: { shopId: shop.id, activeVersionId: { not: null }, ...(keys ? { key: { in: keys } } : {}) },
    select: { key: true, activeVersionId: true },
  });
  const versions = await db().flowVersion.findMany({
    where: { shopId: shop.id, id: { in: flows.map((f) => f.activeVersionId!) } },
    select: { id: true, definition: true },
  });
  const definitions = new Map(versions.map((v) => [v.id, v.definition as unknown as FlowDefinition]));
  const out = new Map<string, FlowSmsEstimate>();
  const sendsSms = flows.filter((f) => {
    const d = definitions.get(f.activeVersionId!);
    return d ? smsSendSteps(d).length > 0 : false;
  });
  if (sendsSms.length === 0) return out;
  const audience = await smsAudience(shop.id);
  for (const f of sendsSms) {
    const estimate = estimateFlowSms(definitions.get(f.activeVersionId!)!, estimateShop(shop), audience);
    if (estimate) out.set(f.key, estimate);
  }
  return out;
}

export async function flowSmsEstimate(shop: Shop, key: string): Promise<FlowSmsEstimate | null> {
  return (await flowSmsEstimates(shop, [key])).get(key) ?? null;
}

/** What the audit log keeps of a confirmed estimate. */
export function estimateAuditDetails(e: FlowSmsEstimate) {
  return {
    currency: e.currency,
    recipients: e.recipients,
    total: e.total,
    steps: e.steps.map((s) => ({
      stepId: s.stepId,
      total: s.total,
      per1000: s.per1000,
      texts: s.texts.map((t) => ({
        language: t.language,
        encoding: t.encoding,
        segments: t.segments,
        characters: t.characters,
        recipients: t.recipients,
      })),
    })),
  };
}
