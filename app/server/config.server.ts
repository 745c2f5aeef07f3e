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
  // How many proxies of ours (load balancer, CDN) stand in front of the app: the client's
  // address is read that many hops from the right of X-Forwarded-For. 0: the header is ignored.
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  // 32 random bytes, base64: encrypts each shop's provider credentials and DKIM key.
  // Without it a production process refuses to store them (the demo has its own).
  FLOWMATE_SECRETS_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64 (openssl rand -base64 32)")
    .optional(),
});
export type AppEnv = z.infer<typeof Env>;

// Demo credentials are public on purpose: they only work against the local stand-in.
export const DEMO_API_KEY = "demo-api-key";
export const DEMO_API_SECRET = "demo-api-secret-do-not-use-in-production";
export const DEMO_SHOP_DOMAIN = "demo-shop.myshopify.com";
/** The demo's secrets key (32 bytes, base64): public, so nothing real is ever stored under it. */
export const DEMO_SECRETS_KEY = Buffer.from("flowmate-demo-secrets-key-public").toString("base64");

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
  // Markets domains (webPresences): storefronts the pixel may post from.
  "read_markets",
].join(",");

export function readEnv(source: NodeJS.ProcessEnv = process.env): AppEnv {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${issues}`);
  }
  return parsed.data;
}

// Demo mode is something a process is started as (`server.ts --demo`, the test
// harness), never something an environment falls into: it turns off the admin login,
// lets the clock be moved and makes the public demo secrets valid. A flag on
// globalThis, because server.ts and the Remix build are two module graphs.
const DEMO_MODE = Symbol.for("flowmate.demoMode");
type DemoFlag = { [DEMO_MODE]?: boolean };

/** Called by `server.ts --demo` and by the test harness, before anything else runs. */
export function enableDemoMode(): void {
  (globalThis as DemoFlag)[DEMO_MODE] = true;
}

/** For tests that show what a process started without --demo does. */
export function disableDemoMode(): void {
  delete (globalThis as DemoFlag)[DEMO_MODE];
}

/** Demo-only surfaces (clock, mail view, storefront simulator, Admin API stand-in, demo credentials). */
export function isDemoEnabled(): boolean {
  return (globalThis as DemoFlag)[DEMO_MODE] === true;
}

/** What the web process and the worker cannot run without, outside the demo. */
export const REQUIRED_SHOPIFY_ENV = ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"] as const;

/** The variables of `required` that are unset or empty (outside the demo). */
export function missingSettings(env: AppEnv, required: readonly (keyof AppEnv)[] = REQUIRED_SHOPIFY_ENV): string[] {
  if (isDemoEnabled()) return [];
  return required.filter((k) => env[k] === undefined || env[k] === "");
}

/**
 * Refuses to start a process that is not the demo without what it needs: a message
 * naming every missing variable, so the first failed deploy says how to fix it.
 */
export function assertStartable(env: AppEnv, processName: string, required: readonly (keyof AppEnv)[] = REQUIRED_SHOPIFY_ENV): void {
  const missing = missingSettings(env, required);
  if (missing.length === 0) return;
  throw new StartupError(
    `${processName} cannot start: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set. ` +
      `Set ${missing.length === 1 ? "it" : "them"} (see the README's configuration table), or run the offline demo with \`npm run demo\`.`,
  );
}

export class StartupError extends Error {
  override name = "StartupError";
}

export function shopifyCredentials(env: AppEnv) {
  const missing = missingSettings(env);
  if (missing.length) throw new StartupError(`Shopify credentials missing: ${missing.join(", ")}`);
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
    let key = isDemoEnabled() ? "demo|" : "";
    for (const name of names) key += `${process.env[name]}|`;
    if (cached?.key !== key) cached = { key, value: derive(readEnv()) };
    return cached.value;
  };
}

/** The app's public base URL without a trailing slash. */
export const appBaseUrl = envDerived(["SHOPIFY_APP_URL", "PORT", "NODE_ENV"], (env) => shopifyCredentials(env).appUrl.replace(/\/+$/, ""));
