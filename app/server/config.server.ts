import path from "node:path";
import { z } from "zod";

// Every environment variable the app reads, in one place (README lists them).
const Env = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default("./data"),
  SHOPIFY_API_KEY: z.string().optional(),
  SHOPIFY_API_SECRET: z.string().optional(),
  SHOPIFY_APP_URL: z.string().url().optional(),
  SCOPES: z.string().optional(),
  SMTP_URL: z.string().optional(),
  SMTP_SINK_PORT: z.coerce.number().int().positive().default(2525),
  SHOPIFY_ADMIN_API_ORIGIN: z.string().url().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // Operations: /metrics and alerts (docs/runbooks/alerts.md).
  METRICS_TOKEN: z.string().min(16, "use at least 16 characters").optional(),
  METRICS_PORT: z.coerce.number().int().positive().optional(),
  METRICS_HOST: z.string().default("127.0.0.1"),
  ALERT_EMAIL: z.string().email().optional(),
  ALERT_LAG_MINUTES: z.string().optional(),
  ALERT_FAILURE_STREAK: z.coerce.number().int().positive().optional(),
});
export type AppEnv = z.infer<typeof Env>;

// Demo credentials are public on purpose: they only work against the local stand-in.
export const DEMO_API_KEY = "demo-api-key";
export const DEMO_API_SECRET = "demo-api-secret-do-not-use-in-production";
export const DEMO_SHOP_DOMAIN = "demo-shop.myshopify.com";

export const DEFAULT_SCOPES = [
  "read_customers",
  "write_customers",
  "read_orders",
  "read_products",
  "read_checkouts",
  "write_discounts",
  "read_discounts",
  "write_pixels",
  "read_customer_events",
  "read_themes",
].join(",");

export function readEnv(source: NodeJS.ProcessEnv = process.env): AppEnv {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${issues}`);
  }
  return parsed.data;
}

/** Demo-only surfaces (clock, mail view, storefront simulator, Admin API stand-in). */
export function isDemoEnabled(source: NodeJS.ProcessEnv = process.env): boolean {
  return source.NODE_ENV !== "production";
}

export function shopifyCredentials(env: AppEnv) {
  if (env.NODE_ENV === "production") {
    const missing = (["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"] as const).filter((k) => !env[k]);
    if (missing.length) throw new Error(`Production needs ${missing.join(", ")}`);
  }
  return {
    apiKey: env.SHOPIFY_API_KEY ?? DEMO_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET ?? DEMO_API_SECRET,
    appUrl: env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`,
    scopes: (env.SCOPES ?? DEFAULT_SCOPES)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

export function pgliteDataDir(env: AppEnv): string {
  return path.resolve(env.DATA_DIR, "pglite");
}

/**
 * A value derived from the validated environment, recomputed only when one of the
 * variables it depends on changes: readEnv() parses the whole environment, which is
 * too slow for paths that run per message, per link or per request.
 */
export function envDerived<T>(names: readonly string[], derive: (env: AppEnv) => T): () => T {
  let cached: { key: string; value: T } | undefined;
  return () => {
    let key = "";
    for (const name of names) key += `${process.env[name]}|`;
    if (cached?.key !== key) cached = { key, value: derive(readEnv()) };
    return cached.value;
  };
}

/** The app's public base URL without a trailing slash. */
export const appBaseUrl = envDerived(["SHOPIFY_APP_URL", "PORT", "NODE_ENV"], (env) => shopifyCredentials(env).appUrl.replace(/\/+$/, ""));
