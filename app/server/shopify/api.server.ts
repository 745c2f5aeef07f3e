// Web-standard Request/Response, the same adapter the Remix package installs.
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from "@shopify/shopify-api";
import { envDerived, shopifyCredentials } from "../config.server";

export const API_VERSION = ApiVersion.October26;

// The Remix package does not expose its underlying API object, and its
// authenticate.webhook both crashes on malformed JSON and looks up (and may refresh)
// the offline session before answering. Webhook intake needs only the library's
// signature check, so it gets this plain instance built from the same credentials,
// rebuilt only when they change (every webhook asks for it).
export const shopifyApiClient = envDerived(
  ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "PORT", "NODE_ENV", "SCOPES"],
  (env): Shopify => {
    const creds = shopifyCredentials(env);
    const url = new URL(creds.appUrl);
    return shopifyApi({
      apiKey: creds.apiKey,
      apiSecretKey: creds.apiSecretKey,
      apiVersion: API_VERSION,
      hostName: url.host,
      hostScheme: url.protocol === "http:" ? "http" : "https",
      isEmbeddedApp: true,
      scopes: creds.scopes,
      logger: { level: LogSeverity.Error },
    });
  },
);
