// Shopify's app proxy, emulated for the demo storefront.
//
// In production a shopper's browser calls https://<shop>/apps/flowmate/<path>?<query>;
// Shopify forwards it to <app>/proxy/<path> with the shopper's query plus `shop`,
// `logged_in_customer_id`, `path_prefix`, `timestamp` and `signature`, where
// signature = hex HMAC-SHA256(app secret, sorted "key=value" pairs concatenated with
// no separator; repeated keys joined with ","). This is the exact check
// @shopify/shopify-api's utils.validateHmac(query, { signator: "appProxy" }) makes
// (lib/utils/hmac-validator), which authenticate.public.appProxy uses.
import crypto from "node:crypto";

export const APP_PROXY_PREFIX = "/apps/flowmate";
export const APP_PROXY_TARGET = "/proxy";

/**
 * The string that is signed. Keys are ordered with localeCompare, like the
 * library's validator (for the lowercase snake_case keys Shopify sends this is the
 * same order as a byte sort).
 */
export function appProxySignatureBase(params: URLSearchParams): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature" || key === "hmac") continue;
    const list = values.get(key) ?? [];
    list.push(value);
    values.set(key, list);
  }
  return [...values.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => `${key}=${list.join(",")}`)
    .join("");
}

export function appProxySignature(params: URLSearchParams, secret: string): string {
  return crypto.createHmac("sha256", secret).update(appProxySignatureBase(params)).digest("hex");
}

export interface AppProxyQueryOptions {
  shop: string;
  secret: string;
  /** Unix seconds; defaults to the wall clock (the validator allows 90 s of skew). */
  timestamp?: number;
  /** Shopify sends an empty value for a guest. */
  loggedInCustomerId?: string;
  pathPrefix?: string;
}

/** The query Shopify forwards: the shopper's own parameters plus Shopify's signed ones. */
export function signedAppProxyQuery(original: URLSearchParams, options: AppProxyQueryOptions): URLSearchParams {
  const query = new URLSearchParams();
  // Whatever the browser sent under these names is replaced by Shopify's values.
  const reserved = new Set(["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature", "hmac"]);
  for (const [key, value] of original) if (!reserved.has(key)) query.append(key, value);
  query.set("shop", options.shop);
  query.set("logged_in_customer_id", options.loggedInCustomerId ?? "");
  query.set("path_prefix", options.pathPrefix ?? APP_PROXY_PREFIX);
  query.set("timestamp", String(options.timestamp ?? Math.floor(Date.now() / 1000)));
  query.set("signature", appProxySignature(query, options.secret));
  return query;
}

// Hop-by-hop and identity headers Shopify does not pass through (it strips cookies).
const FORWARDED_REQUEST_HEADERS = ["content-type", "accept", "accept-language", "user-agent"];
const RETURNED_RESPONSE_HEADERS = ["content-type", "cache-control", "retry-after"];

export interface ForwardOptions extends AppProxyQueryOptions {
  /** Where the app listens; the forwarded URL is `${appOrigin}/proxy/<path>`. */
  appOrigin: string;
  fetch?: typeof fetch;
}

/** Forwards a storefront request for /apps/flowmate/<path> to the app's /proxy/<path>, signed. */
export async function forwardAppProxyRequest(request: Request, subPath: string, options: ForwardOptions): Promise<Response> {
  const incoming = new URL(request.url);
  const query = signedAppProxyQuery(incoming.searchParams, options);
  const cleanPath = subPath
    .split("/")
    .filter((segment) => segment !== "" && segment !== "." && segment !== "..")
    .map(encodeURIComponent)
    .join("/");
  const target = `${options.appOrigin.replace(/\/+$/, "")}${APP_PROXY_TARGET}${cleanPath ? "/" + cleanPath : ""}?${query}`;

  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const doFetch = options.fetch ?? fetch;
  let upstream: Response;
  try {
    upstream = await doFetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: "manual",
    });
  } catch {
    return Response.json({ error: "App proxy: the app did not answer" }, { status: 502 });
  }
  const responseHeaders = new Headers();
  for (const name of RETURNED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) responseHeaders.set(name, value);
  }
  const location = upstream.headers.get("location");
  if (location) responseHeaders.set("location", location);
  // 101/204/205/304 and HEAD carry no body (the Response constructor refuses one).
  const nullBody = request.method === "HEAD" || [101, 204, 205, 304].includes(upstream.status);
  const body = nullBody ? null : await upstream.arrayBuffer();
  return new Response(body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
}
