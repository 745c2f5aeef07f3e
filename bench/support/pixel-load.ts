import crypto from "node:crypto";
import { openDatabase } from "../../app/server/db/client.server";
import { migrate } from "../../app/server/db/migrate.server";
import type { PostgresServer } from "./postgres";

/**
 * Storefront-like pixel request bodies for load tests: each call returns a new body of
 * `events` events with ids unique to this generator, one visitor of 2,000 per body.
 */
export function pixelBodies(shop: string, events: number): () => string {
  const runId = crypto.randomBytes(4).toString("hex");
  let seq = 0;
  return () => {
    const clientId = `client-${Math.floor(Math.random() * 2000)}`;
    const batch = Array.from({ length: events }, () => {
      const n = seq++;
      return {
        id: `sh-${runId}-${n}`,
        name: n % 3 === 0 ? "page_viewed" : "product_viewed",
        timestamp: new Date().toISOString(),
        clientId,
        seq: n,
        context: { url: `https://${shop}/products/p-${n % 50}`, referrer: "", title: "Product", language: "pl-PL" },
        data: {
          productVariant: {
            id: String(45_000_000_000 + (n % 50)),
            price: { amount: 54, currencyCode: "PLN" },
            product: { id: String(8_000_000_000 + (n % 50)), title: "Coffee" },
          },
        },
      };
    });
    return JSON.stringify({ shop, v: 1, events: batch });
  };
}

/** A fresh database on the server, migrated, holding the shop the load is sent for. */
export async function databaseWithShop(server: PostgresServer, prefix: string, shop: string, poolSize: number) {
  const target = await server.createDatabase(prefix);
  const database = await openDatabase({ url: target.url, poolSize });
  await migrate(database);
  await database.prisma.shop.create({ data: { domain: shop, name: "Bench shop", catalogSyncedAt: new Date() } });
  return { target, database };
}

/** The environment of the app run as `npm start` would, with the pixel rate limits out of the way. */
export function benchAppEnv(port: number, databaseUrl: string, secret: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "bench",
    SHOPIFY_API_SECRET: secret,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "error",
    PIXEL_SHOP_RPS: "1e9",
    PIXEL_SHOP_BURST: "1e9",
    PIXEL_CLIENT_RPS: "1e9",
    PIXEL_CLIENT_BURST: "1e9",
  };
}
