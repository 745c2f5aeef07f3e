// Web-standard Request/Response, the same adapter the Remix package installs.
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from "@shopify/shopify-api";
import { readEnv, shopifyCredentials } from "../config.server";

export const API_VERSION = ApiVersion.October26;

// The Remix package does not expose its underlying API object, and its
// authenticate.webhook both crashes on malformed JSON and looks up (and may refresh)
// the offline session before answering. Webhook intake needs only the library's
// signature check, so it gets this plain instance built from the same credentials.
const g = globalThis as unknown as { __flowmateShopifyApi?: { secret: string; api: Shopify } };

export function shopifyApiClient(): Shopify {
  const env = readEnv();
  const creds = shopifyCredentials(env);
  if (g.__flowmateShopifyApi?.secret !== creds.apiSecretKey) {
    const url = new URL(creds.appUrl);
    g.__flowmateShopifyApi = {
      secret: creds.apiSecretKey,
      api: shopifyApi({
        apiKey: creds.apiKey,
        apiSecretKey: creds.apiSecretKey,
        apiVersion: API_VERSION,
        hostName: url.host,
        hostScheme: url.protocol === "http:" ? "http" : "https",
        isEmbeddedApp: true,
        scopes: creds.scopes,
        logger: { level: LogSeverity.Error },
      }),
    };
  }
  return g.__flowmateShopifyApi.api;
}
