import crypto from "node:crypto";

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
        data: { productVariant: { id: String(45_000_000_000 + (n % 50)), price: { amount: 54, currencyCode: "PLN" }, product: { id: String(8_000_000_000 + (n % 50)), title: "Coffee" } } },
      };
    });
    return JSON.stringify({ shop, v: 1, events: batch });
  };
}
