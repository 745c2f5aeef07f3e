// What the storefront page hands its browser scripts, shared by the server that
// renders the page (page.server.ts) and the browser code that reads it.
import type { StorefrontLang, StorefrontStrings } from "../i18n.server";
import type { PayloadContext, PayloadProduct } from "./payloads";

export type ClientView = "home" | "collection" | "search" | "product" | "cart" | "checkout" | "thank-you" | "privacy" | "not-found";

export interface ClientConfig {
  lang: StorefrontLang;
  /** Path of the storefront page, e.g. "/dev/storefront". */
  base: string;
  view: ClientView;
  products: PayloadProduct[];
  currency: string;
  strings: StorefrontStrings;
  payloadContext: PayloadContext;
  keys: { cart: string; order: string; popup: string; debugOpen: string };
  collection: { id: string; title: string; handles: string[] } | null;
  search: { query: string; handles: string[] } | null;
  productHandle: string | null;
}

export const STORAGE_KEYS = {
  cart: "flowmate-sim:cart",
  order: "flowmate-sim:last-order",
  log: "flowmate-sim:events",
  // The signup popup's own 14-day suppression key (extensions/theme-widgets/src/validate.ts).
  popup: "flowmate:signup:dismissedAt",
  debugOpen: "flowmate-sim:debug-open",
} as const;

/**
 * Ids of the `<script type="application/json">` elements that carry each script's
 * configuration: data, not code, so the scripts themselves are static files.
 */
export const CONFIG_ELEMENT_IDS = {
  pixelRuntime: "flowmate-pixel-runtime-config",
  storefront: "flowmate-storefront-config",
} as const;

/** Reads and parses one of those elements (browser side). */
export function readConfig<T>(id: string): T {
  const element = document.getElementById(id);
  if (!element?.textContent) throw new Error(`storefront simulator: configuration #${id} is missing`);
  return JSON.parse(element.textContent) as T;
}
