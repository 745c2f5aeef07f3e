import type { Shop } from "@prisma/client";
import { CATALOGUE, CATALOGUE_KEYS } from "~/domain/flows";
import { FlowDefinitionError, formatValidationErrors } from "~/domain/journey";
import type { Locale } from "~/i18n";
import { db } from "../db/client.server";
import { installCatalogue, setFlowStatus } from "../journeys/flows.server";
import { flowCounters } from "./reports/flow-counters.server";
import { estimateAuditDetails, flowSmsEstimate, flowSmsEstimates } from "./sms-estimate.server";

/** The flows page: the catalogue with each flow's state and what it did in 30 days (from the report rollups). */
export async function loadFlows(shop: Shop, locale: Locale) {
  await installCatalogue(shop.id);
  const [flows, active, counters, sms] = await Promise.all([
    db().flow.findMany({
      where: { shopId: shop.id },
      include: { versions: { select: { version: true }, orderBy: { version: "desc" }, take: 1 } },
    }),
    db().enrollment.groupBy({ by: ["flowId"], where: { shopId: shop.id, status: "active" }, _count: true }),
    flowCounters(shop),
    flowSmsEstimates(shop),
  ]);
  const count = (rows: { flowId: string | null; _count: number }[], id: string) => rows.find((r) => r.flowId === id)?._count ?? 0;
  return CATALOGUE_KEYS.map((key) => {
    const f = flows.find((x) => x.key === key);
    const meta = CATALOGUE[key].meta;
    const c = f ? counters.get(f.id) : undefined;
    return {
      key,
      /** Null until the flow is installed (installCatalogue above installs every catalogue flow). */
      id: f?.id ?? null,
      name: meta.name[locale],
      description: meta.description[locale],
      status: f?.status ?? "off",
      priority: f?.priority ?? CATALOGUE[key].defaultPriority,
      rolloutPercent: f?.rolloutPercent ?? 100,
      version: f?.versions[0]?.version ?? 1,
      active: f ? count(active, f.id) : 0,
      sent30: c?.sent ?? 0,
      heldOut30: c?.heldOut ?? 0,
      deferred30: c?.deferred ?? 0,
      skipped30: c?.skipped ?? 0,
      /** Null when the flow sends no SMS. */
      smsEstimate: sms.get(key) ?? null,
    };
  });
}

export type ToggleResult =
  { ok: true } | { ok: false; reason: "sms_cost_unconfirmed" } | { ok: false; reason: "invalid_definition"; errors: string };

/**
 * Turning on a flow that sends SMS needs the merchant's confirmation of its cost
 * estimate (`confirmSmsCost`), checked here so no client can skip it; the estimate
 * confirmed goes into the audit log with the status change.
 */
export async function toggleFlow(
  shop: Shop,
  key: string,
  on: boolean,
  actor: string,
  opts: { confirmSmsCost?: boolean } = {},
): Promise<ToggleResult> {
  if (!on) {
    await setFlowStatus(shop.id, key, "off", actor);
    return { ok: true };
  }
  const estimate = await flowSmsEstimate(shop, key);
  if (estimate && !opts.confirmSmsCost) return { ok: false, reason: "sms_cost_unconfirmed" };
  try {
    await setFlowStatus(
      shop.id,
      key,
      "on",
      actor,
      undefined,
      estimate ? { smsCostEstimateConfirmed: estimateAuditDetails(estimate) } : undefined,
    );
  } catch (e) {
    if (e instanceof FlowDefinitionError) return { ok: false, reason: "invalid_definition", errors: formatValidationErrors(e.errors) };
    throw e;
  }
  return { ok: true };
}
