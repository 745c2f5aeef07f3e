import { isDeepStrictEqual } from "node:util";
import { Prisma } from "@prisma/client";
import { testedSteps } from "~/domain/experiments";
import { CATALOGUE, CATALOGUE_KEYS, isCatalogueKey, type CatalogueEnv, type CatalogueKey } from "~/domain/flows";
import { diffDefinitions, diffLineText } from "~/domain/flows/definition-diff";
import {
  FlowDefinitionError,
  formatValidationErrors,
  parseFlowDefinition,
  validateFlowDefinition,
  type FlowDefinition,
} from "~/domain/journey";
import { translator } from "~/i18n";
import { database, db } from "../db/client.server";
import { rawQueryOf } from "../db/sql/clients.server";
import { lockFlowRow } from "../db/sql/flows.server";
import { appendFlowVersion } from "./flow-versions.server";
import { shopCycleDays } from "./learned.server";
import { now } from "../clock.server";

/** Creates the prebuilt catalogue for a shop (every flow off, version 1 with defaults). Idempotent. */
export async function installCatalogue(shopId: string): Promise<void> {
  let env: CatalogueEnv | null = null;
  for (const key of CATALOGUE_KEYS) {
    const entry = CATALOGUE[key];
    const existing = await db().flow.findUnique({ where: { shopId_key: { shopId, key } } });
    if (existing) continue;
    env ??= await catalogueEnv(shopId);
    await db().$transaction(async (tx) => {
      const flow = await tx.flow.create({
        data: { shopId, key, name: entry.meta.name.en, status: "off", priority: entry.defaultPriority },
      });
      await appendFlowVersion(tx, {
        shopId,
        flowId: flow.id,
        definition: entry.buildFlow(undefined, env ?? undefined),
        changeNote: "Catalogue defaults",
        createdBy: "system",
        at: now(),
      });
    });
  }
}

/**
 * A new version from edited settings (validated before it is stored); running
 * enrollments keep the version they started with. Returns the version number.
 */
export async function saveFlowSettings(
  shopId: string,
  key: CatalogueKey,
  settings: unknown,
  actor: string,
  note?: string,
): Promise<number> {
  const entry = CATALOGUE[key];
  const built = entry.buildFlow(settings as never, await catalogueEnv(shopId));
  return saveFlowDefinition(shopId, key, await withOwnContent(shopId, key, built), actor, note);
}

/**
 * Settings rebuild a catalogue flow's steps; the messages written in the message
 * editor (SendStep.content) are not settings, so each send step keeps the content its
 * step had in the current version (same id, same channel).
 */
async function withOwnContent<T extends { steps: unknown[] }>(shopId: string, key: string, built: T): Promise<T> {
  const flow = await db().flow.findUnique({ where: { shopId_key: { shopId, key } } });
  const current = flow
    ? await db().flowVersion.findFirst({
        where: flow.activeVersionId ? { id: flow.activeVersionId } : { flowId: flow.id },
        orderBy: { version: "desc" },
      })
    : null;
  const steps =
    (current?.definition as { steps?: { id: string; type: string; channel?: string; content?: unknown }[] } | null)?.steps ?? [];
  const own = new Map(steps.filter((st) => st.type === "send" && st.content).map((st) => [st.id, st]));
  if (own.size === 0) return built;
  return {
    ...built,
    steps: built.steps.map((raw) => {
      const st = raw as { id: string; type: string; channel?: string };
      const prev = own.get(st.id);
      return st.type === "send" && prev && prev.channel === st.channel ? { ...st, content: prev.content } : raw;
    }),
  };
}

/** The flow got another active version since the edit was built on one: nothing was saved. */
export class FlowChangedError extends Error {
  constructor(readonly activeVersion: number | null) {
    super(`the flow changed since this edit was made (now version ${activeVersion ?? "none"})`);
    this.name = "FlowChangedError";
  }
}

/**
 * A new version from a whole definition (a custom flow, or a catalogue flow with A/B
 * variants added to its steps), validated before it is stored; running enrollments
 * keep the version they started with. Returns the version number. An edit made on
 * one version (`basedOnVersionId`) is refused with FlowChangedError when another is
 * active by the time it holds the flow's lock: saved, it would undo that version.
 */
