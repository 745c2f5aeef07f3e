import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "../guard.server";
import { loadStorefront } from "../storefront/catalog.server";
import { parseLang } from "../storefront/i18n.server";
import { parseView, renderStorefrontPage } from "../storefront/page.server";

// GET /dev/storefront: the demo storefront simulator. A plain HTML page (not part of
// the Remix/Polaris admin) that imitates a Shopify theme, runs the real Web Pixel
// bundle on a stand-in of Shopify's pixel runtime and mounts the real theme widgets.
//   ?collection=<all|coffee|equipment|merch|gift>  ?product=<handle>  ?q=<search>
//   ?view=<cart|checkout|thank-you|privacy>        ?lang=pl
export const loader = async ({ request }: LoaderFunctionArgs) => {
  requireDemo();
  const storefront = await loadStorefront();
  if (!storefront) {
    return new Response("The demo shop is not seeded yet: start the app with `npm run demo`.", {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  const url = new URL(request.url);
  const page = renderStorefrontPage({
    storefront,
    view: parseView(url, storefront.products),
    lang: parseLang(url.searchParams.get("lang")),
    origin: url.origin,
  });
  return new Response(page.html, {
    status: page.status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "x-robots-tag": "noindex",
    },
  });
};
