// A stand-in for a Shopify storefront for the widget browser tests: serves test
// pages (marked up like blocks/*.liquid renders them), the built assets, product
// images, and the app proxy, recording every request the widgets make to it.
import { readFile } from "node:fs/promises";
import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { asyncListener } from "../support/http";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CannedResponse {
  status: number;
  /** Serialised as JSON unless it is a string (sent as is, to test bad JSON). */
  body: unknown;
}

export interface FakeStorefront {
  url: string;
  setPage(pathname: string, html: string): void;
  subscribeRequests: RecordedRequest[];
  /** Requests to any other app proxy path: the app has no other route (404). */
  otherProxyRequests: RecordedRequest[];
  subscribeResponse: CannedResponse;
  /** Forgets recorded requests and restores the default responses. */
  reset(): void;
  close(): Promise<void>;
}

export const PROXY = "/apps/flowmate";

export async function startFakeStorefront(assetsDir: string): Promise<FakeStorefront> {
  const pages = new Map<string, string>();
  const store: Omit<FakeStorefront, "url" | "close"> = {
    setPage: (pathname, html) => void pages.set(pathname, html),
    subscribeRequests: [],
    otherProxyRequests: [],
    subscribeResponse: { status: 201, body: { status: "subscribed" } },
    reset() {
      store.subscribeRequests.length = 0;
      store.otherProxyRequests.length = 0;
      store.subscribeResponse = { status: 201, body: { status: "subscribed" } };
    },
  };

  const server = http.createServer(
    asyncListener(async (req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      const send = (status: number, type: string, body: string | Buffer) => {
        res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
        res.end(body);
      };
      const sendCanned = ({ status, body }: CannedResponse) =>
        send(status, "application/json; charset=utf-8", typeof body === "string" ? body : JSON.stringify(body));

      try {
        if (url.pathname === `${PROXY}/subscribe` && req.method === "POST") {
          store.subscribeRequests.push(recorded);
          return sendCanned(store.subscribeResponse);
        }
        if (url.pathname.startsWith(`${PROXY}/`)) {
          store.otherProxyRequests.push(recorded);
          return send(404, "text/plain", "Not Found");
        }
        if (url.pathname.startsWith("/assets/")) {
          const file = path.join(assetsDir, path.basename(url.pathname));
          // Like Shopify's CDN: no charset on the script; the page's UTF-8 applies.
          const type = file.endsWith(".css") ? "text/css" : "application/javascript";
          return send(200, type, await readFile(file));
        }
        const image = /^\/img\/(\d+)\.svg$/.exec(url.pathname);
        if (image) return send(200, "image/svg+xml", productImage(Number(image[1])));
        if (url.pathname === "/blank") return send(200, "text/html; charset=utf-8", "<!doctype html><title>blank</title>");
        const page = pages.get(url.pathname);
        if (page) return send(200, "text/html; charset=utf-8", page);
        send(404, "text/plain", "not found");
      } catch (error) {
        send(500, "text/plain", String(error));
      }
    }),
  );

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(store, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}

/** A simple product shot: a tinted backdrop and a rounded "product" silhouette. */
function productImage(hue: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" viewBox="0 0 480 480">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${hue} 45% 90%)"/><stop offset="1" stop-color="hsl(${hue} 40% 78%)"/>
  </linearGradient></defs>
  <rect width="480" height="480" fill="url(#g)"/>
  <ellipse cx="240" cy="390" rx="130" ry="18" fill="hsl(${hue} 30% 60%)" opacity=".35"/>
  <rect x="150" y="120" width="180" height="260" rx="36" fill="hsl(${hue} 45% 45%)"/>
  <rect x="185" y="90" width="110" height="50" rx="18" fill="hsl(${hue} 40% 35%)"/>
</svg>`;
}

export interface PageOptions {
  shopName?: string;
  /** data-* values of the signup popup mount (names as in blocks/signup-popup.liquid), or false. */
  popup?: Record<string, string> | false;
  /**
   * The mount element (and script) blocks/recommendations.liquid rendered before it was
   * switched off until recommendations exist; a page may still carry it (the demo's
   * storefront simulator does). Today the block renders nothing.
   */
  staleRecommendationsMount?: boolean;
  /** The popup's accent colour (the Liquid sets it as --fm-accent). */
  accent?: string;
  /** Extra HTML at the end of <body>. */
  extra?: string;
}

export const POPUP_DEFAULTS: Record<string, string> = {
  shop: "northwind-supply.myshopify.com",
  "shop-name": "Northwind Supply",
  locale: "en",
  proxy: PROXY,
  delay: "0",
  "exit-intent": "true",
  title: "",
  body: "",
  "show-sms": "false",
  "privacy-url": "/policies/privacy-policy",
  "design-mode": "false",
};

const esc = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
const dataAttrs = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([name, value]) => `data-${name}="${esc(value)}"`)
    .join(" ");

/** A product page of a plain theme, with the widget blocks rendered as the Liquid would. */
export function storefrontPage(options: PageOptions = {}): string {
  const shopName = options.shopName ?? "Northwind Supply";
  const script = `<script src="/assets/flowmate-widgets.js" defer></script>`;
  const popup =
    options.popup === false || options.popup === undefined
      ? ""
      : `<div id="flowmate-signup" ${dataAttrs({ ...POPUP_DEFAULTS, "shop-name": shopName, ...options.popup })} style="--fm-accent: ${
          options.accent ?? "#4338ca"
        }; --fm-on-accent: #ffffff;"></div>\n${script}`;
  const recs = options.staleRecommendationsMount
    ? `<div id="flowmate-recommendations-b1" data-flowmate-recommendations ${dataAttrs({
        shop: "northwind-supply.myshopify.com",
        locale: "en",
        proxy: PROXY,
        "product-id": "7001",
        limit: "4",
        heading: "",
      })}></div>\n${script}`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Waxed Canvas Jacket – ${esc(shopName)}</title>
<link rel="stylesheet" href="/assets/flowmate-widgets.css">
<style>
  body { margin: 0; font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #1f2937; background: #fafaf9; }
  header { display: flex; align-items: center; justify-content: space-between; padding: 18px 32px; border-bottom: 1px solid #e7e5e4; background: #fff; }
  header strong { font-size: 20px; letter-spacing: .04em; }
  header nav a { margin-left: 20px; color: #44403c; text-decoration: none; font-size: 14px; }
  main { max-width: 1120px; margin: 0 auto; padding: 32px; }
  .product { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 40px; align-items: start; }
  .product img { width: 100%; height: auto; border-radius: 12px; display: block; }
  .product h1 { margin: 0 0 8px; font-size: 32px; }
  .product .price { font-size: 20px; margin: 0 0 20px; }
  .product button { padding: 14px 28px; border: 0; border-radius: 8px; background: #1c1917; color: #fff; font-size: 16px; }
  @media (max-width: 700px) { .product { grid-template-columns: 1fr; } main { padding: 20px; } header { padding: 14px 20px; } header nav { display: none; } }
</style>
</head>
<body>
<header><strong>${esc(shopName)}</strong><nav><a href="#">New</a><a href="#">Men</a><a href="#">Women</a><a href="#">Sale</a></nav></header>
<main>
  <section class="product">
    <img src="/img/28.svg" width="480" height="480" alt="Waxed Canvas Jacket">
    <div>
      <h1>Waxed Canvas Jacket</h1>
      <p class="price">$189.00</p>
      <p>Water-resistant waxed cotton, corduroy collar and a roomy fit for layering. Made to age beautifully.</p>
      <button id="add-to-cart" type="button">Add to cart</button>
    </div>
  </section>
  ${recs}
</main>
${popup}
${options.extra ?? ""}
</body>
</html>`;
}