export async function saveFlowDefinition(
  shopId: string,
  key: string,
  definition: unknown,
  actor: string,
  note?: string,
  /** What changed, for the audit row (e.g. a step's content before and after). */
  changes?: Record<string, unknown>,
  basedOnVersionId?: string,
): Promise<number> {
  const check = validateFlowDefinition(definition);
  if (!check.ok) throw new Error(formatValidationErrors(check.errors));
  return db().$transaction(async (tx) => {
    const flow = await tx.flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key } } });
    // The version this one replaces, read under the flow's lock: another writer's
    // version committed meanwhile is the one the audit row's diff is against.
    const previous = await activeVersionLocked(tx, shopId, flow.id);
    if (basedOnVersionId !== undefined && previous?.id !== basedOnVersionId) throw new FlowChangedError(previous?.version ?? null);
    const version = await appendFlowVersion(tx, {
      shopId,
      flowId: flow.id,
      definition: check.definition,
      changeNote: note ?? null,
      createdBy: actor,
      at: now(),
      flow: { priority: check.definition.priority },
    });
    await tx.auditLog.create({
      data: {
        shopId,
        actor,
        action: "flow.version_created",
        subjectType: "flow",
        subjectId: flow.id,
        details: {
          key,
          version: version.version,
          note: note ?? null,
          fromVersion: previous?.version ?? null,
          changes: changeSummary(previous?.definition, check.definition),
          ...(changes ? { contentEdit: changes as Prisma.InputJsonObject } : {}),
        },
        at: now(),
      },
    });
    return version.version;
  });
}

/** Rollback: make an earlier version active again (as a new version, so history stays linear). */
export async function rollbackFlow(shopId: string, key: string, toVersion: number, actor: string): Promise<number> {
  return db().$transaction(async (tx) => {
    const flow = await tx.flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key } } });
    return rollbackFlowIn(tx, { shopId, flowId: flow.id, key, toVersion, actor });
  });
}

/**
 * Rollback in the caller's transaction (which may hold the flow's lock already, as a
 * staged rollout's rollback does after checking the rollout is still the one the
 * merchant saw). Returns the new version's number.
 */
export async function rollbackFlowIn(
  tx: Prisma.TransactionClient,
  v: { shopId: string; flowId: string; key: string; toVersion: number; actor: string },
): Promise<number> {
  const previous = await activeVersionLocked(tx, v.shopId, v.flowId);
  const target = await tx.flowVersion.findUniqueOrThrow({ where: { flowId_version: { flowId: v.flowId, version: v.toVersion } } });
  const definition = parseFlowDefinition(target.definition);
  const version = await appendFlowVersion(tx, {
    shopId: v.shopId,
    flowId: v.flowId,
    definition,
    changeNote: `Rollback to version ${v.toVersion}`,
    createdBy: v.actor,
    at: now(),
  });
  await tx.auditLog.create({
    data: {
      shopId: v.shopId,
      actor: v.actor,
      action: "flow.rolled_back",
      subjectType: "flow",
      subjectId: v.flowId,
      details: {
        key: v.key,
        toVersion: v.toVersion,
        newVersion: version.version,
        fromVersion: previous?.version ?? null,
        changes: changeSummary(previous?.definition, definition),
      },
      at: now(),
    },
  });
  return version.version;
}

/** Locks the flow's row (appendFlowVersion takes the same lock next) and reads its active version. */
async function activeVersionLocked(tx: Prisma.TransactionClient, shopId: string, flowId: string) {
  const locked = await lockFlowRow(rawQueryOf(tx), shopId, flowId);
  return locked?.activeVersionId ? tx.flowVersion.findUnique({ where: { id: locked.activeVersionId } }) : null;
}

/**
 * The audit row's account of a new version: one line per change against the version
 * it replaces ("Wait before email 2: 24 h → 36 h"), in English like the rest of the
 * audit log; the flow page reads versions in the merchant's language itself.
 */
function changeSummary(previous: unknown, next: FlowDefinition): string[] {
  const before = previous === undefined ? null : validateFlowDefinition(previous);
  if (!before?.ok) return [];
  return diffDefinitions(before.definition, next, { t: translator("en"), locale: "en" }).map(diffLineText);
}

