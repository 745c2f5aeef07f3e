import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "../guard.server";
import { DEMO_PRODUCTS } from "../seed/demo-shop";
import { productSvg } from "../storefront/svg.server";

// GET /dev/storefront/image/<handle>.svg: the demo products' pictures (their
// Product.imageUrl points here). Demo only; unknown handles are 404.
export const loader = ({ params }: LoaderFunctionArgs) => {
  requireDemo();
  const match = /^([a-z0-9-]+)\.svg$/.exec(params.handle ?? "");
  const product = match ? DEMO_PRODUCTS.find((p) => p.handle === match[1]) : undefined;
  if (!product) return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(productSvg(product), {
    headers: {
      "content-type": "image/svg+xml; charset=utf-8",
      "cache-control": "public, max-age=3600",
      "x-content-type-options": "nosniff",
      // Opened directly, an SVG is a document: allow nothing but its own inline styles.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
};
