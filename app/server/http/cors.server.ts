import { appBaseUrl, isDemoEnabled } from "../config.server";

/**
 * Storefront origins allowed to call the public ingestion endpoint: the shop's own
 * domains and Shopify's pixel sandbox (a sandboxed iframe/worker has origin "null").
 * Requests without an Origin header are not from a browser and are judged on their
 * content alone.
 */
export function storefrontOriginAllowed(origin: string | null, shop: { domain: string; primaryDomain: string | null } | null): boolean {
  if (origin === null || origin === "null") return true;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  if (shop && (host === shop.domain || host === shop.primaryDomain || host === `www.${shop.primaryDomain}`)) return true;
  // appBaseUrl() is cached: validating the whole environment per refused request would
  // make a flood of foreign-origin requests the most expensive kind to answer.
  if (host === new URL(appBaseUrl()).host) return true;
  if (isDemoEnabled() && /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host)) return true;
  return false;
}

/** On every response to a storefront: which origin may read it. */
export function corsHeaders(origin: string | null): Record<string, string> {
  return { "access-control-allow-origin": origin ?? "*", vary: "Origin" };
}

/**
 * On the preflight (OPTIONS) only: what the browser may send, cached for a day. A
 * POST's answer does not need these, and the pixel endpoint answers thousands of
 * POSTs a second.
 */
export function corsPreflightHeaders(origin: string | null): Record<string, string> {
  return {
    ...corsHeaders(origin),
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": "content-type",
    "access-control-max-age": "86400",
  };
}
