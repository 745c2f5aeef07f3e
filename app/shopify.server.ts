import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { readEnv, shopifyCredentials } from "./server/config.server";
import { db } from "./server/db/client.server";
import { onShopInstalled } from "./server/shopify/install.server";

import { API_VERSION } from "./server/shopify/api.server";

function create() {
  const env = readEnv();
  const creds = shopifyCredentials(env);
  return shopifyApp({
    apiKey: creds.apiKey,
    apiSecretKey: creds.apiSecretKey,
    appUrl: creds.appUrl,
    scopes: creds.scopes,
    apiVersion: API_VERSION,
    authPathPrefix: "/auth",
    sessionStorage: new PrismaSessionStorage(db()),
    distribution: AppDistribution.AppStore,
    future: { expiringOfflineAccessTokens: true },
    logger: { level: env.NODE_ENV === "production" ? LogSeverity.Warning : LogSeverity.Error },
    hooks: {
      afterAuth: async ({ session }) => {
        await onShopInstalled(session.shop, session.accessToken ?? "", session.scope ?? null);
      },
    },
  });
}

type ShopifyApp = ReturnType<typeof create>;
// Created on first use: the session storage needs the database, which opens asynchronously.
const g = globalThis as unknown as { __flowmateShopify?: ShopifyApp };

export function shopify(): ShopifyApp {
  return (g.__flowmateShopify ??= create());
}

/** Tests swap secrets or databases; the next call builds a fresh instance. */
export function resetShopify(): void {
  g.__flowmateShopify = undefined;
}
