import type { Shop } from "@prisma/client";
import { isCatalogueKey, CATALOGUE } from "~/domain/flows";
import { DEFAULT_ROLLOUT_THRESHOLDS, rolloutThresholdsOf, type HaltReason } from "~/domain/rollout";
import type { Locale } from "~/i18n";
import { now } from "../clock.server";
import { db } from "../db/client.server";
import { judgeRollout } from "../journeys/rollouts.server";

/**
 * The rollout page of one flow of this shop: its versions, the stage, the go/no-go
 * criteria of each stage for both versions, the halt reason. Null when the flow is
 * not this shop's (the route answers 404).
 */
export async function loadRolloutPage(shop: Pick<Shop, "id">, flowId: string, locale: Locale) {
  const flow = await db().flow.findFirst({ where: { id: flowId, shopId: shop.id } });
  if (!flow) return null;
  const versions = await db().flowVersion.findMany({
    where: { flowId: flow.id, shopId: shop.id },
    select: { id: true, version: true, createdAt: true, createdBy: true, changeNote: true },
    orderBy: { version: "desc" },
    take: 2,
  });
  const active = versions.find((v) => v.id === flow.activeVersionId) ?? null;
  const base = flow.rolloutBaseVersionId
    ? await db().flowVersion.findFirst({
        where: { id: flow.rolloutBaseVersionId, shopId: shop.id },
        select: { id: true, version: true, createdAt: true, createdBy: true, changeNote: true },
      })
    : null;
  const previous = active ? (versions.find((v) => v.version < active.version) ?? null) : null;
  const at = now();
  const judged = base ? await judgeRollout(shop.id, flow.id, at) : null;
  const settings = await db().shop.findUnique({ where: { id: shop.id }, select: { settings: true } });
  const view = (v: NonNullable<typeof active>) => ({ ...v, createdAt: v.createdAt.toISOString() });
  return {
    at: at.toISOString(),
    flow: {
      id: flow.id,
      key: flow.key,
      name: isCatalogueKey(flow.key) ? CATALOGUE[flow.key].meta.name[locale] : flow.name,
      status: flow.status,
    },
    active: active ? view(active) : null,
    /** The go/no-go thresholds in force for this shop (the ones the stages were judged by), and the defaults beside them. */
    thresholds: { inForce: judged?.thresholds ?? rolloutThresholdsOf(settings?.settings), defaults: { ...DEFAULT_ROLLOUT_THRESHOLDS } },
    /** Only without a rollout: the version a new rollout would compare against. */
    canStartFrom: !base && previous ? view(previous) : null,
    rollout: base
      ? {
          base: view(base),
          percent: flow.rolloutPercent,
          halted: flow.rolloutHaltedAt !== null,
          haltedAt: flow.rolloutHaltedAt?.toISOString() ?? null,
          haltReason: (flow.rolloutHaltReason as unknown as HaltReason | null) ?? null,
          stages: (judged?.stages ?? []).map((s) => ({
            percent: s.percent,
            resumed: s.resumed,
            from: s.from.toISOString(),
            to: s.to.toISOString(),
            current: s.current,
            entered: { new: s.counts.new.entered, base: s.counts.base.entered },
            verdict: s.judgement.verdict,
            criteria: s.judgement.criteria,
          })),
        }
      : null,
  };
}

export type RolloutPage = NonNullable<Awaited<ReturnType<typeof loadRolloutPage>>>;
