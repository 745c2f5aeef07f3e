import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "../guard.server";
import { readAsset } from "../storefront/assets.server";

// GET /dev/assets/web-pixel/main.js and /dev/assets/theme-widgets/<file>: the built
// extension bundles, for the storefront simulator. Demo only, read-only, whitelisted.
export const loader = async ({ params }: LoaderFunctionArgs) => {
  requireDemo();
  const asset = await readAsset(params["*"] ?? "");
  if (!asset) return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(asset.body), {
    headers: {
      "content-type": asset.contentType,
      // Rebuilt during development: always revalidate.
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    },
  });
};
