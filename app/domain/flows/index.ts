// The prebuilt flow catalogue: each flow is data (a FlowDefinition built from settings) + its defaults.
import type { FlowDefinition, RuntimeNeed } from "../journey/schema";
import type { TriggerPayload } from "../journey/types";
import { abandonedCart } from "./abandoned-cart";
import { abandonedCheckout } from "./abandoned-checkout";
import { browseAbandonment } from "./browse-abandonment";
import type { CatalogueEntry, CatalogueEnv, LocalizedText, TriggerEnrichment } from "./common";
import { postPurchase } from "./post-purchase";
import { reEngagement } from "./re-engagement";
import { replenishment } from "./replenishment";
import { welcome } from "./welcome";
import { winBack } from "./win-back";

export * from "./common";
export * from "./welcome";
export * from "./abandoned-checkout";
export * from "./abandoned-cart";
export * from "./browse-abandonment";
export * from "./post-purchase";
export * from "./replenishment";
export * from "./win-back";
export * from "./re-engagement";

/** In the admin's display order. */
export const CATALOGUE = {
  welcome,
  abandoned_checkout: abandonedCheckout,
  abandoned_cart: abandonedCart,
  browse_abandonment: browseAbandonment,
  post_purchase: postPurchase,
  replenishment,
  win_back: winBack,
  re_engagement: reEngagement,
} as const satisfies Record<string, CatalogueEntry>;

export type CatalogueKey = keyof typeof CATALOGUE;
export const CATALOGUE_KEYS = Object.keys(CATALOGUE) as CatalogueKey[];

export function isCatalogueKey(key: string): key is CatalogueKey {
  return Object.hasOwn(CATALOGUE, key);
}

/** Any catalogue entry, loosely typed (settings as unknown JSON, e.g. from FlowVersion.definition.source.settings). */
export function catalogueEntry(key: CatalogueKey): CatalogueEntry {
  return CATALOGUE[key];
}

/**
 * The name a merchant reads: a catalogue flow's name in the admin's language (the
 * stored name is the English one it was installed with), else the stored name.
 */
export function flowDisplayName(flow: { key: string; name: string }, locale: keyof LocalizedText): string {
  return isCatalogueKey(flow.key) ? catalogueEntry(flow.key).meta.name[locale] : flow.name;
}

/** Builds a catalogue flow from stored (possibly partial) settings; throws a ZodError on invalid settings. */
export function buildCatalogueFlow(key: CatalogueKey, settings: unknown = {}, env: CatalogueEnv = {}): FlowDefinition {
  return catalogueEntry(key).buildFlow(settings, env);
}

/**
 * What the runtime loads for a flow: its definition's `needs`; a definition stored
 * before that field existed has the needs its catalogue entry declares.
 */
export function flowNeeds(definition: FlowDefinition): readonly RuntimeNeed[] {
  if (definition.needs) return definition.needs;
  const key = definition.source?.catalogueKey;
  return key && isCatalogueKey(key) ? (catalogueEntry(key).needs ?? []) : [];
}

/**
 * Completes a trigger payload before shouldEnroll, for catalogue flows that need it
 * (replenishment: the order's reorder interval), using the settings the definition
 * was built from (definition.source.settings). Other definitions: unchanged.
 */
export function prepareTrigger(definition: FlowDefinition, trigger: TriggerPayload, extra: TriggerEnrichment = {}): TriggerPayload {
  const key = definition.source?.catalogueKey;
  if (!key || !isCatalogueKey(key)) return trigger;
  const entry = catalogueEntry(key);
  if (!entry.enrichTrigger) return trigger;
  const parsed = entry.settingsSchema.safeParse(definition.source?.settings ?? {});
  return entry.enrichTrigger(parsed.success ? parsed.data : entry.defaultSettings, trigger, extra);
}