/** What the catalogue learns from the shop's orders (win-back's purchase cycle). */
export async function catalogueEnv(shopId: string): Promise<CatalogueEnv> {
  return { shopPurchaseCycleDays: await shopCycleDays(database().query, shopId) };
}

/**
 * Rebuilds a catalogue flow from its stored settings with what the shop's orders
 * teach now (the purchase cycle moves as the shop grows); appends a version only
 * when the definition changes.
 */
export async function refreshLearnedDefaults(shopId: string, key: CatalogueKey, actor: string): Promise<boolean> {
  const flow = await db().flow.findUnique({ where: { shopId_key: { shopId, key } } });
  const active = flow?.activeVersionId ? await db().flowVersion.findUnique({ where: { id: flow.activeVersionId } }) : null;
  if (!flow || !active) return false;
  // A definition with A/B tests was edited beyond its settings: rebuilding it from them
  // would drop the tests (and end their experiments) whenever the flow is switched on.
  const definition = parseFlowDefinition(active.definition);
  if (testedSteps(definition).length > 0) return false;
  // Edited on the flow page beyond its settings: the edits are not in the settings.
  if (definition.source?.edited) return false;
  // The same for messages written in the editor: the rebuild would keep them (saveFlowSettings), but compare unequal.
  if (definition.steps.some((st) => st.type === "send" && st.content)) return false;
  const settings = (active.definition as { source?: { settings?: unknown } }).source?.settings ?? {};
  const next = CATALOGUE[key].buildFlow(settings, await catalogueEnv(shopId));
  if (sameStoredJson(next, active.definition)) return false;
  await saveFlowSettings(shopId, key, settings, actor, "Defaults learned from the shop's orders refreshed");
  return true;
}

/**
 * Whether `value`, stored as jsonb, would equal `stored`. jsonb keeps object keys in
 * its own order (shorter keys first), so comparing JSON text says "changed" for every
 * definition; this compares the parsed trees, where key order does not count. The
 * round trip through JSON is what storing does to `value` (undefined members dropped,
 * dates as strings).
 */
export function sameStoredJson(value: unknown, stored: unknown): boolean {
  const asStored: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  return isDeepStrictEqual(asStored, stored);
}

/**
 * Switch a flow on, off or pause it; `rolloutPercent` stages it (10 -> 50 -> 100).
 * `audit`: more for the audit row (e.g. the SMS cost estimate the merchant confirmed).
 */
export async function setFlowStatus(
  shopId: string,
  key: string,
  status: "on" | "off" | "paused",
  actor: string,
  rolloutPercent?: number,
  audit?: Record<string, Prisma.InputJsonValue>,
): Promise<void> {
  if (!isCatalogueKey(key) && !key.startsWith("custom-")) throw new Error(`Unknown flow ${key}`);
  if (rolloutPercent !== undefined && (rolloutPercent < 0 || rolloutPercent > 100)) throw new Error("rolloutPercent must be 0-100");
  if (status === "on") await assertActiveVersionValid(shopId, key);
  if (status === "on" && isCatalogueKey(key)) await refreshLearnedDefaults(shopId, key, actor);
  const flow = await db().flow.update({
    where: { shopId_key: { shopId, key } },
    data: { status, ...(rolloutPercent !== undefined ? { rolloutPercent } : {}) },
  });
  await db().auditLog.create({
    data: {
      shopId,
      actor,
      action: `flow.${status}`,
      subjectType: "flow",
      subjectId: flow.id,
      details: { key, rolloutPercent: flow.rolloutPercent, ...audit },
      at: now(),
    },
  });
}

/**
 * A flow goes live only on a definition that validates (one stored before a schema
 * change, or written around the writers above, may not): FlowDefinitionError with the
 * schema's errors otherwise.
 */
async function assertActiveVersionValid(shopId: string, key: string): Promise<void> {
  const flow = await db().flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key } } });
  const active = flow.activeVersionId ? await db().flowVersion.findUnique({ where: { id: flow.activeVersionId } }) : null;
  if (!active) throw new FlowDefinitionError([{ path: "", message: "the flow has no active version" }]);
  const check = validateFlowDefinition(active.definition);
  if (!check.ok) throw new FlowDefinitionError(check.errors);
}
